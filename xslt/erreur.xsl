<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "erreur": any error answer (400, 403, 404, 405, 503…). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="erreur-suite.xsl"/>

  <xsl:variable name="e" select="/page/erreur"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title">
        <xsl:choose>
          <xsl:when test="string($e/title) != ''"><xsl:value-of select="$e/title"/></xsl:when>
          <xsl:otherwise>Erreur</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <section class="panel error-panel">
      <p class="error-status">
        <xsl:text>Erreur </xsl:text>
        <xsl:value-of select="$e/@status"/>
      </p>
      <h1>
        <xsl:choose>
          <xsl:when test="string($e/title) != ''"><xsl:value-of select="$e/title"/></xsl:when>
          <xsl:otherwise>Une erreur est survenue</xsl:otherwise>
        </xsl:choose>
      </h1>
      <xsl:if test="string($e/message) != ''">
        <p class="error-message"><xsl:value-of select="$e/message"/></p>
      </xsl:if>
      <xsl:choose>
        <!-- Another CMCAS's member: the next step is the portal of theirs (its
             CMCASPortalURL); this portal's pages would refuse them again. -->
        <xsl:when test="string($e/lien/@href) != ''">
          <p class="error-link"><a class="button button-primary" href="{$e/lien/@href}"><xsl:value-of select="$e/lien"/></a></p>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="error-next">
            <xsl:with-param name="home" select="concat($base, '/')"/>
            <xsl:with-param name="home-label">Revenir au catalogue</xsl:with-param>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

</xsl:stylesheet>
