// The error summary of a form (templates/includes/form.html): it receives the focus when the page
// opens, so a screen reader reads it and the keyboard starts there; each of its links moves the
// focus to the field it names (a plain #fragment only scrolls), showing the field's label too.
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  function labelOf(field) {
    var fieldset = field.closest("fieldset");
    if (fieldset && (field.type === "radio" || field.type === "checkbox") && fieldset.querySelector("legend")) {
      return fieldset;
    }
    return (field.id && document.querySelector("label[for='" + field.id + "']")) || field;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) return;
    event.preventDefault();
    labelOf(field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
  // A page reached with a fragment (a form posted from "…#main" after the skip link) has the
  // browser focus that fragment once loaded: the summary takes the focus back, unless the person
  // has already moved on.
  window.addEventListener("load", function () {
    var active = document.activeElement;
    if (!active || active === document.body || active.id === "main") focusSummary();
  });
})();
