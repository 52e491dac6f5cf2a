<?xml version="1.0" encoding="UTF-8"?>
<!--
  mod_cmcas — page "inscription": the household's registration for one activity
  (tutorial « Comment s'inscrire à une activité (1/6) … (6/6) »).

  One form posting to inscription/@action (docs/http-interface.md, « Registration form »).
  Every button is a submit button name="action"; the first one in source order is the
  form's default (Enter in a text field), so it is « Ajouter » or, when nobody can be
  added, a hidden « enregistrer »: Enter never cancels nor removes anything.
  When the activity is closed (activite/@open="0") everything is read-only.

  The read-only templates (mode "lecture") are shared with consultation.xsl, which
  imports this file.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:include href="tirage.xsl"/>

  <xsl:variable name="i" select="/page/inscription"/>
  <xsl:variable name="act" select="$i/activite"/>
  <!-- A paid registration is changed by the CMCAS only. -->
  <xsl:variable name="editable" select="string($act/@open) = '1' and string($i/@status) != 'payee'"/>
  <xsl:variable name="can-add" select="boolean($i/choices/person or $i/choices/guest)"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title">
        <xsl:text>Inscription</xsl:text>
        <xsl:if test="string($act/title) != ''">
          <xsl:text> — </xsl:text>
          <xsl:value-of select="$act/title"/>
        </xsl:if>
      </xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li><a href="{$base}/activite/{$act/@id}"><xsl:value-of select="$act/title"/></a></li>
        <li aria-current="page">Inscription</li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <div class="inscription">
      <xsl:call-template name="insc-head">
        <xsl:with-param name="heading">Inscription</xsl:with-param>
      </xsl:call-template>
      <xsl:call-template name="insc-messages"/>
      <xsl:call-template name="tirage">
        <xsl:with-param name="t" select="$i/tirage"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="$editable">
          <xsl:call-template name="insc-form"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="insc-closed"/>
        </xsl:otherwise>
      </xsl:choose>
      <p class="page-links">
        <a href="{$base}/activite/{$act/@id}">Retour à l'activité</a>
        <a href="{$base}/mes-inscriptions">Mes inscriptions</a>
      </p>
    </div>
  </xsl:template>

  <!-- ===== Top: the activity, its dates, places, the registration's status ===== -->
  <xsl:template name="insc-head">
    <xsl:param name="heading"/>
    <header class="panel insc-head">
      <p class="insc-kicker"><xsl:value-of select="$heading"/></p>
      <h1 class="insc-title">
        <a href="{$base}/activite/{$act/@id}"><xsl:value-of select="$act/title"/></a>
      </h1>
      <ul class="insc-facts">
        <li>
          <xsl:text>Dates de début et de fin d'activité : </xsl:text>
          <strong>
            <time datetime="{$act/start/@iso}"><xsl:value-of select="$act/start"/></time>
            <xsl:text> - </xsl:text>
            <time datetime="{$act/end/@iso}"><xsl:value-of select="$act/end"/></time>
          </strong>
        </li>
        <xsl:if test="string($act/closing) != ''">
          <li>
            <xsl:text>Date de clôture des inscriptions : </xsl:text>
            <strong><time datetime="{$act/closing/@iso}"><xsl:value-of select="$act/closing"/></time></strong>
          </li>
        </xsl:if>
        <xsl:if test="string($act/remaining) != ''">
          <li>
            <xsl:text>Nombre de places restantes : </xsl:text>
            <strong><xsl:value-of select="$act/remaining"/></strong>
          </li>
        </xsl:if>
        <xsl:if test="string($i/@id) != ''">
          <li>
            <xsl:text>Statut de l'inscription n° </xsl:text>
            <xsl:value-of select="$i/@id"/>
            <xsl:text> : </xsl:text>
            <xsl:call-template name="status-badge">
              <xsl:with-param name="status" select="$i/@status"/>
              <xsl:with-param name="selection" select="$i/@selection"/>
              <xsl:with-param name="label" select="$i/@status-label"/>
            </xsl:call-template>
          </li>
        </xsl:if>
      </ul>
      <xsl:call-template name="mode-note"/>
    </header>
  </xsl:template>

  <xsl:template name="status-badge">
    <xsl:param name="status"/>
    <xsl:param name="label"/>
    <xsl:param name="selection"/>
    <span class="status status-{$status} selection-{$selection}">
      <xsl:choose>
        <xsl:when test="string($label) != ''"><xsl:value-of select="$label"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$status"/></xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <xsl:template name="mode-note">
    <xsl:choose>
      <xsl:when test="$act/@mode = 'tour_de_role' and $i/tirage/@published = '1'"/>
      <xsl:when test="$act/@mode = 'tour_de_role'">
        <p class="mode-note">Activité à tour de rôle : votre demande est enregistrée ; à la date de clôture des inscriptions, une sélection des participants est effectuée suivant les critères de la CMCAS (tour de rôle). Un e-mail vous indiquera si vous êtes retenu.</p>
      </xsl:when>
      <xsl:when test="$act/@mode = 'immediat'">
        <p class="mode-note">Activité à paiement immédiat : valider votre inscription réserve les places.</p>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="insc-messages">
    <xsl:for-each select="$i/message[@type = 'error' and not(@field)]">
      <p class="alert alert-error" role="alert"><xsl:value-of select="."/></p>
    </xsl:for-each>
    <!-- A guest refused: the message links to its field, which it describes. -->
    <xsl:call-template name="form-error-summary">
      <xsl:with-param name="errors" select="$i/message[@type = 'error' and @field]"/>
      <xsl:with-param name="intro">L'invité n'a pas été ajouté :</xsl:with-param>
    </xsl:call-template>
    <xsl:for-each select="$i/message[@type = 'info']">
      <p class="alert alert-info" role="status"><xsl:value-of select="."/></p>
    </xsl:for-each>
  </xsl:template>

  <!-- ===== The form ===== -->
  <xsl:template name="insc-form">
    <form class="form insc-form" id="inscription-form" method="post" action="{$i/@action}">
      <input type="hidden" name="csrf" value="{$i/@csrf}"/>
      <xsl:if test="not($can-add)">
        <!-- Default button (Enter in a field): only saves. -->
        <button type="submit" name="action" value="enregistrer" class="default-submit"
                tabindex="-1" aria-hidden="true">Enregistrer</button>
      </xsl:if>
      <div class="insc-grid">
        <div class="insc-main">
          <section class="panel insc-add" aria-labelledby="insc-add-titre">
            <h2 id="insc-add-titre">Inscription</h2>
            <xsl:choose>
              <xsl:when test="$can-add">
                <xsl:call-template name="insc-add"/>
              </xsl:when>
              <xsl:otherwise>
                <p class="muted">Toutes les personnes de votre foyer sont inscrites.</p>
              </xsl:otherwise>
            </xsl:choose>
          </section>

          <section class="insc-participants" aria-labelledby="insc-participants-titre">
            <h2 id="insc-participants-titre" class="visually-hidden">Participants</h2>
            <xsl:choose>
              <xsl:when test="$i/participant">
                <xsl:apply-templates select="$i/participant" mode="form"/>
              </xsl:when>
              <xsl:otherwise>
                <p class="panel muted insc-empty">Aucun participant pour le moment : sélectionnez une personne dans la liste déroulante, puis cliquez sur «&#160;Ajouter&#160;».</p>
              </xsl:otherwise>
            </xsl:choose>
          </section>

          <section class="panel" aria-labelledby="insc-obs-titre">
            <h2 id="insc-obs-titre"><label for="observations">Mes observations</label></h2>
            <textarea id="observations" name="observations" maxlength="2000" rows="4">
              <xsl:value-of select="$i/observations"/>
            </textarea>
          </section>
        </div>

        <aside class="insc-side">
          <section class="panel insc-total" aria-labelledby="insc-total-titre">
            <h2 id="insc-total-titre">Montant total de votre inscription</h2>
            <p class="total" aria-live="polite">
              <xsl:text>Total : </xsl:text>
              <strong><xsl:call-template name="total-text"/></strong>
            </p>
            <p class="insc-buttons">
              <xsl:if test="$i/can/@validate = '1'">
                <button type="submit" name="action" value="valider"
                        class="button button-primary button-block">Valider votre inscription</button>
              </xsl:if>
              <xsl:if test="$i/pay">
                <a class="button button-primary button-block" href="{$i/pay/@href}">Procéder au paiement</a>
              </xsl:if>
              <button type="submit" name="action" value="enregistrer"
                      class="button button-block">Mettre à jour le total</button>
              <xsl:if test="$i/can/@cancel = '1'">
                <button type="submit" name="action" value="annuler"
                        class="button button-danger button-block">Annuler votre inscription</button>
              </xsl:if>
            </p>
          </section>
        </aside>
      </div>
    </form>
  </xsl:template>

  <xsl:template name="total-text">
    <xsl:choose>
      <xsl:when test="string($i/total) != ''"><xsl:value-of select="$i/total"/></xsl:when>
      <xsl:otherwise>0,00&#160;€</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The drop-down, the guest's fields and « Ajouter ». -->
  <xsl:template name="insc-add">
    <xsl:variable name="gf" select="$i/guest-form"/>
    <div class="field">
      <label for="personne">Personne à inscrire</label>
      <select id="personne" name="personne">
        <xsl:for-each select="$i/choices/person">
          <option value="{@id}">
            <xsl:value-of select="first-name"/>
            <xsl:text> </xsl:text>
            <xsl:value-of select="last-name"/>
          </option>
        </xsl:for-each>
        <xsl:for-each select="$i/choices/excluded">
          <option value="" disabled="disabled">
            <xsl:value-of select="reason"/>
          </option>
        </xsl:for-each>
        <xsl:if test="$i/choices/guest">
          <option value="invite">
            <xsl:if test="$gf or not($i/choices/person)">
              <xsl:attribute name="selected">selected</xsl:attribute>
            </xsl:if>
            <xsl:text>Invité(s)</xsl:text>
          </option>
        </xsl:if>
      </select>
    </div>
    <xsl:if test="$i/choices/guest">
      <fieldset class="guest-fields" id="invite">
        <legend>Invité(e)</legend>
        <p class="field-hint">À remplir seulement pour inscrire un invité.</p>
        <div class="guest-grid">
          <div class="field">
            <label for="invite-nom">Nom</label>
            <input type="text" id="invite-nom" name="invite-nom" maxlength="100"
                   autocomplete="off" value="{$gf/@nom}">
              <xsl:call-template name="guest-aria"><xsl:with-param name="id">invite-nom</xsl:with-param></xsl:call-template>
            </input>
            <xsl:call-template name="guest-error"><xsl:with-param name="id">invite-nom</xsl:with-param></xsl:call-template>
          </div>
          <div class="field">
            <label for="invite-prenom">Prénom</label>
            <input type="text" id="invite-prenom" name="invite-prenom" maxlength="100"
                   autocomplete="off" value="{$gf/@prenom}">
              <xsl:call-template name="guest-aria"><xsl:with-param name="id">invite-prenom</xsl:with-param></xsl:call-template>
            </input>
            <xsl:call-template name="guest-error"><xsl:with-param name="id">invite-prenom</xsl:with-param></xsl:call-template>
          </div>
          <div class="field">
            <label for="invite-naissance">Date de naissance</label>
            <input type="text" id="invite-naissance" name="invite-naissance" maxlength="10"
                   inputmode="numeric" placeholder="jj/mm/aaaa" pattern="\d{{2}}/\d{{2}}/\d{{4}}"
                   autocomplete="off" value="{$gf/@naissance}">
              <xsl:call-template name="guest-aria">
                <xsl:with-param name="id">invite-naissance</xsl:with-param>
                <xsl:with-param name="hint">invite-naissance-aide</xsl:with-param>
              </xsl:call-template>
            </input>
            <span class="field-hint" id="invite-naissance-aide">Format : jj/mm/aaaa</span>
            <xsl:call-template name="guest-error"><xsl:with-param name="id">invite-naissance</xsl:with-param></xsl:call-template>
          </div>
        </div>
      </fieldset>
    </xsl:if>
    <p class="insc-add-button">
      <button type="submit" name="action" value="ajouter" class="button button-primary">Ajouter</button>
    </p>
  </xsl:template>

  <!-- A guest's field tied to the message about it (after a refused « Ajouter »). -->
  <xsl:template name="guest-aria">
    <xsl:param name="id"/>
    <xsl:param name="hint"/>
    <xsl:call-template name="field-aria">
      <xsl:with-param name="id" select="$id"/>
      <xsl:with-param name="errors" select="$i/message[@type = 'error' and @field = $id]"/>
      <xsl:with-param name="hint" select="$hint"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="guest-error">
    <xsl:param name="id"/>
    <xsl:call-template name="field-error">
      <xsl:with-param name="id" select="$id"/>
      <xsl:with-param name="errors" select="$i/message[@type = 'error' and @field = $id]"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Name of a participant (« Invité(e) : Prénom NOM » for a guest). -->
  <xsl:template name="participant-name">
    <xsl:if test="@kind = 'guest'">
      <xsl:text>Invité(e) : </xsl:text>
    </xsl:if>
    <xsl:value-of select="first-name"/>
    <xsl:text> </xsl:text>
    <xsl:value-of select="last-name"/>
  </xsl:template>

  <xsl:template name="participant-head">
    <header class="participant-head">
      <h3 class="participant-name" id="participant-{@id}-nom">
        <xsl:call-template name="participant-name"/>
        <xsl:if test="@confirmed = '0' and $i/@status = 'validee'">
          <xsl:text> </xsl:text>
          <span class="pending">(en attente de validation)</span>
        </xsl:if>
      </h3>
      <xsl:if test="@kind = 'guest' and string(birth) != ''">
        <p class="participant-birth">
          <xsl:text>Date de naissance : </xsl:text>
          <time datetime="{birth/@iso}"><xsl:value-of select="birth"/></time>
        </p>
      </xsl:if>
    </header>
  </xsl:template>

  <!-- « Montant : 30,00 € » and « Participation CMCAS : 10,00 € » of an option. -->
  <xsl:template name="option-prices">
    <span class="option-prices">
      <span>
        <xsl:text>Montant : </xsl:text>
        <strong><xsl:value-of select="price"/></strong>
      </span>
      <span>
        <xsl:choose>
          <xsl:when test="number(participation/@cents) &gt; 0">
            <xsl:text>Participation CMCAS : </xsl:text>
            <strong><xsl:value-of select="participation"/></strong>
          </xsl:when>
          <xsl:otherwise>Pas de participation CMCAS</xsl:otherwise>
        </xsl:choose>
      </span>
    </span>
  </xsl:template>

  <xsl:template name="participant-amount">
    <p class="participant-amount">
      <xsl:text>Montant pour cette personne : </xsl:text>
      <strong>
        <xsl:choose>
          <xsl:when test="string(amount) != ''"><xsl:value-of select="amount"/></xsl:when>
          <xsl:otherwise>0,00&#160;€</xsl:otherwise>
        </xsl:choose>
      </strong>
    </p>
  </xsl:template>

  <!-- ===== One participant, editable ===== -->
  <xsl:template match="participant" mode="form">
    <xsl:variable name="pid" select="@id"/>
    <article class="panel participant">
      <input type="hidden" name="participant" value="{@id}"/>
      <xsl:call-template name="participant-head"/>
      <fieldset class="participant-options">
        <legend>Option(s)</legend>
        <xsl:choose>
          <xsl:when test="option">
            <ul class="choice-list">
              <xsl:for-each select="option">
                <li>
                  <label class="check" for="option-{$pid}-{@id}">
                    <input type="checkbox" id="option-{$pid}-{@id}" name="options-{$pid}" value="{@id}">
                      <xsl:if test="@selected = '1'">
                        <xsl:attribute name="checked">checked</xsl:attribute>
                      </xsl:if>
                    </input>
                    <span class="check-text">
                      <span class="option-label"><xsl:value-of select="label"/></span>
                      <xsl:call-template name="option-prices"/>
                    </span>
                  </label>
                </li>
              </xsl:for-each>
            </ul>
          </xsl:when>
          <xsl:otherwise>
            <p class="muted">Aucune option n'est proposée.</p>
          </xsl:otherwise>
        </xsl:choose>
      </fieldset>
      <p class="participant-photo">
        <label class="check" for="photo-{$pid}">
          <input type="checkbox" id="photo-{$pid}" name="photo-{$pid}" value="1">
            <xsl:if test="@photo-optout = '1'">
              <xsl:attribute name="checked">checked</xsl:attribute>
            </xsl:if>
          </input>
          <span class="check-text">Pas d'accord pour être pris en photo/vidéo et qu'elles soient diffusées</span>
        </label>
      </p>
      <footer class="participant-foot">
        <xsl:call-template name="participant-amount"/>
        <button type="submit" name="action" value="retirer-{$pid}" class="button button-small button-quiet"
                aria-describedby="participant-{$pid}-nom">Retirer</button>
      </footer>
    </article>
  </xsl:template>

  <!-- ===== Closed: the same, read-only ===== -->
  <xsl:template name="insc-closed">
    <xsl:choose>
      <xsl:when test="string($i/@status) = 'payee'">
        <p class="alert alert-info" role="status">Votre inscription est payée. Pour la modifier ou l'annuler, contactez la CMCAS.</p>
      </xsl:when>
      <xsl:otherwise>
        <p class="alert alert-closed">Les inscriptions sont closes.</p>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:call-template name="insc-readonly"/>
  </xsl:template>

  <!-- Participants, observations and total, without any form control. -->
  <xsl:template name="insc-readonly">
    <xsl:if test="$i/participant">
      <section class="insc-participants" aria-labelledby="insc-participants-titre">
        <h2 id="insc-participants-titre">Participants</h2>
        <xsl:apply-templates select="$i/participant" mode="lecture"/>
      </section>
    </xsl:if>
    <xsl:if test="$i/participant or string($i/observations) != ''">
      <section class="panel" aria-labelledby="insc-obs-titre">
        <h2 id="insc-obs-titre">Mes observations</h2>
        <xsl:choose>
          <xsl:when test="normalize-space($i/observations) != ''">
            <p class="observations"><xsl:value-of select="$i/observations"/></p>
          </xsl:when>
          <xsl:otherwise>
            <p class="muted">Aucune observation.</p>
          </xsl:otherwise>
        </xsl:choose>
      </section>
      <section class="panel insc-total" aria-labelledby="insc-total-titre">
        <h2 id="insc-total-titre">Montant total de votre inscription</h2>
        <p class="total">
          <xsl:text>Total : </xsl:text>
          <strong><xsl:call-template name="total-text"/></strong>
        </p>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="participant" mode="lecture">
    <article class="panel participant">
      <xsl:call-template name="participant-head"/>
      <div class="participant-options">
        <h4 class="participant-sub">Option(s)</h4>
        <xsl:variable name="chosen" select="option[@selected = '1']"/>
        <xsl:choose>
          <xsl:when test="$chosen">
            <ul class="choice-list choice-list-readonly">
              <xsl:for-each select="$chosen">
                <li>
                  <span class="check-text">
                    <span class="option-label"><xsl:value-of select="label"/></span>
                    <xsl:call-template name="option-prices"/>
                  </span>
                </li>
              </xsl:for-each>
            </ul>
          </xsl:when>
          <xsl:otherwise>
            <p class="muted">Aucune option choisie.</p>
          </xsl:otherwise>
        </xsl:choose>
      </div>
      <p class="participant-photo">
        <xsl:choose>
          <xsl:when test="@photo-optout = '1'">Pas d'accord pour être photographié(e)</xsl:when>
          <xsl:otherwise>Accepte d'être photographié(e)</xsl:otherwise>
        </xsl:choose>
      </p>
      <footer class="participant-foot">
        <xsl:call-template name="participant-amount"/>
      </footer>
    </article>
  </xsl:template>

</xsl:stylesheet>
