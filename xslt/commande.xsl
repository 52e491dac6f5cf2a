<?xml version="1.0" encoding="UTF-8"?>
<!--
  mod_cmcas — page "commande": one order.

  With commande/@confirmation="1" (just created) it opens with the tutorial's
  « Confirmation de commande » (« Comment payer une activité à paiement immédiat (4/4) »).
  An order waiting for its payment at the CMCAS (status attente_cmcas) always shows
  where, how much and until when to pay. Then the details, the lines, the history and,
  when commande/can/@cancel="1", a form posting action=annuler to commande/@action.

  Imports paiement.xsl for the shared templates "order-lines", "order-status" and
  "payee-address".
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="paiement.xsl"/>

  <xsl:variable name="o" select="/page/commande"/>
  <xsl:variable name="confirmation" select="string($o/@confirmation) = '1'"/>
  <!-- Back from the bank: the page is titled for what happened there. -->
  <xsl:variable name="return-title">
    <xsl:choose>
      <xsl:when test="$o/@outcome = 'refuse' and $o/@status != 'payee'">Paiement refusé</xsl:when>
      <xsl:when test="$o/@outcome = 'annule' and $o/@status != 'payee'">Paiement annulé</xsl:when>
      <xsl:otherwise>Confirmation de commande</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="payee-name">
    <xsl:choose>
      <xsl:when test="string($o/payee/name) != ''"><xsl:value-of select="$o/payee/name"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$cmcas/name"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title">
        <xsl:choose>
          <xsl:when test="$confirmation"><xsl:value-of select="$return-title"/></xsl:when>
          <xsl:otherwise>
            <xsl:text>Commande </xsl:text>
            <xsl:value-of select="$o/@ref"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <xsl:choose>
          <xsl:when test="$confirmation">
            <li aria-current="page"><xsl:value-of select="$return-title"/></li>
          </xsl:when>
          <xsl:otherwise>
            <li><a href="{$base}/mon-compte">Mon compte</a></li>
            <li><a href="{$base}/mes-commandes">Historique de vos commandes</a></li>
            <li aria-current="page">
              <xsl:text>Commande </xsl:text>
              <xsl:value-of select="$o/@ref"/>
            </li>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <div class="commande">
      <xsl:for-each select="$o/message[@type = 'error']">
        <p class="alert alert-error" role="alert"><xsl:value-of select="."/></p>
      </xsl:for-each>
      <xsl:for-each select="$o/message[@type = 'info']">
        <p class="alert alert-info" role="status"><xsl:value-of select="."/></p>
      </xsl:for-each>
      <xsl:choose>
        <xsl:when test="$confirmation">
          <xsl:call-template name="order-confirmation"/>
        </xsl:when>
        <xsl:otherwise>
          <header class="order-head">
            <h1>
              <xsl:text>Commande </xsl:text>
              <xsl:value-of select="$o/@ref"/>
            </h1>
            <xsl:call-template name="order-status">
              <xsl:with-param name="status" select="$o/@status"/>
              <xsl:with-param name="label" select="$o/@status-label"/>
            </xsl:call-template>
          </header>
          <xsl:call-template name="order-desk"/>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="order-retry"/>
      <xsl:call-template name="order-details"/>
      <xsl:call-template name="order-history"/>
      <xsl:call-template name="order-cancel"/>
      <p class="page-links">
        <xsl:if test="not($confirmation)">
          <a href="{$base}/mes-commandes">Voir l'historique de vos commandes</a>
        </xsl:if>
        <a href="{$base}/mes-inscriptions">Mes inscriptions</a>
      </p>
    </div>
  </xsl:template>

  <!-- ===== « Confirmation de commande » ===== -->
  <xsl:template name="order-confirmation">
    <section class="panel confirmation" aria-labelledby="confirmation-titre">
      <h1 id="confirmation-titre"><xsl:value-of select="$return-title"/></h1>
      <p class="confirmation-text">
        <xsl:choose>
          <xsl:when test="$o/@status = 'payee'">
            <xsl:value-of select="concat('Votre commande sur ', $payee-name, ' est terminée.')"/>
          </xsl:when>
          <xsl:when test="$o/@status = 'refusee'">
            <xsl:value-of select="concat('Le paiement de votre commande sur ', $payee-name, ' a été refusé.')"/>
          </xsl:when>
          <xsl:when test="$o/@status = 'annulee' or $o/@status = 'a_rembourser'">
            <xsl:value-of select="concat('Votre commande sur ', $payee-name, ' est annulée.')"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:value-of select="concat('Votre commande sur ', $payee-name, ' est enregistrée.')"/>
          </xsl:otherwise>
        </xsl:choose>
      </p>
      <xsl:call-template name="order-desk"/>
      <p>Pour toute question complémentaire, n'hésitez pas à contacter la CMCAS.</p>
      <p class="confirmation-link">
        <a class="button button-primary" href="{$base}/mes-commandes">Voir l'historique de vos commandes</a>
      </p>
    </section>
  </xsl:template>

  <!-- ===== Waiting for a payment at the CMCAS: where, how much, until when ===== -->
  <xsl:template name="order-desk">
    <xsl:if test="$o/@status = 'attente_cmcas'">
      <xsl:variable name="p" select="$o/payee"/>
      <div class="pay-instructions">
        <p>
          <xsl:text>Réglez </xsl:text>
          <strong class="nowrap"><xsl:value-of select="$o/total"/></strong>
          <xsl:text> par chèque ou en espèces à la </xsl:text>
          <xsl:value-of select="$payee-name"/>
          <xsl:if test="string($p/street) != ''">
            <xsl:text>, </xsl:text>
            <xsl:value-of select="$p/street"/>
          </xsl:if>
          <xsl:if test="string($p/postcode) != '' or string($p/city) != ''">
            <xsl:text>, </xsl:text>
            <xsl:value-of select="normalize-space(concat($p/postcode, ' ', $p/city))"/>
          </xsl:if>
          <xsl:if test="string($o/hold-until) != ''">
            <xsl:text>, avant le </xsl:text>
            <strong>
              <time datetime="{$o/hold-until/@iso}"><xsl:value-of select="$o/hold-until"/></time>
            </strong>
          </xsl:if>
          <xsl:text> (référence </xsl:text>
          <strong><xsl:value-of select="$o/@ref"/></strong>
          <xsl:text>).</xsl:text>
          <xsl:if test="string($o/hold-until) != ''">
            <xsl:text> Passé ce délai, la commande est annulée et les places libérées.</xsl:text>
          </xsl:if>
        </p>
        <xsl:if test="string($p/phone) != '' or string($p/email) != ''">
          <p class="pay-contact">
            <xsl:text>Contact : </xsl:text>
            <xsl:if test="string($p/phone) != ''">
              <a href="tel:{translate($p/phone, ' .', '')}"><xsl:value-of select="$p/phone"/></a>
            </xsl:if>
            <xsl:if test="string($p/phone) != '' and string($p/email) != ''">
              <xsl:text> · </xsl:text>
            </xsl:if>
            <xsl:if test="string($p/email) != ''">
              <a href="mailto:{$p/email}"><xsl:value-of select="$p/email"/></a>
            </xsl:if>
          </p>
        </xsl:if>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- ===== Référence, Date, Activité, Paiement, État; the lines and the total ===== -->
  <xsl:template name="order-details">
    <section class="panel order-details" aria-labelledby="commande-details-titre">
      <h2 id="commande-details-titre">Détails de la commande</h2>
      <dl class="details">
        <dt>Référence</dt>
        <dd class="order-ref"><xsl:value-of select="$o/@ref"/></dd>
        <dt>Date</dt>
        <dd><time datetime="{$o/created/@iso}"><xsl:value-of select="$o/created"/></time></dd>
        <xsl:if test="$o/activite">
          <dt>Activité</dt>
          <dd><a href="{$base}/activite/{$o/activite/@id}"><xsl:value-of select="$o/activite"/></a></dd>
        </xsl:if>
        <xsl:if test="string($o/@registration) != ''">
          <dt>Inscription</dt>
          <dd>
            <a href="{$base}/mes-inscriptions/{$o/@registration}">
              <xsl:text>Inscription n° </xsl:text>
              <xsl:value-of select="$o/@registration"/>
            </a>
          </dd>
        </xsl:if>
        <dt>Paiement</dt>
        <dd>
          <xsl:choose>
            <xsl:when test="string($o/@method-label) != ''"><xsl:value-of select="$o/@method-label"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="$o/@method"/></xsl:otherwise>
          </xsl:choose>
        </dd>
        <dt>État</dt>
        <dd>
          <xsl:call-template name="order-status">
            <xsl:with-param name="status" select="$o/@status"/>
            <xsl:with-param name="label" select="$o/@status-label"/>
          </xsl:call-template>
        </dd>
        <xsl:if test="string($o/hold-until) != '' and starts-with($o/@status, 'attente')">
          <dt>À régler avant le</dt>
          <dd><time datetime="{$o/hold-until/@iso}"><xsl:value-of select="$o/hold-until"/></time></dd>
        </xsl:if>
      </dl>
      <h3 class="order-lines-title">Prestations</h3>
      <xsl:call-template name="order-lines">
        <xsl:with-param name="lines" select="$o/line"/>
        <xsl:with-param name="total" select="$o/total"/>
      </xsl:call-template>
      <xsl:if test="$o/instalments/instalment">
        <h3 class="order-lines-title">Échéances</h3>
        <div class="table-wrap" tabindex="0">
          <table class="table">
            <thead>
              <tr><th scope="col">Échéance</th><th scope="col">Date</th><th scope="col">Montant</th></tr>
            </thead>
            <tbody>
              <xsl:for-each select="$o/instalments/instalment">
                <tr>
                  <td data-label="Échéance"><xsl:value-of select="@n"/></td>
                  <td data-label="Date"><time datetime="{date/@iso}"><xsl:value-of select="date"/></time></td>
                  <td data-label="Montant"><xsl:value-of select="amount"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- ===== History (as on the « Consulter » page of a registration) ===== -->
  <xsl:template name="order-history">
    <xsl:if test="$o/history/event">
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
              <xsl:for-each select="$o/history/event">
                <tr>
                  <td data-label="Date">
                    <time datetime="{@at}">
                      <xsl:choose>
                        <xsl:when test="string(@local) != ''"><xsl:value-of select="@local"/></xsl:when>
                        <xsl:otherwise><xsl:value-of select="@at"/></xsl:otherwise>
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

  <!-- ===== « Annuler la commande » ===== -->
  <!-- ===== A card payment left, cancelled or refused: pay again while the places are held ===== -->
  <xsl:template name="order-retry">
    <xsl:if test="$o/can/@retry = '1'">
      <section class="panel order-retry" aria-labelledby="reessai-titre">
        <h2 id="reessai-titre">Réessayer le paiement</h2>
        <p>
          <xsl:text>Votre inscription est conservée et vos places sont réservées</xsl:text>
          <xsl:if test="string($o/hold-until/@local) != ''">
            <xsl:text> jusqu'au </xsl:text>
            <strong><time datetime="{$o/hold-until/@iso}"><xsl:value-of select="$o/hold-until/@local"/></time></strong>
          </xsl:if>
          <xsl:text>. Passé ce délai, l'inscription est annulée et les places libérées.</xsl:text>
        </p>
        <p>
          <a class="button button-primary" href="{$o/can/@retry-href}">Réessayer le paiement</a>
        </p>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="order-cancel">
    <xsl:if test="$o/can/@cancel = '1' and string($o/@action) != ''">
      <form class="panel order-cancel" method="post" action="{$o/@action}">
        <input type="hidden" name="csrf" value="{$o/@csrf}"/>
        <p class="order-cancel-note" id="annulation-note">L'annulation de la commande annule aussi l'inscription et libère les places.</p>
        <button type="submit" name="action" value="annuler" class="button button-danger"
                aria-describedby="annulation-note">Annuler la commande</button>
      </form>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
