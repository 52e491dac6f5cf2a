<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "conditions": « Conditions d'utilisation » (conditions/@type =
     'utilisation') or a CMCAS's conditions générales de vente ('cgv'), the text its
     administrator provides (titre, p, liste/item: text only), and for the CGV the
     « tour de rôle » rule of that CMCAS. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:variable name="c" select="/page/conditions"/>
  <xsl:variable name="titre">
    <xsl:choose>
      <xsl:when test="$c/@type = 'cgv'">Conditions générales de vente</xsl:when>
      <xsl:otherwise>Conditions d'utilisation</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title" select="$titre"/>
      <xsl:with-param name="breadcrumb">
        <li aria-current="page"><xsl:value-of select="$titre"/></li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <h1><xsl:value-of select="$titre"/></h1>
    <p class="muted"><xsl:value-of select="$c/cmcas-name"/></p>

    <article class="panel legal-text">
      <xsl:for-each select="$c/texte/*">
        <xsl:choose>
          <xsl:when test="self::titre"><h2><xsl:value-of select="."/></h2></xsl:when>
          <xsl:when test="self::liste">
            <ul>
              <xsl:for-each select="item"><li><xsl:value-of select="."/></li></xsl:for-each>
            </ul>
          </xsl:when>
          <xsl:otherwise><p><xsl:value-of select="."/></p></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </article>

    <xsl:if test="$c/tour-de-role">
      <section class="panel" aria-labelledby="tour-de-role">
        <h2 id="tour-de-role">Activités attribuées à tour de rôle</h2>
        <p><xsl:value-of select="$c/tour-de-role"/></p>
        <p>Un foyer retenu dispose de <xsl:value-of select="$c/tour-de-role/@pay-days"/> jours après la publication des résultats pour payer ; passé ce délai, ses places vont à la liste d'attente.</p>
      </section>
    </xsl:if>

    <p class="page-links">
      <xsl:if test="$c/@cgv">
        <a href="{$base}/cgv">Conditions générales de vente</a>
      </xsl:if>
      <a href="{$base}/">Accueil</a>
    </p>
  </xsl:template>

</xsl:stylesheet>
