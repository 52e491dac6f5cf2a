<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "gestion-inscriptions": the registrations of one activity, for the
     CMCAS's staff: households, persons, options, photo/video opt-outs, observations,
     status and payments; the status filter, the CSV export and « Annuler » with a
     reason. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="gestion-layout.xsl"/>

  <xsl:variable name="l" select="/page/inscriptions"/>
  <xsl:variable name="a" select="$l/activite"/>
  <xsl:variable name="self" select="concat($g, '/activite/', $a/@id, '/inscriptions')"/>

  <xsl:template match="/">
    <xsl:call-template name="gestion-layout">
      <xsl:with-param name="title">Inscriptions — <xsl:value-of select="$a/title"/></xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li><a href="{$g}/activite/{$a/@id}"><xsl:value-of select="$a/title"/></a></li>
        <li aria-current="page">Inscriptions</li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/" mode="content">
    <h1>Inscriptions — <xsl:value-of select="$a/title"/></h1>
    <p class="lead">
      <xsl:text>Activité </xsl:text><xsl:value-of select="$a/@id"/>
      <xsl:text> · </xsl:text>
      <xsl:value-of select="$a/start"/>
      <xsl:if test="string($a/end) != string($a/start)">
        <xsl:text> au </xsl:text><xsl:value-of select="$a/end"/>
      </xsl:if>
      <xsl:text> · clôture le </xsl:text><xsl:value-of select="$a/closing"/>
      <xsl:if test="$a/@mode = 'tour_de_role'"> · tour de rôle</xsl:if>
    </p>
    <p class="places">
      <xsl:text>Places prises : </xsl:text>
      <strong><xsl:value-of select="$a/@places-taken"/> / <xsl:value-of select="$a/@capacity"/></strong>
    </p>
    <xsl:if test="/page/annulation">
      <p class="alert alert-info" role="status">
        <xsl:text>L'inscription </xsl:text><xsl:value-of select="/page/annulation/@inscription"/>
        <xsl:text> est annulée ; le foyer en est informé par e-mail.</xsl:text>
      </p>
    </xsl:if>
    <form class="filters" method="get" action="{$self}">
      <label for="statut" class="filters-label">Statut</label>
      <xsl:text> </xsl:text>
      <select id="statut" name="statut">
        <xsl:for-each select="$l/filtres/filtre">
          <option value="{@code}">
            <xsl:if test="@selected = '1'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
            <xsl:value-of select="."/>
          </option>
        </xsl:for-each>
      </select>
      <xsl:text> </xsl:text>
      <button type="submit" class="button button-small">Filtrer</button>
    </form>
    <p class="result-count">
      <xsl:value-of select="$l/compteurs/@inscriptions"/>
      <xsl:text> inscription(s), </xsl:text>
      <xsl:value-of select="$l/compteurs/@personnes"/>
      <xsl:text> personne(s) · </xsl:text>
      <a href="{$self}.csv?statut={$l/@statut}">Exporter en CSV (tableur)</a>
      <xsl:text> · </xsl:text>
      <a href="{$self}.csv?statut={$l/@statut}&amp;refus-photo=1">Exporter les refus photo/vidéo</a>
    </p>
    <section class="panel refus-photo">
      <h2>Refus photo/vidéo (<xsl:value-of select="$l/compteurs/@refus-photo"/>)</h2>
      <xsl:choose>
        <xsl:when test="$l/refus-photo/personne">
          <ul>
            <xsl:for-each select="$l/refus-photo/personne">
              <li>
                <xsl:value-of select="first-name"/><xsl:text> </xsl:text>
                <xsl:value-of select="last-name"/>
                <xsl:text> (inscription </xsl:text><xsl:value-of select="@inscription"/><xsl:text>)</xsl:text>
              </li>
            </xsl:for-each>
          </ul>
        </xsl:when>
        <xsl:otherwise><p class="empty">Aucun refus.</p></xsl:otherwise>
      </xsl:choose>
    </section>
    <xsl:choose>
      <xsl:when test="$l/inscription">
        <div class="table-wrap" tabindex="0">
          <table class="table table-stack gestion-inscriptions">
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">Foyer</th>
                <th scope="col">Personnes</th>
                <th scope="col">Observations</th>
                <th scope="col">Statut</th>
                <th scope="col">Paiements</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              <xsl:apply-templates select="$l/inscription"/>
            </tbody>
          </table>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">Aucune inscription pour ce filtre.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="inscription">
    <tr data-id="{@id}" class="inscription-{@status}">
      <td data-label="ID">
        <xsl:value-of select="@id"/>
        <br/><small class="muted">le <xsl:value-of select="created"/></small>
      </td>
      <td data-label="Foyer" class="foyer">
        <strong><xsl:value-of select="foyer/name"/></strong>
        <br/><xsl:value-of select="foyer/@login"/>
        <br/><xsl:value-of select="foyer/email"/>
        <xsl:if test="foyer/phone"><br/><xsl:value-of select="foyer/phone"/></xsl:if>
      </td>
      <td data-label="Personnes">
        <ul class="gestion-personnes">
          <xsl:for-each select="personne">
            <li data-id="{@id}">
              <xsl:value-of select="first-name"/><xsl:text> </xsl:text>
              <xsl:value-of select="last-name"/>
              <xsl:choose>
                <xsl:when test="@kind = 'guest'"> (invité)</xsl:when>
                <xsl:when test="@kind = 'OD'"> (ouvrant droit)</xsl:when>
                <xsl:otherwise> (ayant droit)</xsl:otherwise>
              </xsl:choose>
              <xsl:if test="birth">
                <xsl:text>, né(e) le </xsl:text><xsl:value-of select="birth"/>
              </xsl:if>
              <xsl:if test="@age">
                <xsl:text> (</xsl:text><xsl:value-of select="@age"/><xsl:text> ans au début)</xsl:text>
              </xsl:if>
              <xsl:if test="option">
                <xsl:text> — </xsl:text>
                <xsl:for-each select="option">
                  <xsl:if test="position() &gt; 1">, </xsl:if>
                  <xsl:value-of select="."/>
                </xsl:for-each>
              </xsl:if>
              <xsl:text> — </xsl:text><xsl:value-of select="amount"/>
              <xsl:if test="@photo-optout = '1'">
                <xsl:text> </xsl:text><span class="badge refus-photo">Refus photo/vidéo</span>
              </xsl:if>
            </li>
          </xsl:for-each>
        </ul>
        <xsl:text>Total : </xsl:text><xsl:value-of select="total"/>
      </td>
      <td data-label="Observations" class="observations"><xsl:value-of select="observations"/></td>
      <td data-label="Statut"><span class="status status-{@status}"><xsl:value-of select="statut"/></span></td>
      <td data-label="Paiements">
        <xsl:choose>
          <xsl:when test="commande">
            <ul class="gestion-commandes">
              <xsl:for-each select="commande">
                <li data-reference="{@reference}">
                  <xsl:value-of select="@reference"/>
                  <xsl:text> · </xsl:text><xsl:value-of select="total"/>
                  <xsl:text> · </xsl:text><xsl:value-of select="method-label"/>
                  <xsl:if test="@instalments &gt; 1">
                    <xsl:text> en </xsl:text><xsl:value-of select="@instalments"/><xsl:text> fois</xsl:text>
                  </xsl:if>
                  <xsl:text> · </xsl:text><xsl:value-of select="status-label"/>
                  <xsl:text> (</xsl:text><xsl:value-of select="date"/><xsl:text>)</xsl:text>
                </li>
              </xsl:for-each>
            </ul>
          </xsl:when>
          <xsl:otherwise><span class="muted">Aucune commande</span></xsl:otherwise>
        </xsl:choose>
      </td>
      <td data-label="Action">
        <xsl:if test="@status = 'payee'">
          <p><a class="button button-small" href="{$g}/inscription/{@id}/modifier">Modifier</a></p>
        </xsl:if>
        <xsl:if test="@cancellable = '1'">
          <form class="form staff-cancel" method="post"
                action="{$g}/inscription/{@id}/annuler">
            <input type="hidden" name="csrf" value="{$csrf}"/>
            <label for="motif-{@id}">Motif de l'annulation</label>
            <input type="text" id="motif-{@id}" name="motif" required="required"
                   maxlength="500"/>
            <button type="submit" class="button button-small button-danger">Annuler l'inscription</button>
          </form>
        </xsl:if>
      </td>
    </tr>
  </xsl:template>

</xsl:stylesheet>
