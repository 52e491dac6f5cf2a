<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "gestion-commandes": the CMCAS's orders paid at its desk (« Paiement
     en CMCAS ») waiting for the money, those to refund, those refunded; a form per row
     records the payment or the refund. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="gestion-layout.xsl"/>

  <xsl:variable name="c" select="/page/commandes"/>
  <xsl:variable name="csrf" select="/page/staff/@csrf"/>

  <xsl:template match="/">
    <xsl:call-template name="gestion-layout">
      <xsl:with-param name="title">Commandes de la CMCAS</xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li aria-current="page">Commandes</li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/" mode="content">
    <h1>Commandes de la CMCAS</h1>
    <nav class="gestion-filters" aria-label="Listes">
      <ul>
        <xsl:call-template name="filter">
          <xsl:with-param name="etat" select="''"/>
          <xsl:with-param name="label">Toutes</xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="filter">
          <xsl:with-param name="etat" select="'a-encaisser'"/>
          <xsl:with-param name="label">Paiements en CMCAS à encaisser</xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="filter">
          <xsl:with-param name="etat" select="'a-rembourser'"/>
          <xsl:with-param name="label">À rembourser</xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="filter">
          <xsl:with-param name="etat" select="'rembourse'"/>
          <xsl:with-param name="label">Remboursées</xsl:with-param>
        </xsl:call-template>
      </ul>
    </nav>
    <xsl:for-each select="$c/message">
      <p class="alert alert-{@type}">
        <xsl:attribute name="role">
          <xsl:choose>
            <xsl:when test="@type = 'error'">alert</xsl:when>
            <xsl:otherwise>status</xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
        <xsl:choose>
          <!-- A refused entry: the link leads to its order's form, where it is repeated. -->
          <xsl:when test="@type = 'error' and string(@ref) != ''">
            <a href="#commande-{@ref}-erreur"><xsl:value-of select="."/></a>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
        </xsl:choose>
      </p>
    </xsl:for-each>
    <xsl:apply-templates select="$c/liste"/>
  </xsl:template>

  <!-- One of the lists; the one shown is marked (aria-current). -->
  <xsl:template name="filter">
    <xsl:param name="etat"/>
    <xsl:param name="label"/>
    <li>
      <a href="{$g}/commandes">
        <xsl:if test="$etat != ''">
          <xsl:attribute name="href"><xsl:value-of select="concat($g, '/commandes?etat=', $etat)"/></xsl:attribute>
        </xsl:if>
        <xsl:if test="string($c/@etat) = $etat">
          <xsl:attribute name="aria-current">page</xsl:attribute>
        </xsl:if>
        <xsl:value-of select="$label"/>
      </a>
    </li>
  </xsl:template>

  <xsl:template match="liste">
    <section class="gestion-orders" id="{@etat}">
      <h2>
        <xsl:choose>
          <xsl:when test="@etat = 'a-encaisser'">« Paiement en CMCAS » à encaisser</xsl:when>
          <xsl:when test="@etat = 'a-rembourser'">Remboursements à effectuer</xsl:when>
          <xsl:otherwise>Remboursées récemment</xsl:otherwise>
        </xsl:choose>
      </h2>
      <xsl:choose>
        <xsl:when test="commande">
          <div class="table-wrap" tabindex="0">
            <table class="table table-stack">
              <thead>
                <tr>
                  <th scope="col">Référence</th>
                  <th scope="col">Foyer</th>
                  <th scope="col">Activité</th>
                  <th scope="col">Total</th>
                  <th scope="col">Date</th>
                  <xsl:choose>
                    <xsl:when test="@etat = 'a-encaisser'">
                      <th scope="col">Réservée jusqu'au</th>
                      <th scope="col">Enregistrer le paiement</th>
                    </xsl:when>
                    <xsl:when test="@etat = 'a-rembourser'">
                      <th scope="col">Enregistrer le remboursement</th>
                    </xsl:when>
                    <xsl:otherwise>
                      <th scope="col">Remboursement</th>
                    </xsl:otherwise>
                  </xsl:choose>
                </tr>
              </thead>
              <tbody>
                <xsl:apply-templates select="commande"/>
              </tbody>
            </table>
          </div>
        </xsl:when>
        <xsl:otherwise>
          <p class="empty">Aucune commande.</p>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <xsl:template match="commande">
    <xsl:variable name="etat" select="../@etat"/>
    <tr data-ref="{@ref}">
      <td data-label="Référence"><xsl:value-of select="@ref"/></td>
      <td data-label="Foyer"><xsl:value-of select="foyer"/></td>
      <td data-label="Activité"><xsl:value-of select="activite"/></td>
      <td data-label="Total"><xsl:value-of select="total"/></td>
      <td data-label="Date"><xsl:value-of select="created"/></td>
      <xsl:choose>
        <xsl:when test="$etat = 'a-encaisser'">
          <td data-label="Réservée jusqu'au">
            <xsl:choose>
              <xsl:when test="hold-until/@local"><xsl:value-of select="hold-until/@local"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="hold-until"/></xsl:otherwise>
            </xsl:choose>
          </td>
          <td data-label="Enregistrer le paiement">
            <xsl:call-template name="desk-form">
              <xsl:with-param name="action" select="'paiement'"/>
            </xsl:call-template>
          </td>
        </xsl:when>
        <xsl:when test="$etat = 'a-rembourser'">
          <td data-label="Enregistrer le remboursement">
            <xsl:call-template name="desk-form">
              <xsl:with-param name="action" select="'remboursement'"/>
            </xsl:call-template>
          </td>
        </xsl:when>
        <xsl:otherwise>
          <td data-label="Remboursement">
            <xsl:text>Remboursée</xsl:text>
            <xsl:if test="remboursement">
              <xsl:text> (</xsl:text><xsl:value-of select="remboursement"/><xsl:text>)</xsl:text>
            </xsl:if>
            <xsl:if test="refunded">
              <xsl:text> le </xsl:text><xsl:value-of select="refunded"/>
            </xsl:if>
          </td>
        </xsl:otherwise>
      </xsl:choose>
    </tr>
  </xsl:template>

  <!-- The form of one order: means, amount (a payment), date, note. -->
  <xsl:template name="desk-form">
    <xsl:param name="action"/>
    <xsl:variable name="id" select="concat($action, '-', @ref)"/>
    <xsl:variable name="ref" select="string(@ref)"/>
    <xsl:variable name="refused" select="$c/message[@type = 'error' and @ref = $ref]"/>
    <form class="desk-form" method="post" action="{$g}/commande/{@ref}/{$action}">
      <input type="hidden" name="csrf" value="{$csrf}"/>
      <xsl:if test="$refused">
        <p class="field-error" id="commande-{@ref}-erreur" tabindex="-1">
          <xsl:value-of select="$refused"/>
        </p>
      </xsl:if>
      <label for="moyen-{$id}">Moyen</label>
      <select id="moyen-{$id}" name="moyen" required="required">
        <xsl:if test="$refused">
          <xsl:attribute name="aria-describedby">commande-<xsl:value-of select="@ref"/>-erreur</xsl:attribute>
        </xsl:if>
        <option value="">—</option>
        <xsl:for-each select="$c/moyens/moyen[$action = 'remboursement' or @paiement = '1']">
          <option value="{@code}"><xsl:value-of select="."/></option>
        </xsl:for-each>
      </select>
      <xsl:if test="$action = 'paiement'">
        <label for="montant-{$id}">Montant reçu (€)</label>
        <input id="montant-{$id}" name="montant" inputmode="decimal" size="8"
               placeholder="{@euros}" required="required"/>
      </xsl:if>
      <label for="date-{$id}">Date</label>
      <input id="date-{$id}" name="date" size="10" value="{$c/@today}"
             placeholder="JJ/MM/AAAA" required="required"/>
      <label for="note-{$id}">Note</label>
      <input id="note-{$id}" name="note" maxlength="200" size="12"
             placeholder="n° de chèque…"/>
      <button type="submit" class="button button-small">
        <xsl:choose>
          <xsl:when test="$action = 'paiement'">Enregistrer le paiement</xsl:when>
          <xsl:otherwise>Enregistrer le remboursement</xsl:otherwise>
        </xsl:choose>
      </button>
    </form>
  </xsl:template>

</xsl:stylesheet>
