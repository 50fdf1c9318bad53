/* Wagtail's rich-text editor (Draftail) draws its text box without a name, so a screen reader announces
   only "edit text". Name each box after its field's label, including boxes added later in a StreamField. */
(function () {
  "use strict";
  function labelFor(box) {
    var field = box.closest("[data-field-input]") || box.closest(".w-field__input");
    var input = field && field.querySelector("input[data-draftail-input]");
    if (!input || !input.id) return null;
    return document.getElementById(input.id + "-label") || document.querySelector('label[for="' + input.id + '"]');
  }
  function name(root) {
    root.querySelectorAll('.public-DraftEditor-content[role="textbox"]:not([aria-labelledby]):not([aria-label])')
      .forEach(function (box) {
        var label = labelFor(box);
        if (!label) return;
        if (!label.id) label.id = "label-" + Math.random().toString(36).slice(2);
        box.setAttribute("aria-labelledby", label.id);
      });
  }
  function start() {
    name(document);
    new MutationObserver(function () { name(document); }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
