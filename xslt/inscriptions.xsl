<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "inscriptions": « Mes inscriptions », the household's registrations
     (tutorial « Comment consulter vos inscriptions »). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:variable name="list" select="/page/inscriptions"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title">Mes inscriptions</xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li><a href="{$base}/mon-compte">Mon compte</a></li>
        <li aria-current="page">Mes inscriptions</li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <h1>Mes inscriptions</h1>
    <xsl:choose>
      <xsl:when test="$list/inscription">
        <div class="table-wrap" tabindex="0">
          <table class="table table-stack inscriptions-table">
            <thead>
              <tr>
                <th scope="col">ID inscription</th>
                <th scope="col">Date de création de l'inscription</th>
                <th scope="col">Activité</th>
                <th scope="col">Statut</th>
                <th scope="col">Action(s)</th>
              </tr>
            </thead>
            <tbody>
              <xsl:apply-templates select="$list/inscription"/>
            </tbody>
          </table>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <div class="empty">
          <p>Vous n'avez encore aucune inscription.</p>
          <p><a href="{$base}/">Voir les activités</a></p>
        </div>
      </xsl:otherwise>
    </xsl:choose>
    <p class="page-links">
      <a href="{$base}/mon-compte">Revenir sur mon compte</a>
      <a href="{$base}/">Accueil</a>
    </p>
  </xsl:template>

  <xsl:template match="inscription">
    <tr>
      <td data-label="ID inscription"><xsl:value-of select="@id"/></td>
      <td data-label="Date de création de l'inscription">
        <time datetime="{created/@iso}"><xsl:value-of select="created"/></time>
      </td>
      <td data-label="Activité">
        <a href="{$base}/activite/{activite/@id}"><xsl:value-of select="activite"/></a>
      </td>
      <td data-label="Statut">
        <span class="status status-{@status} selection-{@selection}">
          <xsl:choose>
            <xsl:when test="string(@status-label) != ''"><xsl:value-of select="@status-label"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="@status"/></xsl:otherwise>
          </xsl:choose>
        </span>
      </td>
      <td data-label="Action(s)">
        <a class="button button-small" href="{$base}/mes-inscriptions/{@id}">Consulter</a>
        <xsl:if test="pay">
          <xsl:text> </xsl:text>
          <a class="button button-small button-primary" href="{pay/@href}">Procéder au paiement</a>
        </xsl:if>
        <xsl:if test="order">
          <xsl:text> </xsl:text>
          <a class="button button-small" href="{order/@href}">Voir la commande</a>
        </xsl:if>
      </td>
    </tr>
  </xsl:template>

</xsl:stylesheet>
