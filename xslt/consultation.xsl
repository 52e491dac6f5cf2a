<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "consultation": one registration, read-only, with its history
     (« Consulter » in « Mes inscriptions »). Reuses the read-only templates of
     inscription.xsl. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="inscription.xsl"/>

  <!-- The registration: /page/inscription (a /page/consultation wrapper is accepted). -->
  <xsl:variable name="i" select="(/page/inscription | /page/consultation/inscription)[1]"/>
  <xsl:variable name="history"
                select="($i/history | /page/consultation/history | /page/history)[1]"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title">
        <xsl:text>Inscription n° </xsl:text>
        <xsl:value-of select="$i/@id"/>
      </xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li><a href="{$base}/mon-compte">Mon compte</a></li>
        <li><a href="{$base}/mes-inscriptions">Mes inscriptions</a></li>
        <li aria-current="page">
          <xsl:text>Inscription n° </xsl:text>
          <xsl:value-of select="$i/@id"/>
        </li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <div class="inscription consultation">
      <xsl:call-template name="insc-head">
        <xsl:with-param name="heading">
          <xsl:text>Inscription n° </xsl:text>
          <xsl:value-of select="$i/@id"/>
        </xsl:with-param>
      </xsl:call-template>
      <xsl:call-template name="insc-messages"/>
      <xsl:if test="not($i/participant)">
        <p class="panel muted">Aucun participant.</p>
      </xsl:if>
      <xsl:call-template name="tirage">
        <xsl:with-param name="t" select="$i/tirage"/>
      </xsl:call-template>
      <xsl:call-template name="insc-readonly"/>
      <xsl:call-template name="history"/>
      <p class="insc-buttons insc-buttons-row">
        <xsl:if test="string($i/activite/@open) = '1' and string($i/@status) != 'annulee'">
          <a class="button button-primary" href="{$base}/activite/{$i/activite/@id}/inscription">Modifier mon inscription</a>
        </xsl:if>
        <a class="button" href="{$base}/mes-inscriptions">Retour à Mes inscriptions</a>
      </p>
    </div>
  </xsl:template>

  <xsl:template name="history">
    <xsl:if test="$history/event">
      <section class="panel" aria-labelledby="historique-titre">
        <h2 id="historique-titre">Historique</h2>
        <div class="table-wrap" tabindex="0">
          <table class="table table-stack history-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Par</th>
                <th scope="col">Événement</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="$history/event">
                <tr>
                  <td data-label="Date">
                    <time datetime="{@at}">
                      <xsl:choose>
                        <xsl:when test="@local"><xsl:value-of select="@local"/></xsl:when>
                        <xsl:otherwise>
                          <xsl:call-template name="date-time">
                            <xsl:with-param name="at" select="string(@at)"/>
                          </xsl:call-template>
                        </xsl:otherwise>
                      </xsl:choose>
                    </time>
                  </td>
                  <td data-label="Par">
                    <xsl:choose>
                      <xsl:when test="string(@actor) != '' and @actor = /page/user/@login and string(/page/user/name) != ''">
                        <xsl:value-of select="/page/user/name"/>
                      </xsl:when>
                      <xsl:otherwise><xsl:value-of select="@actor"/></xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td data-label="Événement"><xsl:value-of select="."/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- "2026-11-28T10:14:03Z" -> "28/11/2026 10:14" (the string reformatted, no time zone
       conversion); anything else is shown as it is. -->
  <xsl:template name="date-time">
    <xsl:param name="at"/>
    <xsl:choose>
      <xsl:when test="string-length($at) &gt;= 16 and substring($at, 5, 1) = '-'
                      and substring($at, 8, 1) = '-' and substring($at, 11, 1) = 'T'
                      and substring($at, 14, 1) = ':'">
        <xsl:value-of select="concat(substring($at, 9, 2), '/', substring($at, 6, 2), '/',
                                     substring($at, 1, 4), ' ', substring($at, 12, 5))"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$at"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
