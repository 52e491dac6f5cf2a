<?xml version="1.0" encoding="UTF-8"?>
<!--
  mod_cmcas — layout of the back-office pages (/gestion), for CMCAS staff.

  Like layout.xsl for the members' pages: a back-office stylesheet imports this file,
  calls the template "gestion-layout" with a title and an optional breadcrumb (<li> items
  after « Tableau de bord »), and gives its <main> content in a template for "/" in mode
  "content". It reads /page/site (the staff member's CMCAS) and /page/staff.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="form-errors.xsl"/>

  <xsl:output method="html" encoding="UTF-8" indent="no"
              doctype-system="about:legacy-compat"/>

  <xsl:variable name="base" select="string(/page/@base)"/>
  <xsl:variable name="g" select="concat($base, '/gestion')"/>
  <xsl:variable name="cmcas" select="/page/site/cmcas"/>
  <xsl:variable name="staff" select="/page/staff"/>
  <!-- The CSRF token of every form of the page. -->
  <xsl:variable name="csrf" select="string(/page/staff/@csrf)"/>

  <xsl:template name="gestion-layout">
    <xsl:param name="title"/>
    <xsl:param name="breadcrumb"/>
    <html lang="fr">
      <head>
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:value-of select="$title"/>
          <xsl:text> — Gestion — </xsl:text>
          <xsl:value-of select="$cmcas/name"/>
        </title>
        <link rel="stylesheet" href="/static/cmcas.css?v={/page/@static-version}"/>
        <link rel="icon" type="image/svg+xml" href="/static/img/logo.svg"/>
      </head>
      <body class="gestion page-{/page/@name}">
        <a class="skip-link" href="#contenu">Aller au contenu</a>
        <header class="site-header gestion-header">
          <div class="container header-inner">
            <a class="brand" href="{$g}/">
              <img class="brand-logo" src="/static/img/logo.svg" alt="" width="40" height="40"/>
              <span class="brand-name">
                <xsl:value-of select="$cmcas/name"/>
                <span class="brand-sub"> — gestion</span>
              </span>
            </a>
            <nav class="gestion-nav" aria-label="Gestion">
              <ul>
                <li><a href="{$g}/">Tableau de bord</a></li>
                <li><a href="{$g}/activites/nouvelle">Nouvelle activité</a></li>
                <li><a href="{$g}/commandes">Commandes</a></li>
                <li><a href="{$g}/journal">Journal</a></li>
                <li><a href="{$base}/gestion/deconnexion">Se déconnecter</a></li>
              </ul>
            </nav>
            <p class="gestion-who">
              <xsl:value-of select="$staff/@name"/>
            </p>
          </div>
        </header>
        <main id="contenu" class="container" tabindex="-1">
          <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <ol>
              <xsl:choose>
                <xsl:when test="string($breadcrumb) != ''">
                  <li><a href="{$g}/">Tableau de bord</a></li>
                  <xsl:copy-of select="$breadcrumb"/>
                </xsl:when>
                <xsl:otherwise>
                  <li aria-current="page">Tableau de bord</li>
                </xsl:otherwise>
              </xsl:choose>
            </ol>
          </nav>
          <xsl:apply-templates select="/" mode="content"/>
        </main>
      </body>
    </html>
  </xsl:template>

</xsl:stylesheet>
