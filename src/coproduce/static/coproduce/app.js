/*
  Coproduce: progressive enhancement only. Every page works without this file.
  - starts the design system's components (mobile menu, tables, details...);
  - moves focus to an error summary when a page (or an htmx swap) brings one;
  - sends the CSRF token with htmx requests (the CSRF cookie is HttpOnly, so the token comes from
    <meta name="csrf-token"> in base.html).
*/
(function () {
  "use strict";

  var CSRF_META = 'meta[name="csrf-token"]';
  var ERROR_SUMMARY = "[data-cp-error-summary]";

  function csrfToken() {
    var meta = document.querySelector(CSRF_META);
    return meta ? meta.getAttribute("content") : "";
  }

  function initDesignSystem(scope) {
    if (window.DS && typeof window.DS.initAll === "function") {
      try {
        window.DS.initAll(scope || document);
      } catch (error) {
        // A component that fails to start must not stop the rest of the page.
        if (window.console) { window.console.error(error); }
      }
    }
    // The design system now draws its own "Menu" button: take the no-JavaScript checkbox out of the
    // tab order so keyboard users meet one control, not two.
    if (document.querySelector(".ds_site-header__controls button")) {
      var toggles = document.querySelectorAll(".ds_site-navigation__toggle");
      for (var i = 0; i < toggles.length; i += 1) { toggles[i].hidden = true; }
    }
  }

  function focusErrorSummary(scope) {
    var root = scope || document;
    var summary = root.matches && root.matches(ERROR_SUMMARY) ? root : root.querySelector(ERROR_SUMMARY);
    if (summary) { summary.focus(); }
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) { event.detail.headers["X-CSRFToken"] = token; }
  });

  // New content from htmx: start its components and bring an error summary to the person's attention.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target !== document.body) {
      initDesignSystem(target);
      focusErrorSummary(target);
    }
  });

  function start() {
    document.documentElement.classList.add("js-enabled");
    initDesignSystem(document);
    focusErrorSummary(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
