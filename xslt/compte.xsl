<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "compte": « Mon compte », the account menu. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title">Mon compte</xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li aria-current="page">Mon compte</li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <h1>Mon compte</h1>
    <xsl:if test="string(/page/user/name) != ''">
      <p class="muted">Bienvenue, <xsl:value-of select="/page/user/name"/>.</p>
    </xsl:if>
    <ul class="account-menu">
      <li>
        <a href="{$base}/mes-commandes">
          <span class="account-title">Mes commandes</span>
          <span class="account-text">Historique de vos commandes, factures PDF</span>
        </a>
      </li>
      <li>
        <a href="{$base}/mes-adresses">
          <span class="account-title">Mes adresses</span>
          <span class="account-text">Adresse postale du foyer</span>
        </a>
      </li>
      <li>
        <a href="{$base}/mes-informations">
          <span class="account-title">Mes informations</span>
          <span class="account-text">Ouvrant droit, ayants droit et coordonnées</span>
        </a>
      </li>
      <li>
        <a href="{$base}/mes-inscriptions">
          <span class="account-title">Mes inscriptions</span>
          <span class="account-text">Suivi de vos inscriptions et paiements</span>
        </a>
      </li>
    </ul>
    <p class="page-links">
      <a href="{$base}/">Accueil</a>
      <a class="logout-link" href="{$base}/deconnexion">Se déconnecter</a>
    </p>
  </xsl:template>

</xsl:stylesheet>
