<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "gestion-journal": the audit log of the staff's changes. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="gestion-layout.xsl"/>

  <xsl:variable name="j" select="/page/journal"/>

  <xsl:template match="/">
    <xsl:call-template name="gestion-layout">
      <xsl:with-param name="title">Journal des modifications</xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li aria-current="page">Journal</li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/" mode="content">
    <h1>Journal des modifications</h1>
    <xsl:choose>
      <xsl:when test="$j/entree">
        <div class="table-wrap" tabindex="0">
          <table class="table table-stack gestion-journal">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Par</th>
                <th scope="col">Action</th>
                <th scope="col">Objet</th>
                <th scope="col">Avant</th>
                <th scope="col">Après</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="$j/entree">
                <tr data-id="{@id}">
                  <td data-label="Date"><time datetime="{@at}"><xsl:value-of select="@at-local"/></time></td>
                  <td data-label="Par"><xsl:value-of select="@actor"/></td>
                  <td data-label="Action"><xsl:value-of select="action"/></td>
                  <td data-label="Objet"><xsl:value-of select="objet"/></td>
                  <td data-label="Avant" class="audit-values"><xsl:value-of select="avant"/></td>
                  <td data-label="Après" class="audit-values"><xsl:value-of select="apres"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
        <xsl:if test="$j/@suivant">
          <p class="page-links"><a href="{$g}/journal?avant={$j/@suivant}">Modifications plus anciennes</a></p>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">Aucune modification enregistrée.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
