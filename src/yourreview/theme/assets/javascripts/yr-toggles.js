// Your Review: Material opens its drawer and its search with hidden checkboxes, toggled by
// <label>s that screen readers do not announce as buttons. Our header's real buttons
// (theme/partials/header.html) toggle the same checkboxes, so Material's styles and script
// work as before; this keeps each button's aria-expanded true to its checkbox.
(function () {
  "use strict";
  function buttons(id) {
    return document.querySelectorAll('button[data-yr-toggle="' + id + '"]');
  }
  function show(box) {
    buttons(box.id).forEach(function (b) {
      b.setAttribute("aria-expanded", box.checked ? "true" : "false");
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-yr-toggle]");
    var box = button && document.getElementById(button.getAttribute("data-yr-toggle"));
    if (!box) return;
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    if (box.id === "__search" && box.checked) {
      var input = document.querySelector(".md-search__input");
      if (input) input.focus();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input.md-toggle")) show(event.target);
  });
  // Material had autocomplete="off" on its checkboxes so that Firefox does not bring back a
  // half-open drawer on Back; HTML allows it only on text fields, so close them here instead.
  window.addEventListener("pageshow", function () {
    ["__drawer", "__search"].forEach(function (id) {
      var box = document.getElementById(id);
      if (box && box.checked) {
        box.checked = false;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });
})();
