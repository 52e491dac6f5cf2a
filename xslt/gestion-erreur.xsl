<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "gestion-erreur": an error answer (400, 403, 404, 409, 503…) to a
     staff member of the back-office, in its layout (the members' "erreur" otherwise). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="gestion-layout.xsl"/>
  <xsl:import href="erreur-suite.xsl"/>

  <xsl:variable name="e" select="/page/erreur"/>
  <xsl:variable name="e-title">
    <xsl:choose>
      <xsl:when test="string($e/title) != ''"><xsl:value-of select="$e/title"/></xsl:when>
      <xsl:otherwise>Une erreur est survenue</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:call-template name="gestion-layout">
      <xsl:with-param name="title" select="$e-title"/>
      <xsl:with-param name="breadcrumb">
        <li aria-current="page">Erreur</li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/" mode="content">
    <section class="panel error-panel">
      <p class="error-status">
        <xsl:text>Erreur </xsl:text>
        <xsl:value-of select="$e/@status"/>
      </p>
      <h1><xsl:value-of select="$e-title"/></h1>
      <xsl:if test="string($e/message) != ''">
        <p class="error-message"><xsl:value-of select="$e/message"/></p>
      </xsl:if>
      <xsl:call-template name="error-next">
        <xsl:with-param name="home" select="concat($g, '/')"/>
        <xsl:with-param name="home-label">Revenir au tableau de bord</xsl:with-param>
        <xsl:with-param name="staff" select="true()"/>
      </xsl:call-template>
    </section>
  </xsl:template>

</xsl:stylesheet>
