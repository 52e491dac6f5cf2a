<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "gestion-tirage": the « tour de rôle » of an activity for its CMCAS's
     staff. Before the draw, a preview (what it would decide now, written nowhere); after,
     the result (ranks, selection, waiting list) and whether it is published; the buttons
     that run it (again, while unpublished) and publish it. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="gestion-layout.xsl"/>

  <xsl:variable name="d" select="/page/tirage"/>
  <xsl:variable name="csrf" select="/page/staff/@csrf"/>

  <xsl:template match="/">
    <xsl:call-template name="gestion-layout">
      <xsl:with-param name="title">
        <xsl:text>Tour de rôle — </xsl:text><xsl:value-of select="$d/activite"/>
      </xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li>
          <a href="{$g}/activite/{$d/activite/@id}">
            <xsl:value-of select="$d/activite"/>
          </a>
        </li>
        <li aria-current="page">Tour de rôle</li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/" mode="content">
    <h1>Tour de rôle : <xsl:value-of select="$d/activite"/></h1>
    <xsl:if test="$d/@fait">
      <p class="alert alert-info" role="status">
        <xsl:choose>
          <xsl:when test="$d/@fait = 'publie'">Les résultats sont publiés : chaque foyer est prévenu.</xsl:when>
          <xsl:otherwise>Le tour de rôle est effectué. Ses résultats ne sont pas encore publiés.</xsl:otherwise>
        </xsl:choose>
      </p>
    </xsl:if>
    <dl class="gestion-draw-facts">
      <dt>Clôture des inscriptions</dt><dd><xsl:value-of select="$d/closing"/></dd>
      <dt>Places</dt>
      <dd>
        <xsl:value-of select="$d/activite/@places-taken"/> prises sur
        <xsl:value-of select="$d/activite/@capacity"/>
        <xsl:if test="$d/demandes/@places">
          <xsl:text> ; places attribuées par le tirage : </xsl:text>
          <xsl:value-of select="$d/demandes/@places"/>
        </xsl:if>
      </dd>
      <dt>État</dt>
      <dd>
        <xsl:choose>
          <xsl:when test="$d/@etat = 'publie'">Publié le <xsl:value-of select="$d/@published-at"/></xsl:when>
          <xsl:when test="$d/@etat = 'fait'">Effectué le <xsl:value-of select="$d/@done-at"/>, non publié</xsl:when>
          <xsl:otherwise>Pas encore effectué : aperçu du résultat si le tirage avait lieu
            maintenant. Entre foyers à égalité sur tous les critères, l'ordre montré est
            provisoire : le tirage le fixera avec sa valeur, secrète jusque-là.</xsl:otherwise>
        </xsl:choose>
      </dd>
      <dt>Règle</dt>
      <dd>
        <xsl:text>activités obtenues sur </xsl:text><xsl:value-of select="$d/@window-months"/>
        <xsl:text> mois (pondérées), puis coefficient social, puis tirage ; paiement sous </xsl:text>
        <xsl:value-of select="$d/@pay-days"/><xsl:text> jours</xsl:text>
      </dd>
    </dl>
    <xsl:choose>
      <xsl:when test="$d/demandes/demande">
        <div class="table-wrap" tabindex="0">
          <table class="table table-stack gestion-draw">
            <thead>
              <tr>
                <th scope="col">Rang</th>
                <th scope="col">Foyer</th>
                <th scope="col">Personnes</th>
                <th scope="col">Historique pondéré</th>
                <th scope="col">Coefficient</th>
                <th scope="col">Départage</th>
                <th scope="col">
                  <xsl:choose>
                    <xsl:when test="$d/@etat = 'apercu'">Résultat si tiré maintenant</xsl:when>
                    <xsl:otherwise>Résultat</xsl:otherwise>
                  </xsl:choose>
                </th>
              </tr>
            </thead>
            <tbody>
              <xsl:apply-templates select="$d/demandes/demande"/>
            </tbody>
          </table>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">Aucune demande.</p>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$d/@etat != 'publie'">
      <div class="gestion-actions">
        <form method="post" action="{$g}/activite/{$d/activite/@id}/tirage/lancer">
          <input type="hidden" name="csrf" value="{$csrf}"/>
          <button type="submit" class="button">
            <xsl:choose>
              <xsl:when test="$d/@etat = 'fait'">Refaire le tour de rôle</xsl:when>
              <xsl:otherwise>Effectuer le tour de rôle maintenant</xsl:otherwise>
            </xsl:choose>
          </button>
        </form>
        <xsl:if test="$d/@etat = 'fait'">
          <form method="post" action="{$g}/activite/{$d/activite/@id}/tirage/publier">
            <input type="hidden" name="csrf" value="{$csrf}"/>
            <button type="submit" class="button button-primary">Publier les résultats</button>
          </form>
        </xsl:if>
      </div>
    </xsl:if>
  </xsl:template>

  <xsl:template match="demande">
    <tr data-registration="{@registration}" data-result="{@result}">
      <td data-label="Rang"><xsl:value-of select="@rank"/></td>
      <td data-label="Foyer"><xsl:value-of select="foyer"/></td>
      <td data-label="Personnes"><xsl:value-of select="@persons"/></td>
      <td data-label="Historique pondéré"><xsl:value-of select="@history"/></td>
      <td data-label="Coefficient">
        <xsl:choose>
          <xsl:when test="@coefficient"><xsl:value-of select="@coefficient"/></xsl:when>
          <xsl:when test="@result = 'nouvelle'"/>
          <xsl:otherwise>inconnu</xsl:otherwise>
        </xsl:choose>
      </td>
      <td data-label="Départage" class="tiebreak">
        <xsl:choose>
          <xsl:when test="@tiebreak"><xsl:value-of select="substring(@tiebreak, 1, 12)"/></xsl:when>
          <xsl:otherwise>au tirage</xsl:otherwise>
        </xsl:choose>
      </td>
      <td data-label="Résultat">
        <xsl:choose>
          <xsl:when test="@result = 'retenue'">Retenue</xsl:when>
          <xsl:when test="@result = 'attente'">Liste d'attente (position <xsl:value-of select="@waiting"/>)</xsl:when>
          <xsl:when test="@result = 'non_retenue'">Non retenue (conditions plus remplies)</xsl:when>
          <xsl:when test="@result = 'liberee'">Libérée (non payée à temps)</xsl:when>
          <xsl:when test="@result = 'renonce'">Le foyer a renoncé</xsl:when>
          <xsl:when test="@result = 'nouvelle'">Demande arrivée après le tirage (prise au prochain)</xsl:when>
          <xsl:otherwise><xsl:value-of select="@result"/></xsl:otherwise>
        </xsl:choose>
        <xsl:if test="@eligible = '0'"> · non éligible</xsl:if>
        <xsl:if test="@status = 'payee'"> · payée</xsl:if>
        <xsl:if test="pay-by"> · à payer avant le <xsl:value-of select="pay-by"/></xsl:if>
      </td>
    </tr>
  </xsl:template>

</xsl:stylesheet>
