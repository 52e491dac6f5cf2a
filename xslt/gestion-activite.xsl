<?xml version="1.0" encoding="UTF-8"?>
<!--
  mod_cmcas — page "gestion-activite": the back-office form of an activity and its options
  (« prestations »), its publication and its picture (docs/http-interface.md,
  « Back-office »). Without JavaScript: the option editor lists the options and a few
  empty rows; a row's « supprimer » box removes it. Every value is text, escaped here.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="gestion-layout.xsl"/>

  <xsl:variable name="f" select="/page/activite-form"/>
  <xsl:variable name="new" select="not($f/@id)"/>

  <xsl:template match="/">
    <xsl:call-template name="gestion-layout">
      <xsl:with-param name="title">
        <xsl:choose>
          <xsl:when test="$new">Nouvelle activité</xsl:when>
          <xsl:otherwise>
            <xsl:text>Activité </xsl:text><xsl:value-of select="$f/@id"/>
            <xsl:text> — </xsl:text><xsl:value-of select="$f/saved-title"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li aria-current="page">
          <xsl:choose>
            <xsl:when test="$new">Nouvelle activité</xsl:when>
            <xsl:otherwise><xsl:value-of select="$f/saved-title"/></xsl:otherwise>
          </xsl:choose>
        </li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The value of field $name of the form (or of an option row: context node). -->
  <xsl:template name="v">
    <xsl:param name="name"/>
    <xsl:param name="in" select="$f"/>
    <xsl:value-of select="$in/champ[@nom = $name]"/>
  </xsl:template>

  <!-- The messages about field $name. -->
  <xsl:template name="errs">
    <xsl:param name="name"/>
    <xsl:call-template name="field-error">
      <xsl:with-param name="id" select="concat('f-', $name)"/>
      <xsl:with-param name="errors" select="$f/erreurs/erreur[@champ = $name]"/>
    </xsl:call-template>
  </xsl:template>

  <!-- aria-invalid and aria-describedby of field $name (first inside its element). -->
  <xsl:template name="aria">
    <xsl:param name="name"/>
    <xsl:param name="hint"/>
    <xsl:call-template name="field-aria">
      <xsl:with-param name="id" select="concat('f-', $name)"/>
      <xsl:with-param name="errors" select="$f/erreurs/erreur[@champ = $name]"/>
      <xsl:with-param name="hint" select="$hint"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="text-field">
    <xsl:param name="name"/>
    <xsl:param name="label"/>
    <xsl:param name="hint"/>
    <xsl:param name="size" select="'40'"/>
    <xsl:param name="max" select="'200'"/>
    <div class="field">
      <label for="f-{$name}"><xsl:value-of select="$label"/></label>
      <input type="text" id="f-{$name}" name="{$name}" size="{$size}" maxlength="{$max}"
             value="{$f/champ[@nom = $name]}">
        <xsl:call-template name="aria">
          <xsl:with-param name="name" select="$name"/>
          <xsl:with-param name="hint">
            <xsl:if test="string($hint) != ''">f-<xsl:value-of select="$name"/>-aide</xsl:if>
          </xsl:with-param>
        </xsl:call-template>
      </input>
      <xsl:if test="string($hint) != ''">
        <span class="field-hint" id="f-{$name}-aide"><xsl:value-of select="$hint"/></span>
      </xsl:if>
      <xsl:call-template name="errs"><xsl:with-param name="name" select="$name"/></xsl:call-template>
    </div>
  </xsl:template>

  <xsl:template name="notice">
    <xsl:choose>
      <xsl:when test="$f/@notice = 'creee'">Activité créée (non publiée).</xsl:when>
      <xsl:when test="$f/@notice = 'enregistree'">Modifications enregistrées.</xsl:when>
      <xsl:when test="$f/@notice = 'publiee'">Activité publiée : les adhérents la voient.</xsl:when>
      <xsl:when test="$f/@notice = 'depubliee'">Activité dépubliée : les adhérents ne la voient plus au catalogue.</xsl:when>
      <xsl:when test="$f/@notice = 'image'">Image enregistrée.</xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="/" mode="content">
    <h1>
      <xsl:choose>
        <xsl:when test="$new">Nouvelle activité</xsl:when>
        <xsl:otherwise>
          <xsl:text>Activité </xsl:text><xsl:value-of select="$f/@id"/>
          <xsl:text> — </xsl:text><xsl:value-of select="$f/saved-title"/>
        </xsl:otherwise>
      </xsl:choose>
    </h1>
    <xsl:if test="$f/@notice">
      <p class="alert alert-info" role="status"><xsl:call-template name="notice"/></p>
    </xsl:if>
    <xsl:call-template name="form-error-summary">
      <xsl:with-param name="errors" select="$f/erreurs/erreur"/>
      <xsl:with-param name="prefix">f-</xsl:with-param>
    </xsl:call-template>
    <xsl:if test="not($new)">
      <xsl:call-template name="status"/>
    </xsl:if>
    <xsl:call-template name="form"/>
    <xsl:if test="not($new)">
      <xsl:call-template name="image"/>
    </xsl:if>
  </xsl:template>

  <!-- Publication, places and registrations. -->
  <xsl:template name="status">
    <section class="panel gestion-activite-etat" aria-labelledby="etat-titre">
      <h2 id="etat-titre">État</h2>
      <p>
        <xsl:choose>
          <xsl:when test="$f/@published = '1'">
            <xsl:text>Publiée le </xsl:text><xsl:value-of select="$f/published-at"/>
          </xsl:when>
          <xsl:otherwise>Non publiée : les adhérents ne la voient pas.</xsl:otherwise>
        </xsl:choose>
      </p>
      <p>
        <xsl:text>Places prises : </xsl:text><xsl:value-of select="$f/@places-taken"/>
        <xsl:text> · inscriptions en cours : </xsl:text>
        <xsl:value-of select="$f/@registrations"/>
      </p>
      <form method="post" action="{$f/@action}/publier" class="inline-form">
        <input type="hidden" name="csrf" value="{$csrf}"/>
        <xsl:choose>
          <xsl:when test="$f/@published = '1'">
            <button type="submit" name="action" value="depublier" class="button">Dépublier</button>
          </xsl:when>
          <xsl:otherwise>
            <button type="submit" name="action" value="publier" class="button button-primary">Publier</button>
          </xsl:otherwise>
        </xsl:choose>
      </form>
    </section>
  </xsl:template>

  <xsl:template name="form">
    <form class="form gestion-activite-form" method="post" action="{$f/@action}">
      <input type="hidden" name="csrf" value="{$csrf}"/>
      <fieldset>
        <legend>L'activité</legend>
        <div class="field">
          <label for="f-theme">Thème</label>
          <select id="f-theme" name="theme">
            <xsl:call-template name="aria"><xsl:with-param name="name" select="'theme'"/></xsl:call-template>
            <xsl:if test="string($f/champ[@nom = 'theme']) = ''">
              <option value="">— choisir —</option>
            </xsl:if>
            <xsl:for-each select="/page/themes/theme">
              <option value="{@code}">
                <xsl:if test="@code = string($f/champ[@nom = 'theme'])">
                  <xsl:attribute name="selected">selected</xsl:attribute>
                </xsl:if>
                <xsl:value-of select="."/>
              </option>
            </xsl:for-each>
          </select>
          <xsl:call-template name="errs"><xsl:with-param name="name" select="'theme'"/></xsl:call-template>
        </div>
        <xsl:call-template name="text-field">
          <xsl:with-param name="name" select="'title'"/>
          <xsl:with-param name="label" select="'Titre'"/>
          <xsl:with-param name="size" select="'60'"/>
        </xsl:call-template>
        <div class="field">
          <label for="f-description">Description</label>
          <textarea id="f-description" name="description" rows="8" cols="70" maxlength="4000">
            <xsl:call-template name="aria">
              <xsl:with-param name="name" select="'description'"/>
              <xsl:with-param name="hint" select="'f-description-aide'"/>
            </xsl:call-template>
            <xsl:value-of select="$f/champ[@nom = 'description']"/>
          </textarea>
          <span class="field-hint" id="f-description-aide">Texte simple : une ligne vide sépare deux paragraphes (pas de HTML).</span>
          <xsl:call-template name="errs"><xsl:with-param name="name" select="'description'"/></xsl:call-template>
        </div>
        <xsl:call-template name="text-field">
          <xsl:with-param name="name" select="'place'"/>
          <xsl:with-param name="label" select="'Lieu de l’activité'"/>
          <xsl:with-param name="size" select="'60'"/>
        </xsl:call-template>
        <xsl:call-template name="text-field">
          <xsl:with-param name="name" select="'start_date'"/>
          <xsl:with-param name="label" select="'Date de début'"/>
          <xsl:with-param name="hint" select="'JJ/MM/AAAA'"/>
          <xsl:with-param name="size" select="'10'"/>
          <xsl:with-param name="max" select="'10'"/>
        </xsl:call-template>
        <xsl:call-template name="text-field">
          <xsl:with-param name="name" select="'end_date'"/>
          <xsl:with-param name="label" select="'Date de fin'"/>
          <xsl:with-param name="hint" select="'JJ/MM/AAAA'"/>
          <xsl:with-param name="size" select="'10'"/>
          <xsl:with-param name="max" select="'10'"/>
        </xsl:call-template>
        <xsl:call-template name="text-field">
          <xsl:with-param name="name" select="'closing_date'"/>
          <xsl:with-param name="label" select="'Date de clôture des inscriptions'"/>
          <xsl:with-param name="hint" select="'JJ/MM/AAAA, au plus tard la date de début'"/>
          <xsl:with-param name="size" select="'10'"/>
          <xsl:with-param name="max" select="'10'"/>
        </xsl:call-template>
        <xsl:call-template name="text-field">
          <xsl:with-param name="name" select="'capacity'"/>
          <xsl:with-param name="label" select="'Nombre de places'"/>
          <xsl:with-param name="size" select="'6'"/>
          <xsl:with-param name="max" select="'6'"/>
        </xsl:call-template>
        <div class="field">
          <label for="f-mode">Mode d'inscription</label>
          <select id="f-mode" name="mode">
            <xsl:call-template name="aria"><xsl:with-param name="name" select="'mode'"/></xsl:call-template>
            <option value="immediat">
              <xsl:if test="$f/champ[@nom = 'mode'] = 'immediat'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
              <xsl:text>Paiement immédiat</xsl:text>
            </option>
            <option value="tour_de_role">
              <xsl:if test="$f/champ[@nom = 'mode'] = 'tour_de_role'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
              <xsl:text>Tour de rôle</xsl:text>
            </option>
          </select>
          <xsl:if test="$f/@registrations &gt; 0">
            <span class="field-hint">L'activité a des inscriptions : son mode ne change plus.</span>
          </xsl:if>
          <xsl:call-template name="errs"><xsl:with-param name="name" select="'mode'"/></xsl:call-template>
        </div>
        <div class="field">
          <label class="check">
            <input type="checkbox" name="open_to_others" value="1">
              <xsl:if test="$f/champ[@nom = 'open_to_others'] = '1'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
            </input>
            <xsl:text> Ouverte aux adhérents des autres CMCAS</xsl:text>
          </label>
        </div>
        <div class="field">
          <label class="check">
            <input type="checkbox" name="guests_allowed" value="1">
              <xsl:if test="$f/champ[@nom = 'guests_allowed'] = '1'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
            </input>
            <xsl:text> Invités acceptés</xsl:text>
          </label>
        </div>
        <xsl:call-template name="text-field">
          <xsl:with-param name="name" select="'max_guests'"/>
          <xsl:with-param name="label" select="'Invités par foyer au plus'"/>
          <xsl:with-param name="hint" select="'vide : sans limite'"/>
          <xsl:with-param name="size" select="'4'"/>
          <xsl:with-param name="max" select="'4'"/>
        </xsl:call-template>
        <xsl:call-template name="text-field">
          <xsl:with-param name="name" select="'min_age'"/>
          <xsl:with-param name="label" select="'Âge minimum (à la date de début)'"/>
          <xsl:with-param name="hint" select="'vide : aucun'"/>
          <xsl:with-param name="size" select="'3'"/>
          <xsl:with-param name="max" select="'3'"/>
        </xsl:call-template>
        <xsl:call-template name="text-field">
          <xsl:with-param name="name" select="'max_age'"/>
          <xsl:with-param name="label" select="'Âge maximum'"/>
          <xsl:with-param name="hint" select="'vide : aucun'"/>
          <xsl:with-param name="size" select="'3'"/>
          <xsl:with-param name="max" select="'3'"/>
        </xsl:call-template>
      </fieldset>
      <fieldset>
        <legend>Prestations de l'activité</legend>
        <p class="field-hint">Montants en euros (par exemple 30,00). « Montant » : ce que paie la personne ; « Participation CMCAS » : la part prise en charge par la CMCAS. Les montants d'une prestation déjà choisie par des inscriptions ne changent plus.</p>
        <div class="table-wrap" tabindex="0">
          <table class="table gestion-options">
            <thead>
              <tr>
                <th scope="col">Libellé</th>
                <th scope="col">Montant bénéficiaire</th>
                <th scope="col">Participation CMCAS bénéficiaire</th>
                <th scope="col">Montant invité</th>
                <th scope="col">Participation CMCAS invité</th>
                <th scope="col">Âge min.</th>
                <th scope="col">Âge max.</th>
                <th scope="col">Ordre</th>
                <th scope="col">Supprimer</th>
              </tr>
            </thead>
            <tbody>
              <xsl:apply-templates select="$f/options/option"/>
            </tbody>
          </table>
        </div>
      </fieldset>
      <p>
        <button type="submit" class="button button-primary">
          <xsl:choose>
            <xsl:when test="$new">Créer l'activité</xsl:when>
            <xsl:otherwise>Enregistrer</xsl:otherwise>
          </xsl:choose>
        </button>
      </p>
    </form>
  </xsl:template>

  <xsl:template match="option">
    <xsl:variable name="p" select="concat('option.', @n, '.')"/>
    <xsl:variable name="fixed" select="@chosen &gt; 0"/>
    <tr>
      <td data-label="Libellé">
        <xsl:if test="@id">
          <input type="hidden" name="{$p}id" value="{@id}"/>
        </xsl:if>
        <input type="text" id="f-{$p}label" name="{$p}label" size="24" maxlength="200"
               value="{champ[@nom = 'label']}" aria-label="Libellé">
          <xsl:call-template name="aria"><xsl:with-param name="name" select="concat($p, 'label')"/></xsl:call-template>
        </input>
        <xsl:if test="$fixed">
          <span class="field-hint">
            <xsl:text>Choisie par </xsl:text><xsl:value-of select="@chosen"/>
            <xsl:text> inscription(s) : montants figés.</xsl:text>
          </span>
        </xsl:if>
        <xsl:call-template name="errs"><xsl:with-param name="name" select="concat($p, 'label')"/></xsl:call-template>
      </td>
      <xsl:for-each select="champ[@nom = 'price_beneficiary' or @nom = 'participation_beneficiary' or @nom = 'price_guest' or @nom = 'participation_guest']">
        <td>
          <input type="text" id="f-{$p}{@nom}" name="{$p}{@nom}" size="8" maxlength="30" value="{.}"
                 inputmode="decimal">
            <xsl:call-template name="aria"><xsl:with-param name="name" select="concat($p, @nom)"/></xsl:call-template>
            <xsl:attribute name="aria-label">
              <xsl:call-template name="option-field-label"/>
            </xsl:attribute>
            <xsl:if test="$fixed"><xsl:attribute name="readonly">readonly</xsl:attribute></xsl:if>
          </input>
          <xsl:call-template name="errs"><xsl:with-param name="name" select="concat($p, @nom)"/></xsl:call-template>
        </td>
      </xsl:for-each>
      <xsl:for-each select="champ[@nom = 'min_age' or @nom = 'max_age' or @nom = 'position']">
        <td>
          <input type="text" id="f-{$p}{@nom}" name="{$p}{@nom}" size="3" maxlength="6" value="{.}"
                 inputmode="numeric">
            <xsl:call-template name="aria"><xsl:with-param name="name" select="concat($p, @nom)"/></xsl:call-template>
            <xsl:attribute name="aria-label">
              <xsl:call-template name="option-field-label"/>
            </xsl:attribute>
          </input>
          <xsl:call-template name="errs"><xsl:with-param name="name" select="concat($p, @nom)"/></xsl:call-template>
        </td>
      </xsl:for-each>
      <td data-label="Supprimer">
        <xsl:if test="@id">
          <input type="checkbox" id="f-{$p}delete" name="{$p}delete" value="1" aria-label="Supprimer la prestation">
            <xsl:call-template name="aria"><xsl:with-param name="name" select="concat($p, 'delete')"/></xsl:call-template>
            <xsl:if test="@delete = '1'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
          </input>
          <xsl:call-template name="errs"><xsl:with-param name="name" select="concat($p, 'delete')"/></xsl:call-template>
        </xsl:if>
      </td>
    </tr>
  </xsl:template>

  <!-- The French name of an option's field (the context <champ>), read by screen
       readers in place of the column's heading. -->
  <xsl:template name="option-field-label">
    <xsl:choose>
      <xsl:when test="@nom = 'price_beneficiary'">Montant pour un bénéficiaire (€)</xsl:when>
      <xsl:when test="@nom = 'participation_beneficiary'">Participation CMCAS pour un bénéficiaire (€)</xsl:when>
      <xsl:when test="@nom = 'price_guest'">Montant pour un invité (€)</xsl:when>
      <xsl:when test="@nom = 'participation_guest'">Participation CMCAS pour un invité (€)</xsl:when>
      <xsl:when test="@nom = 'min_age'">Âge minimum</xsl:when>
      <xsl:when test="@nom = 'max_age'">Âge maximum</xsl:when>
      <xsl:when test="@nom = 'position'">Ordre d'affichage</xsl:when>
      <xsl:otherwise><xsl:value-of select="@nom"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The picture: the current one and the upload form. -->
  <xsl:template name="image">
    <section class="panel gestion-activite-image" aria-labelledby="image-titre">
      <h2 id="image-titre">Image</h2>
      <xsl:variable name="img" select="string($f/image)"/>
      <xsl:if test="$img != ''">
        <xsl:variable name="src">
          <xsl:choose>
            <xsl:when test="starts-with($img, '/') or contains($img, ':')"><xsl:value-of select="$img"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="concat($g, '/', $img)"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <p><img src="{$src}" alt="Image actuelle" width="400" height="250" class="gestion-image"/></p>
      </xsl:if>
      <form method="post" action="{$f/@action}/image" enctype="multipart/form-data" class="form">
        <input type="hidden" name="csrf" value="{$csrf}"/>
        <div class="field">
          <label for="f-image">Nouvelle image (JPEG ou PNG, 2 Mio au plus)</label>
          <input type="file" id="f-image" name="image" accept="image/jpeg,image/png"/>
        </div>
        <p><button type="submit" class="button">Envoyer l'image</button></p>
      </form>
    </section>
  </xsl:template>

</xsl:stylesheet>
