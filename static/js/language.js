// The language switcher keeps what the person has typed: just before the switch, the values of the
// page's forms go into this tab's sessionStorage; the same page in the new language puts them back
// into its still-empty fields, once. Never passwords, files or hidden fields (such as CSRF tokens).
(function () {
  "use strict";
  var KEY = "portal-language-carry";
  var switcher = document.querySelector("form.language-switcher");
  var storage;
  try { storage = window.sessionStorage; } catch (error) { return; }
  if (!storage) return;

  // The page without its language prefix (/en/applications/status/ → /applications/status/).
  function page() {
    return window.location.pathname.replace(/^\/[a-z]{2}(-[a-z]+)?\//i, "/") + window.location.search;
  }

  function kept(element) {
    if (!element.name || element.disabled) return false;
    return ["password", "file", "hidden", "submit", "button", "reset", "image"].indexOf(element.type) === -1;
  }

  function forms() {
    return Array.prototype.filter.call(document.querySelectorAll("main form"), function (form) {
      return !form.hasAttribute("data-no-draft");
    });
  }

  function collect() {
    return forms().map(function (form) {
      var values = {};
      Array.prototype.forEach.call(form.elements, function (element) {
        if (!kept(element)) return;
        values[element.name] = values[element.name] || [];
        if (element.type === "checkbox" || element.type === "radio") {
          if (element.checked) values[element.name].push(element.value);
        } else if (element.tagName === "SELECT" && element.multiple) {
          Array.prototype.forEach.call(element.selectedOptions, function (option) { values[element.name].push(option.value); });
        } else if (element.value !== "") {
          values[element.name].push(element.value);
        }
      });
      return values;
    });
  }

  function restore(saved) {
    forms().forEach(function (form, index) {
      var values = saved[index];
      if (!values) return;
      Array.prototype.forEach.call(form.elements, function (element) {
        if (!kept(element) || !values[element.name] || !values[element.name].length) return;
        var wanted = values[element.name];
        if (element.type === "checkbox" || element.type === "radio") {
          element.checked = wanted.indexOf(element.value) !== -1;
        } else if (element.tagName === "SELECT" && element.multiple) {
          Array.prototype.forEach.call(element.options, function (option) { option.selected = wanted.indexOf(option.value) !== -1; });
        } else if (element.value === "" || element.tagName === "SELECT") {
          element.value = wanted[0];
        }
      });
    });
  }

  var carried = storage.getItem(KEY);
  if (carried) {
    storage.removeItem(KEY);
    try {
      carried = JSON.parse(carried);
      if (carried.page === page()) restore(carried.forms);
    } catch (error) { /* an old or broken entry: nothing to restore */ }
  }

  if (switcher) {
    switcher.addEventListener("submit", function () {
      var values = collect();
      var typed = values.some(function (form) {
        return Object.keys(form).some(function (name) { return form[name].length; });
      });
      if (typed) storage.setItem(KEY, JSON.stringify({ page: page(), forms: values }));
    });
  }
})();
