<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "connexion": the login form read by mod_auth_form
     (fields httpd_username and httpd_password). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:variable name="c" select="/page/connexion"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title">Connexion</xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <section class="panel login-panel">
      <xsl:choose>
        <xsl:when test="$c/@staff = '1'">
          <h1>Espace de gestion</h1>
          <p class="muted">Réservé au personnel de la CMCAS : connectez-vous avec votre
            identifiant de gestion.</p>
        </xsl:when>
        <xsl:otherwise>
          <h1>Connexion</h1>
          <p class="muted">Connectez-vous pour consulter les activités de
            <xsl:value-of select="/page/site/cmcas/name"/> et vous y inscrire.</p>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="$c/@error = '1'">
        <p class="alert alert-error" role="alert">Identifiant ou mot de passe incorrect.</p>
      </xsl:if>
      <xsl:if test="$c/@logged-out = '1'">
        <p class="alert alert-info" role="status">Vous êtes déconnecté.</p>
      </xsl:if>
      <form class="form" method="post" action="{$c/@action}">
        <p class="field">
          <label for="httpd_username">Identifiant</label>
          <input type="text" id="httpd_username" name="httpd_username"
                 autocomplete="username" autocapitalize="none" spellcheck="false"
                 required="required"/>
        </p>
        <p class="field">
          <label for="httpd_password">Mot de passe</label>
          <input type="password" id="httpd_password" name="httpd_password"
                 autocomplete="current-password" required="required"/>
        </p>
        <p class="actions">
          <button type="submit" class="button button-primary button-large">Se connecter</button>
        </p>
      </form>
    </section>
  </xsl:template>

</xsl:stylesheet>
