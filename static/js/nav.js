// The main navigation on a phone: the 菜单 link (to the menu page, for browsers without script) becomes a
// button that opens the groups in place. While open, Tab stays inside the menu and Escape closes it,
// returning focus to the button. On a wide screen the groups are a row and the button is hidden by CSS.
(function () {
  var nav = document.querySelector("[data-site-nav]");
  if (!nav) return;
  var link = nav.querySelector("[data-menu-toggle]");
  var panel = nav.querySelector("[data-menu-panel]");
  if (!link || !panel) return;

  var button = document.createElement("button");
  button.type = "button";
  button.className = link.className;
  button.textContent = link.textContent;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", panel.id);
  link.replaceWith(button);
  nav.classList.add("has-menu-button");

  function isOpen() {
    return button.getAttribute("aria-expanded") === "true";
  }

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }

  function focusable() {
    return [button].concat(Array.prototype.slice.call(panel.querySelectorAll("a[href], button")));
  }

  button.addEventListener("click", function () {
    setOpen(!isOpen());
  });

  document.addEventListener("keydown", function (event) {
    if (!isOpen()) return;
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
      button.focus();
      return;
    }
    if (event.key !== "Tab") return;
    var items = focusable();
    var index = items.indexOf(document.activeElement);
    var next;
    if (event.shiftKey) next = index <= 0 ? items[items.length - 1] : items[index - 1];
    else next = index === -1 || index === items.length - 1 ? items[0] : items[index + 1];
    event.preventDefault();
    next.focus();
  });

  // Growing past the phone layout closes the menu, so a trap never holds a row that is always shown.
  var wide = window.matchMedia("(min-width: 48rem)");
  wide.addEventListener("change", function () {
    if (wide.matches) setOpen(false);
  });
})();
