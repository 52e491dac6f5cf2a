/* mod_cmcas — progressive enhancement of the registration form (page "inscription").
 * The page works fully without this file: it only
 *  - shows the « Invité(e) » fields when « Invité(s) » is selected in the drop-down,
 *  - saves the form (action=enregistrer) as soon as an option or the photo box changes,
 *    so that the server recomputes the total, and keeps the scroll position and the
 *    focus (on the box just ticked) across the reload, then announces the new total,
 *  - offers the browser's calendar beside the guest's typed birth date (JJ/MM/AAAA),
 *  - asks for a confirmation before « Annuler votre inscription »,
 *  - ignores a second submission while the first one is on its way.
 * Served under CSP script-src 'self': no inline script, no eval. */
(function () {
  'use strict';

  var form = document.getElementById('inscription-form');
  if (!form) {
    return;
  }

  var SCROLL_KEY = 'cmcas-inscription-scroll';
  var sending = false;

  /* ---- « Invité(e) » fields ---- */
  var select = form.querySelector('select[name="personne"]');
  var guest = document.getElementById('invite');

  function syncGuest() {
    if (select && guest) {
      guest.hidden = select.value !== 'invite';
    }
  }
  if (select && guest) {
    syncGuest();
    select.addEventListener('change', function () {
      syncGuest();
      if (!guest.hidden) {
        var first = guest.querySelector('input');
        if (first) {
          first.focus();
        }
      }
    });
  }

  /* ---- « Date de naissance » of a guest: typed JJ/MM/AAAA, or picked in a calendar ---- */
  var birth = document.getElementById('invite-naissance');
  var probe = document.createElement('input');
  probe.setAttribute('type', 'date');
  if (birth && probe.type === 'date') {
    var picker = document.createElement('input');
    picker.type = 'date';
    picker.className = 'date-picker';
    picker.setAttribute('aria-label', 'Choisir la date de naissance dans un calendrier');
    picker.max = new Date().toISOString().slice(0, 10);
    var fromText = function () {
      var m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(birth.value.trim());
      picker.value = m ? m[3] + '-' + m[2] + '-' + m[1] : '';
    };
    fromText();
    birth.addEventListener('change', fromText);
    picker.addEventListener('change', function () {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(picker.value);
      if (m) {
        birth.value = m[3] + '/' + m[2] + '/' + m[1];
      }
    });
    birth.parentNode.insertBefore(picker, birth.nextSibling);
  }

  /* ---- Scroll position and focus kept across a save, the new total announced ---- */
  function totalText() {
    var total = form.querySelector('.total');
    return total ? total.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  function rememberScroll() {
    var active = document.activeElement;
    try {
      window.sessionStorage.setItem(SCROLL_KEY, JSON.stringify({
        path: window.location.pathname,
        y: window.scrollY || window.pageYOffset || 0,
        t: Date.now(),
        focus: isSavedBox(active) ? {name: active.name, value: active.value} : null,
        total: totalText()
      }));
    } catch (e) { /* storage unavailable: nothing to keep */ }
  }

  /* A polite live region, filled once the page has settled: screen readers say it. */
  function announce(text) {
    var region = document.createElement('p');
    region.className = 'visually-hidden';
    region.setAttribute('role', 'status');
    document.body.appendChild(region);
    window.setTimeout(function () {
      region.textContent = text;
    }, 250);
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(SCROLL_KEY) || 'null');
      window.sessionStorage.removeItem(SCROLL_KEY);
    } catch (e) {
      return;
    }
    /* Not after an error: the message at the top must be seen. */
    if (!saved || saved.path !== window.location.pathname ||
        Date.now() - saved.t > 60000 ||
        document.querySelector('[role="alert"]')) {
      return;
    }
    window.scrollTo(0, saved.y);
    if (saved.focus) {
      var boxes = form.querySelectorAll('input[type="checkbox"]');
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].name === saved.focus.name && boxes[i].value === saved.focus.value) {
          boxes[i].focus({preventScroll: true});
          break;
        }
      }
    }
    if (saved.total && totalText() !== saved.total) {
      announce(totalText());
    }
  }

  /* ---- Saving: action=enregistrer ---- */
  function save() {
    if (sending) {
      return;
    }
    var button = form.querySelector('button[name="action"][value="enregistrer"]');
    if (button && typeof form.requestSubmit === 'function') {
      form.requestSubmit(button);
      return;
    }
    /* Older browsers: submit() sends no button and fires no submit event. */
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'action';
    input.value = 'enregistrer';
    form.appendChild(input);
    sending = true;
    rememberScroll();
    form.submit();
  }

  function isSavedBox(el) {
    return el && el.type === 'checkbox' && /^(options|photo)-/.test(el.name || '');
  }

  form.addEventListener('change', function (event) {
    if (isSavedBox(event.target)) {
      save();
    }
  });

  /* Enter on a check box would submit with the default button: it is saved on change. */
  form.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && isSavedBox(event.target)) {
      event.preventDefault();
    }
  });

  form.addEventListener('submit', function (event) {
    if (sending) {
      event.preventDefault();
      return;
    }
    var submitter = event.submitter || null;
    var action = submitter ? submitter.value : '';
    if (action === 'annuler' &&
        !window.confirm('Voulez-vous vraiment annuler votre inscription ?')) {
      event.preventDefault();
      return;
    }
    sending = true;
    form.classList.add('is-sending');
    if (action === 'enregistrer' || action.indexOf('retirer-') === 0) {
      rememberScroll();
    }
  });

  restoreScroll();

  /* Back/forward cache: the page may come back with the form still marked as sent. */
  window.addEventListener('pageshow', function () {
    sending = false;
    form.classList.remove('is-sending');
  });
}());

/* mod_cmcas — page "banque": go on to the bank's page at once (the button remains for
 * browsers without JavaScript). */
(function () {
  'use strict';
  var bank = document.getElementById('banque');
  if (bank) {
    bank.submit();
  }
})();

/* mod_cmcas — every page: the account menu (a <details>, usable without this file) also
 * closes with Escape, or when the focus leaves it, the focus back on its button. */
(function () {
  'use strict';
  var menu = document.querySelector('details.user-menu');
  if (!menu) {
    return;
  }
  var summary = menu.querySelector('summary');
  menu.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && menu.open) {
      menu.open = false;
      summary.focus();
    }
  });
  menu.addEventListener('focusout', function (e) {
    if (menu.open && e.relatedTarget && !menu.contains(e.relatedTarget)) {
      menu.open = false;
    }
  });
})();
