<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "catalogue": tabs, filters, activity cards, pagination. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:str="http://exslt.org/strings"
    exclude-result-prefixes="str">

  <xsl:import href="layout.xsl"/>

  <xsl:variable name="cat" select="/page/catalogue"/>
  <xsl:variable name="tab">
    <xsl:choose>
      <xsl:when test="$cat/@tab = 'autres'">autres</xsl:when>
      <xsl:otherwise>nos</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="filtered" select="boolean($cat/@theme or $cat/@q)"/>
  <xsl:variable name="theme-label" select="/page/themes/theme[@code = $cat/@theme]"/>
  <xsl:variable name="current" select="number($cat/@page)"/>
  <xsl:variable name="pages" select="number($cat/@pages)"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <!-- Where one is: « Recherche « ski » — SPORT — Nos activités — page 2 ». -->
      <xsl:with-param name="title">
        <xsl:if test="string($cat/@q) != ''">
          <xsl:text>Recherche « </xsl:text><xsl:value-of select="$cat/@q"/><xsl:text> » — </xsl:text>
        </xsl:if>
        <xsl:if test="$cat/@theme and $theme-label">
          <xsl:value-of select="$theme-label"/><xsl:text> — </xsl:text>
        </xsl:if>
        <xsl:choose>
          <xsl:when test="$tab = 'autres'">Activités proposées dans d'autres CMCAS</xsl:when>
          <xsl:otherwise>Nos activités</xsl:otherwise>
        </xsl:choose>
        <xsl:if test="$current &gt; 1">
          <xsl:text> — page </xsl:text><xsl:value-of select="$current"/>
        </xsl:if>
      </xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <xsl:if test="$filtered">
          <li aria-current="page">
            <xsl:choose>
              <xsl:when test="$cat/@theme and $theme-label">
                <xsl:value-of select="$theme-label"/>
              </xsl:when>
              <xsl:otherwise>Recherche</xsl:otherwise>
            </xsl:choose>
          </li>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <h1 class="visually-hidden">Catalogue des activités</h1>
    <xsl:if test="string($cat/member-cmcas) != ''">
      <p class="alert alert-info member-cmcas" role="note">
        <xsl:text>Vous êtes bénéficiaire de la </xsl:text>
        <xsl:value-of select="$cat/member-cmcas"/>
        <xsl:text> : « Nos activités » présente les activités de votre CMCAS, et le second onglet celles que les autres CMCAS ouvrent à tous, dont la </xsl:text>
        <xsl:value-of select="$cmcas/name"/>
        <xsl:text>.</xsl:text>
      </p>
    </xsl:if>
    <xsl:call-template name="tabs"/>
    <xsl:call-template name="filters"/>
    <xsl:choose>
      <xsl:when test="$cat/activity">
        <p class="result-count">
          <xsl:value-of select="$cat/@total"/>
          <xsl:choose>
            <xsl:when test="number($cat/@total) = 1"> activité</xsl:when>
            <xsl:otherwise> activités</xsl:otherwise>
          </xsl:choose>
          <xsl:if test="$pages &gt; 1">
            <xsl:text> — page </xsl:text>
            <xsl:value-of select="$current"/>
            <xsl:text> sur </xsl:text>
            <xsl:value-of select="$pages"/>
          </xsl:if>
        </p>
        <ul class="cards">
          <xsl:apply-templates select="$cat/activity"/>
        </ul>
        <xsl:call-template name="pagination"/>
      </xsl:when>
      <xsl:otherwise>
        <div class="empty">
          <xsl:choose>
            <xsl:when test="$filtered">
              <p>Aucune activité ne correspond à votre recherche.</p>
              <p>
                <a>
                  <xsl:attribute name="href">
                    <xsl:call-template name="catalogue-href"/>
                  </xsl:attribute>
                  <xsl:text>Voir toutes les activités</xsl:text>
                </a>
              </p>
            </xsl:when>
            <xsl:otherwise>
              <p>Aucune activité n'est proposée pour le moment.</p>
            </xsl:otherwise>
          </xsl:choose>
        </div>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- URL of the catalog; by default keeps the current tab, theme and keywords, page 1. -->
  <xsl:template name="catalogue-href">
    <xsl:param name="t" select="$tab"/>
    <xsl:param name="theme" select="''"/>
    <xsl:param name="q" select="''"/>
    <xsl:param name="page" select="1"/>
    <xsl:value-of select="$base"/><xsl:text>/?onglet=</xsl:text>
    <xsl:value-of select="$t"/>
    <xsl:if test="string($theme) != ''">
      <xsl:text>&amp;theme=</xsl:text>
      <xsl:value-of select="str:encode-uri(string($theme), true())"/>
    </xsl:if>
    <xsl:if test="string($q) != ''">
      <xsl:text>&amp;q=</xsl:text>
      <xsl:value-of select="str:encode-uri(string($q), true())"/>
    </xsl:if>
    <xsl:if test="number($page) &gt; 1">
      <xsl:text>&amp;page=</xsl:text>
      <xsl:value-of select="$page"/>
    </xsl:if>
  </xsl:template>

  <!-- ===== Tabs ===== -->
  <xsl:template name="tabs">
    <nav class="tabs" aria-label="Provenance des activités">
      <ul>
        <li>
          <xsl:call-template name="tab-link">
            <xsl:with-param name="t">nos</xsl:with-param>
            <xsl:with-param name="label">Nos activités</xsl:with-param>
          </xsl:call-template>
        </li>
        <li>
          <xsl:call-template name="tab-link">
            <xsl:with-param name="t">autres</xsl:with-param>
            <xsl:with-param name="label">Activités proposées dans d'autres CMCAS</xsl:with-param>
          </xsl:call-template>
        </li>
      </ul>
    </nav>
  </xsl:template>

  <xsl:template name="tab-link">
    <xsl:param name="t"/>
    <xsl:param name="label"/>
    <a>
      <xsl:attribute name="href">
        <xsl:call-template name="catalogue-href">
          <xsl:with-param name="t" select="$t"/>
          <xsl:with-param name="theme" select="$cat/@theme"/>
          <xsl:with-param name="q" select="$cat/@q"/>
        </xsl:call-template>
      </xsl:attribute>
      <xsl:if test="$t = $tab">
        <xsl:attribute name="aria-current">page</xsl:attribute>
        <xsl:attribute name="class">active</xsl:attribute>
      </xsl:if>
      <xsl:value-of select="$label"/>
    </a>
  </xsl:template>

  <!-- ===== What is filtered, and how to clear it ===== -->
  <xsl:template name="filters">
    <xsl:if test="$filtered">
      <div class="filters">
        <span class="filters-label">Filtres :</span>
        <xsl:if test="$cat/@theme">
          <span class="chip">
            <xsl:text>Thème : </xsl:text>
            <strong>
              <xsl:choose>
                <xsl:when test="$theme-label"><xsl:value-of select="$theme-label"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="$cat/@theme"/></xsl:otherwise>
              </xsl:choose>
            </strong>
            <xsl:if test="$cat/@q">
              <a class="chip-remove" title="Retirer le filtre de thème">
                <xsl:attribute name="href">
                  <xsl:call-template name="catalogue-href">
                    <xsl:with-param name="q" select="$cat/@q"/>
                  </xsl:call-template>
                </xsl:attribute>
                <span aria-hidden="true">×</span>
                <span class="visually-hidden">Retirer le filtre de thème</span>
              </a>
            </xsl:if>
          </span>
        </xsl:if>
        <xsl:if test="$cat/@q">
          <span class="chip">
            <xsl:text>Recherche : </xsl:text>
            <strong>« <xsl:value-of select="$cat/@q"/> »</strong>
            <xsl:if test="$cat/@theme">
              <a class="chip-remove" title="Retirer la recherche">
                <xsl:attribute name="href">
                  <xsl:call-template name="catalogue-href">
                    <xsl:with-param name="theme" select="$cat/@theme"/>
                  </xsl:call-template>
                </xsl:attribute>
                <span aria-hidden="true">×</span>
                <span class="visually-hidden">Retirer la recherche</span>
              </a>
            </xsl:if>
          </span>
        </xsl:if>
        <a class="filters-clear">
          <xsl:attribute name="href">
            <xsl:call-template name="catalogue-href"/>
          </xsl:attribute>
          <xsl:text>Effacer les filtres</xsl:text>
        </a>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- ===== One card ===== -->
  <xsl:template match="activity">
    <li>
      <article>
        <xsl:attribute name="class">
          <xsl:text>card</xsl:text>
          <xsl:if test="@open = '0'"> card-closed</xsl:if>
        </xsl:attribute>
        <a class="card-media" href="{$base}/activite/{@id}" tabindex="-1">
          <xsl:choose>
            <xsl:when test="string(image) != ''">
              <img alt="{title}" loading="lazy" width="400" height="250">
                <xsl:attribute name="src">
                  <xsl:call-template name="image-src"><xsl:with-param name="image" select="string(image)"/></xsl:call-template>
                </xsl:attribute>
              </img>
            </xsl:when>
            <xsl:otherwise>
              <span class="placeholder" role="img" aria-label="{title}">
                <span aria-hidden="true"><xsl:value-of select="theme"/></span>
              </span>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:if test="@new = '1' or @open = '0'">
            <span class="badges">
              <xsl:if test="@new = '1'">
                <span class="badge badge-new">NOUVEAU</span>
              </xsl:if>
              <xsl:if test="@open = '0'">
                <span class="badge badge-closed">Inscriptions closes</span>
              </xsl:if>
            </span>
          </xsl:if>
        </a>
        <div class="card-body">
          <p class="card-theme"><xsl:value-of select="theme"/></p>
          <h2 class="card-title">
            <a href="{$base}/activite/{@id}"><xsl:value-of select="title"/></a>
          </h2>
          <xsl:if test="@mode = 'tour_de_role'">
            <p><span class="tag tag-tdr">Tour de rôle</span></p>
          </xsl:if>
          <ul class="card-facts">
            <xsl:if test="string(organiser) != ''">
              <li class="card-organiser"><xsl:value-of select="organiser"/></li>
            </xsl:if>
            <li>
              <xsl:text>du </xsl:text>
              <time datetime="{start/@iso}"><xsl:value-of select="start"/></time>
              <xsl:text> au </xsl:text>
              <time datetime="{end/@iso}"><xsl:value-of select="end"/></time>
            </li>
            <li>
              <xsl:text>Clôture des inscriptions : </xsl:text>
              <time datetime="{closing/@iso}"><xsl:value-of select="closing"/></time>
            </li>
            <li>
              <xsl:text>Places restantes : </xsl:text>
              <strong><xsl:value-of select="remaining"/></strong>
            </li>
          </ul>
        </div>
      </article>
    </li>
  </xsl:template>

  <!-- ===== Pagination ===== -->
  <xsl:template name="pagination">
    <xsl:if test="$pages &gt; 1">
      <nav class="pagination" aria-label="Pagination">
        <ul>
          <li>
            <xsl:choose>
              <xsl:when test="$current &gt; 1">
                <a rel="prev">
                  <xsl:attribute name="href">
                    <xsl:call-template name="page-href">
                      <xsl:with-param name="n" select="$current - 1"/>
                    </xsl:call-template>
                  </xsl:attribute>
                  <xsl:text>« Précédent</xsl:text>
                </a>
              </xsl:when>
              <xsl:otherwise>
                <span class="disabled" aria-disabled="true">« Précédent</span>
              </xsl:otherwise>
            </xsl:choose>
          </li>
          <xsl:call-template name="page-numbers">
            <xsl:with-param name="n" select="1"/>
          </xsl:call-template>
          <li>
            <xsl:choose>
              <xsl:when test="$current &lt; $pages">
                <a rel="next">
                  <xsl:attribute name="href">
                    <xsl:call-template name="page-href">
                      <xsl:with-param name="n" select="$current + 1"/>
                    </xsl:call-template>
                  </xsl:attribute>
                  <xsl:text>Suivant »</xsl:text>
                </a>
              </xsl:when>
              <xsl:otherwise>
                <span class="disabled" aria-disabled="true">Suivant »</span>
              </xsl:otherwise>
            </xsl:choose>
          </li>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <xsl:template name="page-href">
    <xsl:param name="n"/>
    <xsl:call-template name="catalogue-href">
      <xsl:with-param name="theme" select="$cat/@theme"/>
      <xsl:with-param name="q" select="$cat/@q"/>
      <xsl:with-param name="page" select="$n"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Page numbers: first, last and two around the current one; "…" for the gaps.
       Iterates without deep recursion: jumps over each gap. -->
  <xsl:template name="page-numbers">
    <xsl:param name="n"/>
    <xsl:if test="$n &lt;= $pages">
      <xsl:choose>
        <xsl:when test="$n = 1 or $n = $pages or ($n &gt;= $current - 2 and $n &lt;= $current + 2)">
          <li>
            <xsl:choose>
              <xsl:when test="$n = $current">
                <a class="current" aria-current="page">
                  <xsl:attribute name="href">
                    <xsl:call-template name="page-href">
                      <xsl:with-param name="n" select="$n"/>
                    </xsl:call-template>
                  </xsl:attribute>
                  <span class="visually-hidden">Page </span>
                  <xsl:value-of select="$n"/>
                </a>
              </xsl:when>
              <xsl:otherwise>
                <a>
                  <xsl:attribute name="href">
                    <xsl:call-template name="page-href">
                      <xsl:with-param name="n" select="$n"/>
                    </xsl:call-template>
                  </xsl:attribute>
                  <span class="visually-hidden">Page </span>
                  <xsl:value-of select="$n"/>
                </a>
              </xsl:otherwise>
            </xsl:choose>
          </li>
          <xsl:call-template name="page-numbers">
            <xsl:with-param name="n" select="$n + 1"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <li class="gap" aria-hidden="true">…</li>
          <xsl:call-template name="page-numbers">
            <xsl:with-param name="n">
              <xsl:choose>
                <xsl:when test="$n &lt; $current - 2"><xsl:value-of select="$current - 2"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="$pages"/></xsl:otherwise>
              </xsl:choose>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
