<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "activite": the descriptive sheet of one activity. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:str="http://exslt.org/strings"
    exclude-result-prefixes="str">

  <xsl:import href="layout.xsl"/>
  <xsl:include href="tirage.xsl"/>

  <xsl:variable name="a" select="/page/activite"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title" select="$a/title"/>
      <xsl:with-param name="breadcrumb">
        <xsl:if test="$a/theme">
          <li>
            <a>
              <xsl:attribute name="href">
                <xsl:value-of select="$base"/><xsl:text>/?theme=</xsl:text>
                <xsl:value-of select="str:encode-uri(string($a/theme/@code), true())"/>
                <xsl:if test="string($a/own) = '0'">&amp;onglet=autres</xsl:if>
              </xsl:attribute>
              <xsl:value-of select="$a/theme"/>
            </a>
          </li>
        </xsl:if>
        <li aria-current="page"><xsl:value-of select="$a/title"/></li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <xsl:apply-templates select="$a"/>
  </xsl:template>

  <xsl:template match="activite">
    <article class="activite">
      <header class="activite-head">
        <p class="activite-theme"><xsl:value-of select="theme"/></p>
        <h1>
          <xsl:value-of select="title"/>
          <xsl:if test="@new = '1'">
            <xsl:text> </xsl:text>
            <span class="badge badge-new">NOUVEAU</span>
          </xsl:if>
        </h1>
        <p class="activite-tags">
          <xsl:if test="@mode = 'tour_de_role'">
            <span class="tag tag-tdr">Tour de rôle</span>
          </xsl:if>
          <xsl:if test="@mode = 'immediat'">
            <span class="tag">Paiement immédiat</span>
          </xsl:if>
          <xsl:if test="@open = '0'">
            <span class="badge badge-closed">Inscriptions closes</span>
          </xsl:if>
        </p>
        <xsl:if test="string(own) != '1' and string(organiser) != ''">
          <p class="activite-organiser">
            <xsl:text>Activité proposée par </xsl:text>
            <strong><xsl:value-of select="organiser"/></strong>
          </p>
        </xsl:if>
      </header>

      <div class="activite-grid">
        <div class="activite-main">
          <xsl:choose>
            <xsl:when test="string(image) != ''">
              <img class="activite-image" alt="{title}" width="800" height="500">
                <xsl:attribute name="src">
                  <xsl:call-template name="image-src"><xsl:with-param name="image" select="string(image)"/></xsl:call-template>
                </xsl:attribute>
              </img>
            </xsl:when>
            <xsl:otherwise>
              <div class="placeholder activite-image" aria-hidden="true">
                <span><xsl:value-of select="theme"/></span>
              </div>
            </xsl:otherwise>
          </xsl:choose>
          <div class="description">
            <xsl:call-template name="paragraphs">
              <xsl:with-param name="text" select="translate(string(description), '&#13;', '')"/>
            </xsl:call-template>
          </div>
        </div>

        <aside class="activite-side">
          <section class="infos" aria-labelledby="infos-titre">
            <h2 id="infos-titre">INFORMATIONS COMPLÉMENTAIRES</h2>
            <ul class="infos-list">
              <li>Nombre de places restantes : <strong><xsl:value-of select="remaining"/></strong></li>
              <li>Lieu de l'activité : <strong><xsl:value-of select="place"/></strong></li>
              <li>Date l'activité : <strong>du <time datetime="{start/@iso}"><xsl:value-of select="start"/></time> au <time datetime="{end/@iso}"><xsl:value-of select="end"/></time></strong></li>
              <li>Date de clôture des inscriptions : <strong><time datetime="{closing/@iso}"><xsl:value-of select="closing"/></time></strong></li>
              <xsl:apply-templates select="eligibility"/>
              <li><xsl:text>Prestations de l'activité :</xsl:text>
                <xsl:choose>
                  <xsl:when test="options/option">
                    <ul class="options">
                      <xsl:apply-templates select="options/option"/>
                    </ul>
                  </xsl:when>
                  <xsl:otherwise>
                    <p class="muted">Aucune prestation n'est proposée.</p>
                  </xsl:otherwise>
                </xsl:choose>
              </li>
            </ul>
          </section>

          <section class="mode">
            <xsl:choose>
              <xsl:when test="@mode = 'tour_de_role'">
                <p>Activité à tour de rôle : à la date de clôture des inscriptions, une sélection des participants est effectuée suivant les critères de la CMCAS. Un e-mail vous indiquera si vous êtes retenu.</p>
                <xsl:call-template name="tirage">
                  <xsl:with-param name="t" select="/page/tirage"/>
                </xsl:call-template>
              </xsl:when>
              <xsl:when test="@mode = 'immediat'">
                <p>Activité à paiement immédiat : votre inscription validée réserve vos places.</p>
              </xsl:when>
            </xsl:choose>
          </section>

          <div class="register">
            <xsl:choose>
              <xsl:when test="register">
                <a class="button button-primary button-large" href="{register/@href}">S'inscrire</a>
              </xsl:when>
              <xsl:otherwise>
                <p class="closed-note">Les inscriptions sont closes.</p>
              </xsl:otherwise>
            </xsl:choose>
          </div>
        </aside>
      </div>
    </article>
  </xsl:template>

  <!-- Who may register: guests, age limits, members of other CMCAS. -->
  <xsl:template match="eligibility">
    <li>
      <xsl:text>Invités : </xsl:text>
      <strong>
        <xsl:choose>
          <xsl:when test="@guests = '1'">
            <xsl:text>acceptés</xsl:text>
            <xsl:if test="string(@max-guests) != ''">
              <xsl:text> (</xsl:text>
              <xsl:value-of select="@max-guests"/>
              <xsl:text> par foyer au plus)</xsl:text>
            </xsl:if>
          </xsl:when>
          <xsl:otherwise>non acceptés</xsl:otherwise>
        </xsl:choose>
      </strong>
    </li>
    <xsl:if test="string(@min-age) != '' or string(@max-age) != ''">
      <li>
        <xsl:text>Âge des participants : </xsl:text>
        <strong>
          <xsl:choose>
            <xsl:when test="string(@min-age) != '' and string(@max-age) != ''">
              <xsl:text>de </xsl:text>
              <xsl:value-of select="@min-age"/>
              <xsl:text> à </xsl:text>
              <xsl:value-of select="@max-age"/>
              <xsl:text> ans</xsl:text>
            </xsl:when>
            <xsl:when test="string(@min-age) != ''">
              <xsl:text>à partir de </xsl:text>
              <xsl:value-of select="@min-age"/>
              <xsl:text> ans</xsl:text>
            </xsl:when>
            <xsl:otherwise>
              <xsl:text>jusqu'à </xsl:text>
              <xsl:value-of select="@max-age"/>
              <xsl:text> ans</xsl:text>
            </xsl:otherwise>
          </xsl:choose>
        </strong>
      </li>
    </xsl:if>
    <li>
      <xsl:text>Ouverte aux membres des autres CMCAS : </xsl:text>
      <strong>
        <xsl:choose>
          <xsl:when test="@others = '1'">oui</xsl:when>
          <xsl:otherwise>non</xsl:otherwise>
        </xsl:choose>
      </strong>
    </li>
  </xsl:template>

  <xsl:template match="option">
    <li class="option">
      <p class="option-label"><xsl:value-of select="label"/></p>
      <ul class="option-prices">
        <xsl:if test="beneficiary">
          <li>Montant : <strong><xsl:value-of select="beneficiary/price"/></strong></li>
          <li>
            <xsl:choose>
              <xsl:when test="number(beneficiary/participation/@cents) &gt; 0">
                <xsl:text>Participation CMCAS : </xsl:text>
                <strong><xsl:value-of select="beneficiary/participation"/></strong>
              </xsl:when>
              <xsl:otherwise>Pas de participation CMCAS</xsl:otherwise>
            </xsl:choose>
          </li>
        </xsl:if>
        <xsl:if test="guest">
          <li>
            <xsl:text>Invité : </xsl:text>
            <strong><xsl:value-of select="guest/price"/></strong>
            <xsl:if test="number(guest/participation/@cents) &gt; 0">
              <xsl:text> (participation CMCAS : </xsl:text>
              <xsl:value-of select="guest/participation"/>
              <xsl:text>)</xsl:text>
            </xsl:if>
          </li>
        </xsl:if>
      </ul>
    </li>
  </xsl:template>

  <!-- Plain text to paragraphs: split on blank lines; single line breaks are kept by CSS
       (white-space: pre-line on .description p). -->
  <xsl:template name="paragraphs">
    <xsl:param name="text"/>
    <xsl:variable name="sep" select="'&#10;&#10;'"/>
    <xsl:choose>
      <xsl:when test="contains($text, $sep)">
        <xsl:call-template name="paragraph">
          <xsl:with-param name="text" select="substring-before($text, $sep)"/>
        </xsl:call-template>
        <xsl:call-template name="paragraphs">
          <xsl:with-param name="text" select="substring-after($text, $sep)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="paragraph">
          <xsl:with-param name="text" select="$text"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="paragraph">
    <xsl:param name="text"/>
    <xsl:if test="normalize-space($text) != ''">
      <p><xsl:call-template name="trim-newlines">
        <xsl:with-param name="text" select="$text"/>
      </xsl:call-template></p>
    </xsl:if>
  </xsl:template>

  <!-- Drop leading and trailing line breaks (several blank lines in a row). -->
  <xsl:template name="trim-newlines">
    <xsl:param name="text"/>
    <xsl:choose>
      <xsl:when test="starts-with($text, '&#10;')">
        <xsl:call-template name="trim-newlines">
          <xsl:with-param name="text" select="substring($text, 2)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="substring($text, string-length($text)) = '&#10;'">
        <xsl:call-template name="trim-newlines">
          <xsl:with-param name="text" select="substring($text, 1, string-length($text) - 1)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
