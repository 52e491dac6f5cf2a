<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — page "commandes": « Historique de vos commandes » (« Mes commandes »,
     tutorial « Comment consulter vos commandes (2/2) »). « Facture »: a link to the PDF
     (mes-commandes/{ref}/facture.pdf) where the order has an invoice (<facture number>),
     and to its credit note (avoir.pdf) where it has one (<avoir number>); « — » otherwise. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:variable name="orders" select="/page/commandes"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title">Historique de vos commandes</xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li><a href="{$base}/mon-compte">Mon compte</a></li>
        <li aria-current="page">Historique de vos commandes</li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <h1>Historique de vos commandes</h1>
    <p class="lead">Vous trouverez ici vos commandes passées depuis la création de votre compte</p>
    <xsl:choose>
      <xsl:when test="$orders/commande">
        <div class="table-wrap" tabindex="0">
          <table class="table table-stack orders-table">
            <thead>
              <tr>
                <th scope="col">Référence de commande</th>
                <th scope="col">Date</th>
                <th scope="col" class="num">Prix total</th>
                <th scope="col">Paiement</th>
                <th scope="col">État</th>
                <th scope="col">Facture</th>
                <th scope="col"><span class="visually-hidden">Détails</span></th>
              </tr>
            </thead>
            <tbody>
              <xsl:apply-templates select="$orders/commande"/>
            </tbody>
          </table>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <div class="empty">
          <p>Vous n'avez encore passé aucune commande.</p>
          <p><a href="{$base}/">Voir les activités</a></p>
        </div>
      </xsl:otherwise>
    </xsl:choose>
    <p class="page-links">
      <a href="{$base}/mon-compte">Retour à votre compte</a>
      <a href="{$base}/">Accueil</a>
    </p>
  </xsl:template>

  <xsl:template match="commande">
    <tr>
      <td data-label="Référence de commande" class="order-ref"><xsl:value-of select="@ref"/></td>
      <td data-label="Date">
        <time datetime="{created/@iso}"><xsl:value-of select="created"/></time>
      </td>
      <td data-label="Prix total" class="num"><xsl:value-of select="total"/></td>
      <td data-label="Paiement">
        <xsl:choose>
          <xsl:when test="string(@method-label) != ''"><xsl:value-of select="@method-label"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="@method"/></xsl:otherwise>
        </xsl:choose>
      </td>
      <td data-label="État">
        <span class="status status-{@status}">
          <xsl:choose>
            <xsl:when test="string(@status-label) != ''"><xsl:value-of select="@status-label"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="@status"/></xsl:otherwise>
          </xsl:choose>
        </span>
      </td>
      <td data-label="Facture">
        <xsl:choose>
          <xsl:when test="facture or avoir">
            <xsl:apply-templates select="facture | avoir" mode="pdf"/>
          </xsl:when>
          <xsl:otherwise>
            <span aria-hidden="true">—</span>
            <span class="visually-hidden">Pas de facture disponible</span>
          </xsl:otherwise>
        </xsl:choose>
      </td>
      <td class="cell-action">
        <a class="button button-small" href="{@href}">
          <xsl:text>Détails</xsl:text>
          <span class="visually-hidden">
            <xsl:text> de la commande </xsl:text>
            <xsl:value-of select="@ref"/>
          </span>
        </a>
      </td>
    </tr>
  </xsl:template>

  <!-- « Facture PDF » / « Avoir PDF »: the icon is decorative, the link's text says what
       it downloads (and, for a screen reader, which document). -->
  <xsl:template match="facture | avoir" mode="pdf">
    <a class="invoice-link" href="{$base}/mes-commandes/{../@ref}/{local-name()}.pdf"
       type="application/pdf" download="">
      <img src="/static/img/pdf.svg" alt="" width="20" height="20"/>
      <xsl:choose>
        <xsl:when test="self::avoir">Avoir PDF</xsl:when>
        <xsl:otherwise>Facture PDF</xsl:otherwise>
      </xsl:choose>
      <span class="visually-hidden">
        <xsl:text> n° </xsl:text>
        <xsl:value-of select="@number"/>
      </span>
    </a>
  </xsl:template>

</xsl:stylesheet>
