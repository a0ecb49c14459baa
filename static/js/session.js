// Session end, seen from the page: a warning two minutes before, "Stay signed in", and a draft of
// the form in progress saved just before the end and restored after the person signs in again.
// Requests made here carry X-Portal-Background: 1, so that they do not count as activity.
(function () {
  "use strict";
  var timer = document.getElementById("session-timer");
  if (!timer) return;
  var WARN_SECONDS = 120;
  var SAVE_SECONDS = 30;
  var skew = Date.now() / 1000 - Number(timer.dataset.now);
  var expiresAt = Number(timer.dataset.expiresAt) + skew;
  var saved = false;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The form worth keeping: a POST form with something typed in it, and no password.
  function draftForm() {
    var forms = document.querySelectorAll("main form[method=post], main form[method=POST]");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      if (form.querySelector("input[type=password]") || form.hasAttribute("data-no-draft")) continue;
      if (form.querySelectorAll("input[type=text], input:not([type]), input[type=date], input[type=number], input[type=email], textarea, select").length >= 2) {
        return form;
      }
    }
    return null;
  }

  function fields(form) {
    var data = new FormData();
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.type === "file" || element.type === "hidden" || element.disabled) return;
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) return;
      if (element.tagName === "SELECT" && element.multiple) {
        Array.prototype.forEach.call(element.selectedOptions, function (option) { data.append(element.name, option.value); });
        return;
      }
      if (element.type === "submit" || element.type === "button") return;
      data.append(element.name, element.value);
    });
    return data;
  }

  function post(url, data) {
    data.append("csrfmiddlewaretoken", csrfToken());
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Portal-Background": "1", "X-CSRFToken": csrfToken() }
    });
  }

  function saveDraft() {
    var form = draftForm();
    if (saved || !form) return;
    saved = true;
    var data = fields(form);
    data.append("_draft_path", window.location.pathname);
    post(timer.dataset.draftUrl, data).catch(function () { saved = false; });
  }

  function restoreDraft() {
    var form = draftForm();
    if (!form) return;
    var url = timer.dataset.restoreUrl + "?path=" + encodeURIComponent(window.location.pathname);
    fetch(url, { credentials: "same-origin", headers: { "X-Portal-Background": "1" } })
      .then(function (response) { return response.ok ? response.json() : { fields: null }; })
      .then(function (answer) {
        if (!answer.fields) return;
        Object.keys(answer.fields).forEach(function (name) {
          var values = answer.fields[name];
          var elements = form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']");
          Array.prototype.forEach.call(elements, function (element) {
            if (element.type === "hidden" || element.type === "file") return;
            if (element.type === "checkbox" || element.type === "radio") {
              element.checked = values.indexOf(element.value) !== -1;
            } else if (element.tagName === "SELECT" && element.multiple) {
              Array.prototype.forEach.call(element.options, function (option) { option.selected = values.indexOf(option.value) !== -1; });
            } else {
              element.value = values[0];
            }
          });
        });
        document.getElementById("draft-restored").classList.remove("d-none");
      });
  }

  function keepAlive() {
    fetch(timer.dataset.keepaliveUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.expires_at) {
          expiresAt = Number(answer.expires_at) + skew;
          saved = false;
          timer.classList.add("d-none");
        }
      });
  }

  function tick() {
    var left = expiresAt - Date.now() / 1000;
    if (left <= WARN_SECONDS) timer.classList.remove("d-none");
    if (left <= SAVE_SECONDS) saveDraft();
    if (left <= -2) {
      // The server has ended the session: loading the page again leads to the sign-in page,
      // which brings the person back here afterwards.
      window.location.assign(window.location.href);
      return;
    }
    window.setTimeout(tick, 1000);
  }

  timer.querySelector("[data-session-keepalive]").addEventListener("click", keepAlive);
  // Any real interaction with the page extends the session on the next request; typing alone
  // does not reach the server, so the warning offers "Stay signed in".
  restoreDraft();
  tick();
})();
