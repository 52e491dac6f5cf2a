<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "informations": « Mes informations », the household. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:variable name="h" select="/page/informations/household"/>
  <xsl:variable name="f" select="/page/informations/contact-form"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title">Mes informations</xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li><a href="{$base}/mon-compte">Mon compte</a></li>
        <li aria-current="page">Mes informations</li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <h1>Mes informations</h1>

    <section class="panel" aria-labelledby="coordonnees">
      <h2 id="coordonnees">Coordonnées du foyer</h2>
      <dl class="details">
        <dt>Identifiant</dt>
        <dd><xsl:value-of select="$h/@login"/></dd>
        <dt>Adresse</dt>
        <dd>
          <xsl:choose>
            <xsl:when test="string($h/street) != '' or string($h/city) != ''">
              <xsl:choose>
                <!-- « Mes adresses » keeps a second line after a line break -->
                <xsl:when test="contains($h/street, '&#10;')">
                  <xsl:value-of select="substring-before($h/street, '&#10;')"/><br/>
                  <xsl:value-of select="substring-after($h/street, '&#10;')"/><br/>
                </xsl:when>
                <xsl:when test="string($h/street) != ''">
                  <xsl:value-of select="$h/street"/><br/>
                </xsl:when>
              </xsl:choose>
              <xsl:value-of select="$h/postcode"/>
              <xsl:text> </xsl:text>
              <xsl:value-of select="$h/city"/>
              <xsl:if test="string($h/country) != '' and $h/country != 'France'">
                <br/><xsl:value-of select="$h/country"/>
              </xsl:if>
            </xsl:when>
            <xsl:otherwise><span class="muted">Non renseignée</span></xsl:otherwise>
          </xsl:choose>
        </dd>
        <dt>E-mail</dt>
        <dd>
          <xsl:choose>
            <xsl:when test="string($h/@email) != ''"><xsl:value-of select="$h/@email"/></xsl:when>
            <xsl:otherwise><span class="muted">Non renseigné</span></xsl:otherwise>
          </xsl:choose>
        </dd>
        <dt>Téléphone</dt>
        <dd>
          <xsl:choose>
            <xsl:when test="string($h/@phone) != ''"><xsl:value-of select="$h/@phone"/></xsl:when>
            <xsl:otherwise><span class="muted">Non renseigné</span></xsl:otherwise>
          </xsl:choose>
        </dd>
      </dl>
      <p class="muted">L'adresse est celle de vos factures : <a href="{$base}/mes-adresses">modifiez-la dans « Mes adresses »</a>.</p>
    </section>

    <section class="panel" aria-labelledby="contact">
      <h2 id="contact">Mes coordonnées de contact</h2>
      <xsl:if test="$f/@saved">
        <p class="alert alert-info" role="status">Vos coordonnées ont été enregistrées.</p>
      </xsl:if>
      <form class="form" method="post" action="{$f/@action}">
        <xsl:call-template name="form-error-summary">
          <xsl:with-param name="errors" select="$f/error"/>
          <xsl:with-param name="intro">Vos coordonnées n'ont pas été enregistrées :</xsl:with-param>
        </xsl:call-template>
        <input type="hidden" name="csrf" value="{$f/@csrf}"/>
        <div class="field">
          <label for="email">E-mail</label>
          <input type="email" id="email" name="email" maxlength="254" required="required"
                 autocomplete="email" value="{$f/@email}">
            <xsl:call-template name="field-aria">
              <xsl:with-param name="id">email</xsl:with-param>
              <xsl:with-param name="errors" select="$f/error[@field = 'email']"/>
              <xsl:with-param name="hint">email-aide</xsl:with-param>
            </xsl:call-template>
          </input>
          <span class="field-hint" id="email-aide">Les messages du portail (inscriptions, paiements, tirages) y sont envoyés.</span>
          <xsl:call-template name="field-error">
            <xsl:with-param name="id">email</xsl:with-param>
            <xsl:with-param name="errors" select="$f/error[@field = 'email']"/>
          </xsl:call-template>
        </div>
        <div class="field">
          <label for="telephone">Téléphone</label>
          <input type="text" id="telephone" name="telephone" maxlength="40"
                 inputmode="tel" autocomplete="tel" value="{$f/@phone}">
            <xsl:call-template name="field-aria">
              <xsl:with-param name="id">telephone</xsl:with-param>
              <xsl:with-param name="errors" select="$f/error[@field = 'telephone']"/>
              <xsl:with-param name="hint">telephone-aide</xsl:with-param>
            </xsl:call-template>
          </input>
          <span class="field-hint" id="telephone-aide">Exemple : 02 48 65 43 21. Laissez vide si vous ne souhaitez pas le donner.</span>
          <xsl:call-template name="field-error">
            <xsl:with-param name="id">telephone</xsl:with-param>
            <xsl:with-param name="errors" select="$f/error[@field = 'telephone']"/>
          </xsl:call-template>
        </div>
        <p><button type="submit" class="button button-primary">Enregistrer</button></p>
      </form>
    </section>

    <section class="panel" aria-labelledby="personnes">
      <h2 id="personnes">Personnes du foyer</h2>
      <div class="table-wrap" tabindex="0">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Prénom</th>
              <th scope="col">Nom</th>
              <th scope="col">Date de naissance</th>
              <th scope="col">Qualité</th>
            </tr>
          </thead>
          <tbody>
            <xsl:for-each select="$h/person">
              <tr>
                <td><xsl:value-of select="first-name"/></td>
                <td><xsl:value-of select="last-name"/></td>
                <td><time datetime="{birth/@iso}"><xsl:value-of select="birth"/></time></td>
                <td>
                  <xsl:choose>
                    <xsl:when test="@role = 'OD'">Ouvrant droit</xsl:when>
                    <xsl:otherwise>Ayant droit</xsl:otherwise>
                  </xsl:choose>
                </td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
      </div>
      <p class="muted">Pour modifier ces informations, contactez votre CMCAS.</p>
    </section>

    <p class="page-links">
      <a href="{$base}/mon-compte">Revenir sur mon compte</a>
      <a href="{$base}/">Accueil</a>
    </p>
  </xsl:template>

</xsl:stylesheet>
