<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "gestion": the back-office's dashboard of the staff's CMCAS. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="gestion-layout.xsl"/>

  <xsl:variable name="t" select="/page/tableau-de-bord"/>

  <xsl:template match="/">
    <xsl:call-template name="gestion-layout">
      <xsl:with-param name="title">Tableau de bord</xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/" mode="content">
    <h1>Tableau de bord</h1>
    <xsl:variable name="c" select="$t/compteurs"/>
    <ul class="gestion-counters">
      <li><a href="{$g}?activites=a-payer#activites"><strong><xsl:value-of select="$c/@a-payer"/></strong>
        inscription(s) en attente de paiement</a></li>
      <li><a href="{$g}/commandes?etat=a-encaisser"><strong><xsl:value-of select="$c/@paiements-cmcas"/></strong>
        commande(s) « Paiement en CMCAS » à encaisser</a></li>
      <li><a href="{$g}/commandes?etat=a-rembourser"><strong><xsl:value-of select="$c/@a-rembourser"/></strong>
        commande(s) à rembourser</a></li>
      <li><a href="{$g}?activites=tirage-a-effectuer#activites"><strong><xsl:value-of select="$c/@tirages-a-faire"/></strong>
        tour(s) de rôle à effectuer</a></li>
      <li><a href="{$g}?activites=tirage-a-publier#activites"><strong><xsl:value-of select="$c/@tirages-a-publier"/></strong>
        tour(s) de rôle à publier</a></li>
    </ul>
    <h2 id="activites">Activités</h2>
    <p><a class="button button-primary" href="{$base}/gestion/activites/nouvelle">Nouvelle activité</a></p>
    <nav class="gestion-filters" aria-label="Activités à afficher">
      <ul>
        <xsl:call-template name="filter">
          <xsl:with-param name="code" select="''"/>
          <xsl:with-param name="label">Toutes</xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="filter">
          <xsl:with-param name="code" select="'a-payer'"/>
          <xsl:with-param name="label">Inscriptions en attente de paiement</xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="filter">
          <xsl:with-param name="code" select="'tirage-a-effectuer'"/>
          <xsl:with-param name="label">Tours de rôle à effectuer</xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="filter">
          <xsl:with-param name="code" select="'tirage-a-publier'"/>
          <xsl:with-param name="label">Tours de rôle à publier</xsl:with-param>
        </xsl:call-template>
      </ul>
    </nav>
    <xsl:choose>
      <xsl:when test="$t/activites/activite">
        <div class="table-wrap" tabindex="0">
          <table class="table table-stack gestion-activites">
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">Activité</th>
                <th scope="col">Dates</th>
                <th scope="col">Clôture</th>
                <th scope="col">Places prises</th>
                <th scope="col">Inscriptions</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              <xsl:apply-templates select="$t/activites/activite"/>
            </tbody>
          </table>
        </div>
      </xsl:when>
      <xsl:when test="string($t/activites/@filtre) != ''">
        <p class="empty">Aucune activité dans cette liste.</p>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">Aucune activité pour le moment.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- One of the activities' lists (?activites=); the one shown is marked. -->
  <xsl:template name="filter">
    <xsl:param name="code"/>
    <xsl:param name="label"/>
    <li>
      <a href="{$g}#activites">
        <xsl:if test="$code != ''">
          <xsl:attribute name="href"><xsl:value-of select="concat($g, '?activites=', $code, '#activites')"/></xsl:attribute>
        </xsl:if>
        <xsl:if test="string($t/activites/@filtre) = $code">
          <xsl:attribute name="aria-current">page</xsl:attribute>
        </xsl:if>
        <xsl:value-of select="$label"/>
      </a>
    </li>
  </xsl:template>

  <xsl:template match="activite">
    <tr data-id="{@id}">
      <td data-label="ID"><xsl:value-of select="@id"/></td>
      <td data-label="Activité">
        <a href="{$base}/gestion/activite/{@id}"><xsl:value-of select="title"/></a>
        <br/><a class="gestion-inscriptions-link" href="{$g}/activite/{@id}/inscriptions">Inscriptions</a>
      </td>
      <td data-label="Dates">
        <xsl:value-of select="start"/>
        <xsl:if test="string(end) != string(start)">
          <xsl:text> au </xsl:text><xsl:value-of select="end"/>
        </xsl:if>
      </td>
      <td data-label="Clôture"><xsl:value-of select="closing"/></td>
      <td data-label="Places prises" class="places">
        <xsl:value-of select="@places-taken"/> / <xsl:value-of select="@capacity"/>
      </td>
      <td data-label="Inscriptions">
        <xsl:value-of select="@registrations"/>
        <xsl:if test="@a-payer &gt; 0">
          <xsl:text> (dont </xsl:text>
          <a href="{$g}/activite/{@id}/inscriptions?statut=attente-paiement"><xsl:value-of select="@a-payer"/> à payer</a>
          <xsl:text>)</xsl:text>
        </xsl:if>
      </td>
      <td data-label="État">
        <xsl:choose>
          <xsl:when test="@published = '1'">Publiée</xsl:when>
          <xsl:otherwise>Non publiée</xsl:otherwise>
        </xsl:choose>
        <xsl:choose>
          <xsl:when test="@draw = 'a-faire'"> · tour de rôle à effectuer</xsl:when>
          <xsl:when test="@draw = 'fait'"> · tour de rôle à publier</xsl:when>
          <xsl:when test="@draw = 'publie'"> · tour de rôle publié</xsl:when>
          <xsl:when test="@draw = 'en-attente'"> · tour de rôle</xsl:when>
        </xsl:choose>
        <xsl:if test="@draw">
          <xsl:text> · </xsl:text><a href="{$g}/activite/{@id}/tirage">voir le tour de rôle</a>
        </xsl:if>
      </td>
    </tr>
  </xsl:template>

</xsl:stylesheet>
