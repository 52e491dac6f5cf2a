<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "banque": the signed form that takes the browser to the bank's
     payment page. The fields are posted exactly as signed (values escaped as HTML
     attributes only; the browser sends them back unescaped). cmcas.js submits it at
     once; without JavaScript the member presses the button. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:variable name="b" select="/page/banque"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title">Paiement par carte</xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <section class="panel">
      <h1>Paiement par carte</h1>
      <p>Commande <strong><xsl:value-of select="$b/@ref"/></strong> :
        <strong><xsl:value-of select="$b/total"/></strong>.</p>
      <p>Vous allez être dirigé(e) vers la page de paiement sécurisé de la banque.
        Aucune donnée de carte ne passe par ce site.</p>
      <form id="banque" method="post" action="{$b/@action}">
        <xsl:for-each select="$b/field">
          <input type="hidden" name="{@name}" value="{@value}"/>
        </xsl:for-each>
        <button type="submit" class="button button-primary">Continuer vers le paiement sécurisé</button>
      </form>
    </section>
  </xsl:template>

</xsl:stylesheet>
