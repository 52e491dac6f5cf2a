<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "adresses": « Mes adresses », the billing address on invoices. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:variable name="f" select="/page/adresses/address-form"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title">Mes adresses</xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li><a href="{$base}/mon-compte">Mon compte</a></li>
        <li aria-current="page">Mes adresses</li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A field of the form: its label, input (aria tied to its hint and error), hint, error. -->
  <xsl:template name="address-field">
    <xsl:param name="name"/>
    <xsl:param name="label"/>
    <xsl:param name="value"/>
    <xsl:param name="max"/>
    <xsl:param name="required"/>
    <xsl:param name="autocomplete"/>
    <xsl:param name="hint"/>
    <xsl:variable name="errs" select="$f/error[@field = $name]"/>
    <xsl:variable name="hint-id">
      <xsl:if test="string($hint) != ''"><xsl:value-of select="concat($name, '-aide')"/></xsl:if>
    </xsl:variable>
    <div class="field">
      <label for="{$name}"><xsl:value-of select="$label"/></label>
      <input type="text" id="{$name}" name="{$name}" maxlength="{$max}"
             autocomplete="{$autocomplete}" value="{$value}">
        <xsl:if test="$required">
          <xsl:attribute name="required">required</xsl:attribute>
        </xsl:if>
        <xsl:call-template name="field-aria">
          <xsl:with-param name="id" select="$name"/>
          <xsl:with-param name="errors" select="$errs"/>
          <xsl:with-param name="hint" select="string($hint-id)"/>
        </xsl:call-template>
      </input>
      <xsl:if test="string($hint) != ''">
        <span class="field-hint" id="{$hint-id}"><xsl:value-of select="$hint"/></span>
      </xsl:if>
      <xsl:call-template name="field-error">
        <xsl:with-param name="id" select="$name"/>
        <xsl:with-param name="errors" select="$errs"/>
      </xsl:call-template>
    </div>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <h1>Mes adresses</h1>

    <section class="panel" aria-labelledby="facturation">
      <h2 id="facturation">Adresse de facturation</h2>
      <p class="muted">Cette adresse figure sur vos factures. Une facture déjà émise garde l'adresse de son émission.</p>
      <xsl:if test="$f/@saved">
        <p class="alert alert-info" role="status">Votre adresse a été enregistrée.</p>
      </xsl:if>
      <form class="form" method="post" action="{$f/@action}">
        <xsl:call-template name="form-error-summary">
          <xsl:with-param name="errors" select="$f/error"/>
          <xsl:with-param name="intro">Votre adresse n'a pas été enregistrée :</xsl:with-param>
        </xsl:call-template>
        <input type="hidden" name="csrf" value="{$f/@csrf}"/>
        <xsl:call-template name="address-field">
          <xsl:with-param name="name">rue1</xsl:with-param>
          <xsl:with-param name="label">Adresse</xsl:with-param>
          <xsl:with-param name="value" select="$f/@street1"/>
          <xsl:with-param name="max">100</xsl:with-param>
          <xsl:with-param name="required" select="true()"/>
          <xsl:with-param name="autocomplete">address-line1</xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="address-field">
          <xsl:with-param name="name">rue2</xsl:with-param>
          <xsl:with-param name="label">Complément d'adresse (facultatif)</xsl:with-param>
          <xsl:with-param name="value" select="$f/@street2"/>
          <xsl:with-param name="max">100</xsl:with-param>
          <xsl:with-param name="autocomplete">address-line2</xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="address-field">
          <xsl:with-param name="name">code_postal</xsl:with-param>
          <xsl:with-param name="label">Code postal</xsl:with-param>
          <xsl:with-param name="value" select="$f/@postcode"/>
          <xsl:with-param name="max">10</xsl:with-param>
          <xsl:with-param name="required" select="true()"/>
          <xsl:with-param name="autocomplete">postal-code</xsl:with-param>
          <xsl:with-param name="hint">5 chiffres pour une adresse en France.</xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="address-field">
          <xsl:with-param name="name">ville</xsl:with-param>
          <xsl:with-param name="label">Ville</xsl:with-param>
          <xsl:with-param name="value" select="$f/@city"/>
          <xsl:with-param name="max">60</xsl:with-param>
          <xsl:with-param name="required" select="true()"/>
          <xsl:with-param name="autocomplete">address-level2</xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="address-field">
          <xsl:with-param name="name">pays</xsl:with-param>
          <xsl:with-param name="label">Pays</xsl:with-param>
          <xsl:with-param name="value" select="$f/@country"/>
          <xsl:with-param name="max">60</xsl:with-param>
          <xsl:with-param name="autocomplete">country-name</xsl:with-param>
        </xsl:call-template>
        <p><button type="submit" class="button button-primary">Enregistrer</button></p>
      </form>
    </section>

    <p class="page-links">
      <a href="{$base}/mon-compte">Revenir sur mon compte</a>
      <a href="{$base}/mes-informations">Mes informations</a>
      <a href="{$base}/">Accueil</a>
    </p>
  </xsl:template>

</xsl:stylesheet>
