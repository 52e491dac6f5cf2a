<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "gestion-inscription-modifier": a paid registration changed by the
     CMCAS's staff at the member's request. Per participant its options as check boxes and
     « Retirer »; a person of the household or a guest to add with its options; the total
     paid; the required reason. The difference becomes an adjustment order: owed at the
     desk, or to refund. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="gestion-layout.xsl"/>

  <xsl:variable name="m" select="/page/modification"/>

  <xsl:template match="/">
    <xsl:call-template name="gestion-layout">
      <xsl:with-param name="title">Modifier l'inscription <xsl:value-of select="$m/@inscription"/></xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li><a href="{$m/@back}">Inscriptions — <xsl:value-of select="$m/activite"/></a></li>
        <li aria-current="page">Modifier l'inscription <xsl:value-of select="$m/@inscription"/></li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/" mode="content">
    <h1>Modifier l'inscription <xsl:value-of select="$m/@inscription"/></h1>
    <p class="lead">
      <xsl:value-of select="$m/activite"/>
      <xsl:text> · </xsl:text><xsl:value-of select="$m/@status-label"/>
      <xsl:text> · total payé : </xsl:text><strong class="total"><xsl:value-of select="$m/total"/></strong>
    </p>
    <xsl:if test="$m/resultat">
      <p class="alert alert-info resultat" role="status">
        <xsl:text>Inscription modifiée. </xsl:text>
        <xsl:choose>
          <xsl:when test="$m/resultat/@status = 'attente_cmcas'">
            <xsl:text>Commande d'ajustement </xsl:text><strong><xsl:value-of select="$m/resultat/@ref"/></strong>
            <xsl:text> : </xsl:text><xsl:value-of select="$m/resultat/total"/>
            <xsl:text> à payer à l'accueil (« Commandes »).</xsl:text>
          </xsl:when>
          <xsl:when test="$m/resultat/@ref">
            <xsl:text>Commande d'ajustement </xsl:text><strong><xsl:value-of select="$m/resultat/@ref"/></strong>
            <xsl:text> : </xsl:text><xsl:value-of select="$m/resultat/total"/>
            <xsl:text> · </xsl:text><xsl:value-of select="$m/resultat/@status-label"/><xsl:text>.</xsl:text>
          </xsl:when>
          <xsl:otherwise>Le total est inchangé : aucune commande.</xsl:otherwise>
        </xsl:choose>
      </p>
    </xsl:if>
    <xsl:if test="$m/waiting">
      <p class="alert alert-warning" role="status">
        <xsl:text>La commande d'ajustement </xsl:text><strong><xsl:value-of select="$m/waiting/@ref"/></strong>
        <xsl:text> attend son paiement en CMCAS (« Commandes »). Une nouvelle modification la remplace : la
          différence est recalculée sur ce que le foyer a payé.</xsl:text>
      </p>
    </xsl:if>
        <p>Cochez ou décochez les prestations, retirez ou ajoutez une personne, à la demande de
          l'adhérent. La différence de prix fait une commande d'ajustement : à payer à l'accueil de
          la CMCAS, ou à rembourser. Le foyer est prévenu.</p>
        <form class="form staff-amend" method="post" action="{$m/@action}">
          <input type="hidden" name="csrf" value="{$csrf}"/>
          <xsl:apply-templates select="$m/participant"/>
          <fieldset class="amend-add">
            <legend>Ajouter une personne</legend>
            <label for="personne">Personne</label>
            <select id="personne" name="personne">
              <option value="">— Personne —</option>
              <xsl:for-each select="$m/choices/person">
                <option value="{@id}">
                  <xsl:value-of select="first-name"/><xsl:text> </xsl:text><xsl:value-of select="last-name"/>
                </option>
              </xsl:for-each>
              <xsl:if test="$m/choices/guest"><option value="invite">Invité(s)</option></xsl:if>
            </select>
            <xsl:if test="$m/choices/guest">
              <p class="muted">Pour un invité :</p>
              <label for="invite-nom">Nom</label>
              <input type="text" id="invite-nom" name="invite-nom" maxlength="100"/>
              <label for="invite-prenom">Prénom</label>
              <input type="text" id="invite-prenom" name="invite-prenom" maxlength="100"/>
              <label for="invite-naissance">Date de naissance (JJ/MM/AAAA)</label>
              <input type="text" id="invite-naissance" name="invite-naissance" maxlength="10"
                     placeholder="JJ/MM/AAAA"/>
            </xsl:if>
            <xsl:if test="$m/choices/option">
              <p>Prestations de la personne ajoutée :</p>
              <ul class="options">
                <xsl:for-each select="$m/choices/option">
                  <li>
                    <label>
                      <input type="checkbox" name="options-nouveau" value="{@id}"/>
                      <xsl:text> </xsl:text><xsl:value-of select="label"/>
                      <xsl:text> — </xsl:text><xsl:value-of select="price-beneficiary"/>
                      <xsl:text> (invité : </xsl:text><xsl:value-of select="price-guest"/><xsl:text>)</xsl:text>
                    </label>
                  </li>
                </xsl:for-each>
              </ul>
            </xsl:if>
          </fieldset>
          <label for="motif">Motif (la demande de l'adhérent)</label>
          <input type="text" id="motif" name="motif" required="required" maxlength="500"/>
          <button type="submit" class="button">Enregistrer la modification</button>
          <xsl:text> </xsl:text><a href="{$m/@back}">Retour aux inscriptions</a>
        </form>
  </xsl:template>

  <xsl:template match="participant">
    <fieldset class="participant" data-id="{@id}">
      <legend>
        <xsl:value-of select="first-name"/><xsl:text> </xsl:text><xsl:value-of select="last-name"/>
        <xsl:choose>
          <xsl:when test="@kind = 'guest'"> (invité)</xsl:when>
          <xsl:when test="@kind = 'OD'"> (ouvrant droit)</xsl:when>
          <xsl:otherwise> (ayant droit)</xsl:otherwise>
        </xsl:choose>
        <xsl:if test="birth"><xsl:text>, né(e) le </xsl:text><xsl:value-of select="birth"/></xsl:if>
      </legend>
      <input type="hidden" name="participant" value="{@id}"/>
      <ul class="options">
        <xsl:for-each select="option">
          <li>
            <label>
              <input type="checkbox" name="options-{../@id}" value="{@id}">
                <xsl:if test="@selected = '1'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
              </input>
              <xsl:text> </xsl:text><xsl:value-of select="label"/>
              <xsl:text> — </xsl:text><xsl:value-of select="price"/>
            </label>
          </li>
        </xsl:for-each>
      </ul>
      <p>
        <xsl:text>Montant : </xsl:text><xsl:value-of select="amount"/>
        <xsl:text> · </xsl:text>
        <label><input type="checkbox" name="retirer-{@id}" value="1"/> Retirer</label>
      </p>
    </fieldset>
  </xsl:template>

</xsl:stylesheet>
