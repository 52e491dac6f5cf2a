<?xml version="1.0" encoding="UTF-8"?>
<!--
  mod_cmcas — how a form shows the errors of a post the server refused (imported by
  layout.xsl and gestion-layout.xsl: every form does it the same way).

  An error is an element whose text is the message and whose @field (or @champ, in the
  back-office's documents) names the field it is about, the input's id being the prefix
  followed by that name.

  - "form-error-summary", at the top of the form: a box with role="alert" (said as soon as
    the page is shown), the messages, each a link to its field;
  - "field-aria", called first inside an <input>, <select> or <textarea>: aria-invalid
    and aria-describedby (the field's hint, then its message);
  - "field-error", just after the field: the message with the id aria-describedby names.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:template name="form-error-summary">
    <xsl:param name="errors"/>
    <xsl:param name="intro">Le formulaire contient des erreurs ; rien n'a été enregistré :</xsl:param>
    <xsl:param name="prefix"/>
    <xsl:if test="$errors">
      <div class="alert alert-error error-summary" role="alert" id="erreurs" tabindex="-1">
        <p><xsl:value-of select="$intro"/></p>
        <ul class="form-errors">
          <xsl:for-each select="$errors">
            <li>
              <xsl:choose>
                <xsl:when test="string(@field | @champ) != ''">
                  <a href="#{$prefix}{@field | @champ}"><xsl:value-of select="."/></a>
                </xsl:when>
                <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
              </xsl:choose>
            </li>
          </xsl:for-each>
        </ul>
      </div>
    </xsl:if>
  </xsl:template>

  <xsl:template name="field-aria">
    <xsl:param name="id"/>
    <xsl:param name="errors"/>
    <xsl:param name="hint"/>
    <xsl:if test="$errors">
      <xsl:attribute name="aria-invalid">true</xsl:attribute>
    </xsl:if>
    <xsl:if test="$errors or string($hint) != ''">
      <xsl:attribute name="aria-describedby">
        <xsl:value-of select="$hint"/>
        <xsl:if test="$errors">
          <xsl:if test="string($hint) != ''"><xsl:text> </xsl:text></xsl:if>
          <xsl:value-of select="concat($id, '-erreur')"/>
        </xsl:if>
      </xsl:attribute>
    </xsl:if>
  </xsl:template>

  <xsl:template name="field-error">
    <xsl:param name="id"/>
    <xsl:param name="errors"/>
    <xsl:if test="$errors">
      <span class="field-error" id="{$id}-erreur">
        <xsl:for-each select="$errors">
          <xsl:if test="position() > 1"><xsl:text> </xsl:text></xsl:if>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </span>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
