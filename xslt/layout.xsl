<?xml version="1.0" encoding="UTF-8"?>
<!--
  mod_cmcas — shared page layout.

  Every page stylesheet imports this file and, in its template for "/", calls:

    <xsl:call-template name="layout">
      <xsl:with-param name="title">Mon compte</xsl:with-param>   (text of <title> and of nothing else)
      <xsl:with-param name="breadcrumb">                          (optional: <li> items after « Accueil »)
        <li><a href="{$base}/mon-compte">Mon compte</a></li>
        <li aria-current="page">Mes informations</li>
      </xsl:with-param>
    </xsl:call-template>

  and gives its <main> content in a template for "/" in mode "content", which the
  layout applies in place: the page is built once, never copied from a fragment.

  The layout reads the common part of the data document itself (/page/site, /page/user,
  /page/themes; see docs/http-interface.md). Text is never output unescaped.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:str="http://exslt.org/strings"
    exclude-result-prefixes="str">

  <xsl:import href="form-errors.xsl"/>

  <xsl:output method="html" encoding="UTF-8" indent="no"
              doctype-system="about:legacy-compat"/>

  <!-- The portal's URL prefix ("" at the root of a virtual host). -->
  <xsl:variable name="base" select="string(/page/@base)"/>

  <!-- An activity's picture: a path of the site as is ("/static/img/x.svg"), or one the
       back-office uploaded ("image/<sha256>.png"), served below the portal's prefix. -->
  <xsl:template name="image-src">
    <xsl:param name="image"/>
    <xsl:choose>
      <xsl:when test="starts-with($image, '/') or contains($image, ':')">
        <xsl:value-of select="$image"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="concat($base, '/', $image)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:variable name="cmcas" select="/page/site/cmcas"/>
  <xsl:variable name="user" select="/page/user"/>

  <!-- Tab of the catalog currently shown (only "autres" needs carrying along). -->
  <xsl:variable name="layout-tab" select="/page/catalogue/@tab"/>

  <xsl:template name="layout">
    <xsl:param name="title"/>
    <xsl:param name="breadcrumb"/>
    <html lang="fr">
      <head>
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:if test="string($title) != ''">
            <xsl:value-of select="$title"/>
            <xsl:text> — </xsl:text>
          </xsl:if>
          <xsl:value-of select="$cmcas/name"/>
        </title>
        <link rel="stylesheet" href="/static/cmcas.css?v={/page/@static-version}"/>
        <link rel="icon" type="image/svg+xml" href="/static/img/logo.svg"/>
        <!-- Progressive enhancement only (every page works without it). -->
        <script src="/static/cmcas.js?v={/page/@static-version}" defer="defer"></script>
      </head>
      <body class="page-{/page/@name}">
        <a class="skip-link" href="#contenu">Aller au contenu</a>
        <xsl:call-template name="layout-header"/>
        <xsl:call-template name="layout-themes"/>
        <main id="contenu" class="container" tabindex="-1">
          <xsl:if test="string($breadcrumb) != ''">
            <nav class="breadcrumb" aria-label="Fil d'Ariane">
              <ol>
                <li><a href="{$base}/">Accueil</a></li>
                <xsl:copy-of select="$breadcrumb"/>
              </ol>
            </nav>
          </xsl:if>
          <xsl:apply-templates select="/" mode="content"/>
        </main>
        <xsl:call-template name="layout-footer"/>
      </body>
    </html>
  </xsl:template>

  <!-- ===== Header: CMCAS name, search, user menu ===== -->
  <xsl:template name="layout-header">
    <header class="site-header">
      <div class="container header-inner">
        <a class="brand" href="{$base}/">
          <img class="brand-logo" src="/static/img/logo.svg" alt="" width="40" height="40"/>
          <span class="brand-name"><xsl:value-of select="$cmcas/name"/></span>
        </a>
        <xsl:if test="$user">
          <form class="search" method="get" action="{$base}/" role="search">
            <label for="q" class="visually-hidden">Rechercher une activité</label>
            <input type="search" id="q" name="q" maxlength="200"
                   placeholder="Rechercher une activité"
                   value="{/page/catalogue/@q}"/>
            <xsl:if test="$layout-tab">
              <input type="hidden" name="onglet" value="{$layout-tab}"/>
            </xsl:if>
            <button type="submit">Rechercher</button>
          </form>
          <details class="user-menu">
            <summary>
              <span class="user-name"><xsl:value-of select="$user/name"/></span>
            </summary>
            <ul>
              <li><a href="{$base}/mon-compte">Mon compte</a></li>
              <li><a href="{$base}/mes-commandes">Mes commandes</a></li>
              <li><a href="{$base}/mes-adresses">Mes adresses</a></li>
              <li><a href="{$base}/mes-informations">Mes informations</a></li>
              <li><a href="{$base}/mes-inscriptions">Mes inscriptions</a></li>
              <li class="logout"><a href="{$base}/deconnexion">Se déconnecter</a></li>
            </ul>
          </details>
        </xsl:if>
      </div>
    </header>
  </xsl:template>

  <!-- ===== Themes bar ===== -->
  <xsl:template name="layout-themes">
    <xsl:if test="/page/themes/theme">
      <nav class="themes" aria-label="Thèmes d'activités">
        <ul class="container">
          <xsl:for-each select="/page/themes/theme">
            <li>
              <a>
                <xsl:attribute name="href">
                  <xsl:call-template name="theme-href"/>
                </xsl:attribute>
                <xsl:if test="@selected = '1'">
                  <xsl:attribute name="class">selected</xsl:attribute>
                  <xsl:attribute name="aria-current">true</xsl:attribute>
                </xsl:if>
                <xsl:value-of select="."/>
              </a>
            </li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- Link to the catalog filtered on the context <theme>; keeps the « autres » tab. -->
  <xsl:template name="theme-href">
    <xsl:value-of select="$base"/><xsl:text>/?theme=</xsl:text>
    <xsl:value-of select="str:encode-uri(@code, true())"/>
    <xsl:if test="$layout-tab = 'autres'">
      <xsl:text>&amp;onglet=autres</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- ===== Footer in four columns ===== -->
  <xsl:template name="layout-footer">
    <footer class="site-footer">
      <div class="container footer-grid">
        <section class="footer-col">
          <h2><xsl:value-of select="$cmcas/name"/></h2>
          <address>
            <xsl:if test="string($cmcas/street) != ''">
              <xsl:value-of select="$cmcas/street"/><br/>
            </xsl:if>
            <xsl:if test="string($cmcas/postcode) != '' or string($cmcas/city) != ''">
              <xsl:value-of select="$cmcas/postcode"/>
              <xsl:text> </xsl:text>
              <xsl:value-of select="$cmcas/city"/><br/>
            </xsl:if>
            <xsl:if test="string($cmcas/phone) != ''">
              <a href="tel:{translate($cmcas/phone, ' .', '')}">
                <xsl:value-of select="$cmcas/phone"/>
              </a><br/>
            </xsl:if>
            <xsl:if test="string($cmcas/email) != ''">
              <a href="mailto:{$cmcas/email}"><xsl:value-of select="$cmcas/email"/></a>
            </xsl:if>
          </address>
        </section>
        <nav class="footer-col" aria-labelledby="footer-categories">
          <h2 id="footer-categories">Catégories</h2>
          <ul>
            <xsl:for-each select="/page/themes/theme">
              <li>
                <a>
                  <xsl:attribute name="href">
                    <xsl:call-template name="theme-href"/>
                  </xsl:attribute>
                  <xsl:value-of select="."/>
                </a>
              </li>
            </xsl:for-each>
          </ul>
        </nav>
        <nav class="footer-col" aria-labelledby="footer-informations">
          <h2 id="footer-informations">Informations</h2>
          <ul>
            <xsl:if test="string($cmcas/email) != ''">
              <li><a href="mailto:{$cmcas/email}">Contactez-nous</a></li>
            </xsl:if>
            <li><a href="{$base}/conditions-utilisation">Conditions d'utilisation</a></li>
          </ul>
        </nav>
        <nav class="footer-col" aria-labelledby="footer-compte">
          <h2 id="footer-compte">Compte</h2>
          <ul>
            <li><a href="{$base}/mes-commandes">Mes commandes</a></li>
            <li><a href="{$base}/mes-adresses">Mes adresses</a></li>
            <li><a href="{$base}/mes-informations">Mes informations personnelles</a></li>
            <li><a href="{$base}/mes-inscriptions">Mes inscriptions</a></li>
          </ul>
        </nav>
      </div>
    </footer>
  </xsl:template>

</xsl:stylesheet>
