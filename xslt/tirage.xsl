<?xml version="1.0" encoding="UTF-8"?>
<!-- mod_cmcas — the « tour de rôle » selection of an activity (<tirage>): when it takes
     place, the commitment of its seed (then the seed, with the results), the rule, and
     for a registration why it got its result. Included by activite.xsl and
     inscription.xsl. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:template name="tirage">
    <xsl:param name="t"/>
    <xsl:if test="$t">
      <section class="panel tirage" aria-labelledby="tirage-titre">
        <h2 id="tirage-titre">Sélection « tour de rôle »</h2>
        <xsl:choose>
          <xsl:when test="$t/@published = '1'">
            <p>La sélection a eu lieu. Valeur du tirage, publiée avec les résultats :
              <code class="hash"><xsl:value-of select="$t/@seed"/></code></p>
            <p><a href="{$t/@data}">Données du tirage (CSV)</a> : chacun peut refaire le
              tirage avec la commande <code>cmcas-draw verify</code>.</p>
          </xsl:when>
          <xsl:otherwise>
            <p>
              <xsl:text>Sélection le </xsl:text>
              <time datetime="{$t/date/@iso}"><xsl:value-of select="$t/date"/></time>
              <xsl:text>, après la clôture des inscriptions.</xsl:text>
            </p>
            <xsl:if test="string($t/@commitment) != ''">
              <p>Empreinte (SHA-256) de la valeur du tirage, choisie à l'ouverture des
                inscriptions et publiée avec les résultats :
                <code class="hash"><xsl:value-of select="$t/@commitment"/></code></p>
            </xsl:if>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:for-each select="$t/resultat">
          <h3>Votre résultat</h3>
          <dl class="tirage-resultat">
            <dt>Résultat</dt>
            <dd>
              <xsl:choose>
                <xsl:when test="@selection = 'retenue'">Demande retenue</xsl:when>
                <xsl:when test="@selection = 'attente'">
                  <xsl:text>Liste d'attente, position </xsl:text>
                  <xsl:value-of select="@waiting"/>
                </xsl:when>
                <xsl:when test="@selection = 'non_retenue'">Non retenue : les conditions d'inscription ne sont plus remplies</xsl:when>
                <xsl:when test="@selection = 'liberee'">Place libérée : paiement non reçu à temps</xsl:when>
                <xsl:when test="@selection = 'renonce'">Vous avez renoncé</xsl:when>
                <xsl:otherwise><xsl:value-of select="@selection"/></xsl:otherwise>
              </xsl:choose>
            </dd>
            <xsl:if test="pay-by">
              <dt>À payer au plus tard le</dt>
              <dd><time datetime="{pay-by/@iso}"><xsl:value-of select="pay-by"/></time></dd>
            </xsl:if>
            <dt>Rang</dt>
            <dd><xsl:value-of select="@rank"/></dd>
            <dt>Places demandées</dt>
            <dd><xsl:value-of select="@persons"/></dd>
            <dt>Activités obtenues récemment (pondérées)</dt>
            <dd><xsl:value-of select="translate(@history, '.', ',')"/></dd>
            <dt>Coefficient social</dt>
            <dd>
              <xsl:choose>
                <xsl:when test="@coefficient"><xsl:value-of select="@coefficient"/></xsl:when>
                <xsl:otherwise>non connu</xsl:otherwise>
              </xsl:choose>
            </dd>
            <dt>Tirage au sort (SHA-256 de « valeur:n° d'inscription »)</dt>
            <dd><code class="hash"><xsl:value-of select="@tiebreak"/></code></dd>
          </dl>
        </xsl:for-each>
        <xsl:for-each select="$t/renoncer">
          <form method="post" action="{@action}" class="renoncer">
            <input type="hidden" name="csrf" value="{@csrf}"/>
            <button type="submit" class="button">Je renonce</button>
            <span class="muted"> Votre place ou votre rang revient au foyer suivant.</span>
          </form>
        </xsl:for-each>
        <details>
          <summary>Règle de sélection</summary>
          <p><xsl:value-of select="$t/regle"/></p>
        </details>
      </section>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
