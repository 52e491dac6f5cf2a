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

  <xsl:template name="field-errors">
    <xsl:param name="name"/>
    <xsl:for-each select="$f/error[@field = $name]">
      <span class="field-error" role="alert"><xsl:value-of select="."/></span>
    </xsl:for-each>
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
      <xsl:if test="$f/error">
        <div class="alert alert-error" role="alert">
          <p>Votre adresse n'a pas été enregistrée :</p>
          <ul class="form-errors">
            <xsl:for-each select="$f/error"><li><xsl:value-of select="."/></li></xsl:for-each>
          </ul>
        </div>
      </xsl:if>
      <form class="form" method="post" action="{$f/@action}">
        <input type="hidden" name="csrf" value="{$f/@csrf}"/>
        <div class="field">
          <label for="rue1">Adresse</label>
          <input type="text" id="rue1" name="rue1" maxlength="100" required="required"
                 autocomplete="address-line1" value="{$f/@street1}"/>
          <xsl:call-template name="field-errors"><xsl:with-param name="name">rue1</xsl:with-param></xsl:call-template>
        </div>
        <div class="field">
          <label for="rue2">Complément d'adresse (facultatif)</label>
          <input type="text" id="rue2" name="rue2" maxlength="100"
                 autocomplete="address-line2" value="{$f/@street2}"/>
        </div>
        <div class="field">
          <label for="code_postal">Code postal</label>
          <input type="text" id="code_postal" name="code_postal" maxlength="10" required="required"
                 autocomplete="postal-code" value="{$f/@postcode}" aria-describedby="code-postal-aide"/>
          <span class="field-hint" id="code-postal-aide">5 chiffres pour une adresse en France.</span>
          <xsl:call-template name="field-errors"><xsl:with-param name="name">code_postal</xsl:with-param></xsl:call-template>
        </div>
        <div class="field">
          <label for="ville">Ville</label>
          <input type="text" id="ville" name="ville" maxlength="60" required="required"
                 autocomplete="address-level2" value="{$f/@city}"/>
          <xsl:call-template name="field-errors"><xsl:with-param name="name">ville</xsl:with-param></xsl:call-template>
        </div>
        <div class="field">
          <label for="pays">Pays</label>
          <input type="text" id="pays" name="pays" maxlength="60"
                 autocomplete="country-name" value="{$f/@country}"/>
          <xsl:call-template name="field-errors"><xsl:with-param name="name">pays</xsl:with-param></xsl:call-template>
        </div>
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
