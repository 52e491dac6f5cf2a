<?xml version="1.0" encoding="UTF-8"?>
<!--
  mod_cmcas — what to do next after an error, by status: a sentence and a link (imported by
  erreur.xsl and gestion-erreur.xsl). The page's own message says what went wrong; this
  says how to go on. Reads /page/erreur (@status, @retry: the address to ask again, for a
  GET that failed for a passing reason).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:template name="error-next">
    <xsl:param name="home"/>          <!-- the catalogue, or the back-office's dashboard -->
    <xsl:param name="home-label"/>
    <xsl:param name="staff" select="false()"/>
    <xsl:variable name="e" select="/page/erreur"/>
    <xsl:variable name="status" select="string($e/@status)"/>
    <p class="error-next">
      <xsl:choose>
        <xsl:when test="$status = '400'">L'adresse ou le formulaire envoyé n'est pas valide : vérifiez l'adresse, ou repartez de la page d'accueil et recommencez.</xsl:when>
        <xsl:when test="$status = '403'">Le formulaire a expiré ou cette page ne vous est pas accessible : revenez à la page précédente, rechargez-la et recommencez.</xsl:when>
        <xsl:when test="$status = '404'">Cette page n'existe pas ou plus : vérifiez l'adresse, ou retrouvez ce que vous cherchez depuis la page d'accueil.</xsl:when>
        <xsl:when test="$status = '405'">Cette adresse ne s'ouvre pas ainsi : passez par les liens et les boutons du site.</xsl:when>
        <xsl:when test="$status = '409' and $staff">La situation a déjà changé : rien n'a été modifié. Rouvrez la page pour voir l'état actuel avant de recommencer.</xsl:when>
        <xsl:when test="$status = '409'">La situation a déjà changé : rien n'a été modifié. Consultez vos inscriptions pour voir où vous en êtes.</xsl:when>
        <xsl:when test="$status = '413'">Ce qui a été envoyé est trop volumineux (un texte de plus de 32 Kio, une image de plus de 2 Mio) : raccourcissez-le et recommencez.</xsl:when>
        <xsl:when test="$status = '503'">Le service est momentanément indisponible : réessayez dans quelques minutes. Si le problème persiste, contactez votre CMCAS.</xsl:when>
        <xsl:otherwise>Repartez de la page d'accueil et recommencez.</xsl:otherwise>
      </xsl:choose>
    </p>
    <p class="error-actions">
      <xsl:if test="$status = '503' and string($e/@retry) != ''">
        <a class="button button-primary" href="{$e/@retry}">Réessayer</a>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:if test="$status = '409' and not($staff)">
        <a class="button button-primary" href="{/page/@base}/mes-inscriptions">Voir mes inscriptions</a>
        <xsl:text> </xsl:text>
      </xsl:if>
      <a href="{$home}">
        <xsl:attribute name="class">
          <xsl:choose>
            <xsl:when test="($status = '503' and string($e/@retry) != '')
                            or ($status = '409' and not($staff))">button</xsl:when>
            <xsl:otherwise>button button-primary</xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
        <xsl:value-of select="$home-label"/>
      </a>
    </p>
  </xsl:template>

</xsl:stylesheet>
