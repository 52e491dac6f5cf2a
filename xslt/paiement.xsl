<?xml version="1.0" encoding="UTF-8"?>
<!--
  mod_cmcas — page "paiement": « Procéder au paiement » of a validated registration
  (tutorial « Comment payer une activité à paiement immédiat (2/4) »).

  What is due (one line per person and option, the total), then either the order that
  already waits for its payment (paiement/order: a link to it, no form), or ONE form
  posting to paiement/@action with the CGV check box and one submit button per payment
  method (name="methode": cmcas, cb1, cb3…). The buttons are always visible: without
  the box ticked the browser (required) and the server refuse; CSS only outlines them.

  The named templates "order-lines" and "order-status" are shared with commande.xsl,
  which imports this file.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:variable name="pay" select="/page/paiement"/>
  <xsl:variable name="pay-act" select="$pay/activite"/>
  <xsl:variable name="pay-has-cb" select="boolean($pay/methods/method[@code = 'cb'])"/>

  <xsl:template match="/">
    <xsl:call-template name="layout">
      <xsl:with-param name="title">
        <xsl:text>Paiement</xsl:text>
        <xsl:if test="string($pay-act/title) != ''">
          <xsl:text> — </xsl:text>
          <xsl:value-of select="$pay-act/title"/>
        </xsl:if>
      </xsl:with-param>
      <xsl:with-param name="breadcrumb">
        <li><a href="{$base}/mon-compte">Mon compte</a></li>
        <li><a href="{$base}/mes-inscriptions">Mes inscriptions</a></li>
        <li aria-current="page">Paiement</li>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's content: the layout applies it in place (no copy of a fragment). -->
  <xsl:template match="/" mode="content">
    <div class="paiement">
      <xsl:call-template name="pay-head"/>
      <xsl:for-each select="$pay/message[@type = 'error']">
        <p class="alert alert-error" role="alert"><xsl:value-of select="."/></p>
      </xsl:for-each>
      <xsl:for-each select="$pay/message[@type = 'info']">
        <p class="alert alert-info" role="status"><xsl:value-of select="."/></p>
      </xsl:for-each>

      <section class="panel pay-summary" aria-labelledby="pay-summary-titre">
        <h2 id="pay-summary-titre">Montant total de votre inscription</h2>
        <xsl:call-template name="order-lines">
          <xsl:with-param name="lines" select="$pay/line"/>
          <xsl:with-param name="total" select="$pay/total"/>
        </xsl:call-template>
      </section>

      <xsl:if test="string($pay/hold-until/@local) != ''">
        <p class="alert alert-info pay-hold" role="status">
          <xsl:text>Vos places sont réservées jusqu'au </xsl:text>
          <strong><time datetime="{$pay/hold-until/@iso}"><xsl:value-of select="$pay/hold-until/@local"/></time></strong>
          <xsl:text>. Passé ce délai, l'inscription est annulée et les places libérées.</xsl:text>
        </p>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$pay/order">
          <div class="alert alert-info pay-order">
            <p>
              <xsl:text>Une commande (référence </xsl:text>
              <strong><xsl:value-of select="$pay/order/@ref"/></strong>
              <xsl:text>) attend déjà son paiement.</xsl:text>
            </p>
            <p>
              <a class="button button-primary" href="{$pay/order/@href}">Voir la commande</a>
            </p>
          </div>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="pay-form"/>
        </xsl:otherwise>
      </xsl:choose>

      <p class="page-links">
        <xsl:if test="string($pay/@registration) != ''">
          <a href="{$base}/mes-inscriptions/{$pay/@registration}">Consulter l'inscription</a>
        </xsl:if>
        <a href="{$base}/mes-inscriptions">Mes inscriptions</a>
      </p>
    </div>
  </xsl:template>

  <!-- ===== Top: the page title and the activity ===== -->
  <xsl:template name="pay-head">
    <header class="panel insc-head pay-head">
      <xsl:if test="string($pay/@registration) != ''">
        <p class="insc-kicker">
          <xsl:text>Inscription n° </xsl:text>
          <xsl:value-of select="$pay/@registration"/>
        </p>
      </xsl:if>
      <h1>Procéder au paiement</h1>
      <xsl:if test="$pay-act">
        <p class="pay-activity">
          <xsl:text>Activité : </xsl:text>
          <a href="{$base}/activite/{$pay-act/@id}"><xsl:value-of select="$pay-act/title"/></a>
        </p>
        <ul class="insc-facts">
          <xsl:if test="string($pay-act/start) != ''">
            <li>
              <xsl:text>Dates de début et de fin d'activité : </xsl:text>
              <strong>
                <time datetime="{$pay-act/start/@iso}"><xsl:value-of select="$pay-act/start"/></time>
                <xsl:if test="string($pay-act/end) != ''">
                  <xsl:text> - </xsl:text>
                  <time datetime="{$pay-act/end/@iso}"><xsl:value-of select="$pay-act/end"/></time>
                </xsl:if>
              </strong>
            </li>
          </xsl:if>
          <xsl:if test="string($pay-act/organiser) != ''">
            <li>
              <xsl:text>Organisée par : </xsl:text>
              <strong><xsl:value-of select="$pay-act/organiser"/></strong>
            </li>
          </xsl:if>
        </ul>
      </xsl:if>
    </header>
  </xsl:template>

  <!-- ===== The form: CGV, then one button per payment method ===== -->
  <xsl:template name="pay-form">
    <form class="form panel pay-form" method="post" action="{$pay/@action}">
      <input type="hidden" name="csrf" value="{$pay/@csrf}"/>
      <xsl:if test="$pay/replaces">
        <input type="hidden" name="remplace" value="{$pay/replaces/@ref}"/>
        <p class="pay-replaces">
          <xsl:text>Ce nouveau paiement remplace la commande </xsl:text>
          <strong><xsl:value-of select="$pay/replaces/@ref"/></strong>
          <xsl:text>.</xsl:text>
        </p>
      </xsl:if>
      <!-- The check box, the hint and .methods are siblings: CSS outlines the methods'
           buttons while the box is not ticked (.cgv:not(:checked) ~ .methods). -->
      <div class="pay-choice">
        <input type="checkbox" class="cgv" id="cgv" name="cgv" value="1" required="required"/>
        <span class="cgv-text">
          <label for="cgv">J'ai lu les conditions générales de vente et j'y adhère sans réserve.</label>
          <xsl:if test="string($pay/cgv/@href) != ''">
            <xsl:text> </xsl:text>
            <a class="cgv-link" href="{$pay/cgv/@href}" target="_blank" rel="noopener">(Lire les Conditions générales de vente)</a>
          </xsl:if>
        </span>
        <h2 class="methods-title">Choisissez votre moyen de paiement</h2>
        <xsl:if test="$pay-has-cb">
          <p class="methods-intro">Si vous souhaitez régler en plus d'échéances que proposé ci-dessous, choisissez "Paiement en CMCAS" et rapprochez-vous de la CMCAS qui a organisé l'activité.</p>
        </xsl:if>
        <p class="methods-hint">Cochez les conditions générales de vente pour choisir votre moyen de paiement.</p>
        <xsl:choose>
          <xsl:when test="$pay/methods/method">
            <div class="methods">
              <xsl:apply-templates select="$pay/methods/method"/>
            </div>
          </xsl:when>
          <xsl:otherwise>
            <p class="muted">Aucun moyen de paiement n'est proposé en ligne : rapprochez-vous de la CMCAS qui a organisé l'activité.</p>
          </xsl:otherwise>
        </xsl:choose>
      </div>
    </form>
  </xsl:template>

  <!-- « Paiement en CMCAS »: at the desk of the payee, places held @hold-days days. -->
  <xsl:template match="method[@code = 'cmcas']">
    <xsl:variable name="note" select="concat('methode-', position(), '-note')"/>
    <div class="method method-cmcas">
      <button type="submit" name="methode" value="cmcas" aria-describedby="{$note}"
              class="button button-primary button-block">Paiement en CMCAS</button>
      <div class="method-note" id="{$note}">
        <p>
          <xsl:text>Réglez par chèque ou espèces à la CMCAS</xsl:text>
          <xsl:choose>
            <xsl:when test="number(@hold-days) = 1">
              <xsl:text> dans 1 jour : vos places sont réservées jusque-là.</xsl:text>
            </xsl:when>
            <xsl:when test="number(@hold-days) &gt; 1">
              <xsl:text> dans les </xsl:text>
              <xsl:value-of select="@hold-days"/>
              <xsl:text> jours : vos places sont réservées jusque-là.</xsl:text>
            </xsl:when>
            <xsl:otherwise>.</xsl:otherwise>
          </xsl:choose>
        </p>
        <xsl:if test="string($pay/payee/name) != ''">
          <xsl:call-template name="payee-address">
            <xsl:with-param name="payee" select="$pay/payee"/>
          </xsl:call-template>
        </xsl:if>
      </div>
    </div>
  </xsl:template>

  <!-- « Payer avec CB » (online), « Payer avec CB en N fois ». -->
  <xsl:template match="method[@code = 'cb']">
    <xsl:variable name="n">
      <xsl:choose>
        <xsl:when test="number(@instalments) &gt; 1"><xsl:value-of select="number(@instalments)"/></xsl:when>
        <xsl:otherwise>1</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="note" select="concat('methode-', position(), '-note')"/>
    <div class="method method-cb">
      <button type="submit" name="methode" value="cb{$n}" aria-describedby="{$note}"
              class="button button-primary button-block">
        <xsl:text>Payer avec CB</xsl:text>
        <xsl:if test="$n &gt; 1">
          <xsl:text> en </xsl:text>
          <xsl:value-of select="$n"/>
          <xsl:text> fois</xsl:text>
        </xsl:if>
      </button>
      <div class="method-note" id="{$note}">
        <p>
          <xsl:text>Paiement en ligne par carte CB, Visa ou Mastercard</xsl:text>
          <xsl:if test="$n &gt; 1">
            <xsl:text>, en </xsl:text>
            <xsl:value-of select="$n"/>
            <xsl:text> échéances</xsl:text>
          </xsl:if>
          <xsl:text>.</xsl:text>
        </p>
      </div>
    </div>
  </xsl:template>

  <!-- A method this stylesheet does not know: nothing (the server would refuse it). -->
  <xsl:template match="method"/>

  <!-- ===== Shared with commande.xsl ===== -->

  <!-- The payee's name and address. -->
  <xsl:template name="payee-address">
    <xsl:param name="payee"/>
    <address class="payee-address">
      <strong><xsl:value-of select="$payee/name"/></strong>
      <xsl:if test="string($payee/street) != ''">
        <br/><xsl:value-of select="$payee/street"/>
      </xsl:if>
      <xsl:if test="string($payee/postcode) != '' or string($payee/city) != ''">
        <br/>
        <xsl:value-of select="normalize-space(concat($payee/postcode, ' ', $payee/city))"/>
      </xsl:if>
    </address>
  </xsl:template>

  <!-- The lines (Personne, Prestation, Montant, Participation CMCAS) and the total. -->
  <xsl:template name="order-lines">
    <xsl:param name="lines"/>
    <xsl:param name="total"/>
    <xsl:if test="$lines">
      <div class="table-wrap" tabindex="0">
        <table class="table table-stack lines-table">
          <thead>
            <tr>
              <th scope="col">Personne</th>
              <th scope="col">Prestation</th>
              <th scope="col" class="num">Montant</th>
              <th scope="col" class="num">Participation CMCAS</th>
            </tr>
          </thead>
          <tbody>
            <xsl:for-each select="$lines">
              <tr>
                <td data-label="Personne"><xsl:value-of select="person"/></td>
                <td data-label="Prestation"><xsl:value-of select="option"/></td>
                <td data-label="Montant" class="num"><xsl:value-of select="amount"/></td>
                <td data-label="Participation CMCAS" class="num">
                  <xsl:choose>
                    <xsl:when test="number(participation/@cents) &gt; 0">
                      <xsl:value-of select="participation"/>
                    </xsl:when>
                    <xsl:otherwise>Pas de participation CMCAS</xsl:otherwise>
                  </xsl:choose>
                </td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
      </div>
    </xsl:if>
    <p class="total">
      <xsl:text>Total : </xsl:text>
      <strong>
        <xsl:choose>
          <xsl:when test="string($total) != ''"><xsl:value-of select="$total"/></xsl:when>
          <xsl:otherwise>0,00&#160;€</xsl:otherwise>
        </xsl:choose>
      </strong>
    </p>
  </xsl:template>

  <!-- An order's status as a badge (class status-{code}). -->
  <xsl:template name="order-status">
    <xsl:param name="status"/>
    <xsl:param name="label"/>
    <span class="status status-{$status}">
      <xsl:choose>
        <xsl:when test="string($label) != ''"><xsl:value-of select="$label"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$status"/></xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

</xsl:stylesheet>
