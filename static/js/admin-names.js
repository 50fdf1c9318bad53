/* Names for what Wagtail's admin draws without one, so a screen reader can announce it:
   - the rich-text editor's (Draftail) text box, after its field's label, including boxes added later
     in a StreamField (otherwise it is read as a bare "edit text");
   - a modal dialog (choosers, workflow actions), after the heading its content loads. */
(function () {
  "use strict";
  function idOf(element) {
    if (!element.id) element.id = "admin-name-" + Math.random().toString(36).slice(2);
    return element.id;
  }
  function fieldLabel(box) {
    var field = box.closest("[data-field-input]") || box.closest(".w-field__input");
    var input = field && field.querySelector("input[data-draftail-input]");
    if (!input || !input.id) return null;
    return document.getElementById(input.id + "-label") || document.querySelector('label[for="' + input.id + '"]');
  }
  function name() {
    document.querySelectorAll('.public-DraftEditor-content[role="textbox"]:not([aria-labelledby]):not([aria-label])')
      .forEach(function (box) {
        var label = fieldLabel(box);
        if (label) box.setAttribute("aria-labelledby", idOf(label));
      });
    document.querySelectorAll('.modal[role="dialog"]:not([aria-labelledby]):not([aria-label])').forEach(function (dialog) {
      var heading = dialog.querySelector("h1, h2");
      if (heading) dialog.setAttribute("aria-labelledby", idOf(heading));
    });
  }
  function start() {
    name();
    new MutationObserver(name).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
