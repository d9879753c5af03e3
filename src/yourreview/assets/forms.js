/* Your Review: carry the token from a letter's link (?t=...) into the form on this page, and
   give each opening of the form its own id.
   The public site is static and holds no token, so the page cannot write one into the form;
   this copies it from the address the child scanned. Without JavaScript the form still works:
   the answer arrives without a token and simply cannot be joined to the review. */
(function () {
  "use strict";
  /* Each opening of a form gets its own random id, sent with the answers: pressing Send twice
     then counts once, while two people answering alike on one review count twice. */
  function sentId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  /* Adds a hidden field to every form on the page, once. */
  function addHidden(name, value) {
    document.querySelectorAll("form.yr-form-body").forEach(function (form) {
      if (form.querySelector('input[name="' + name + '"]')) {
        return;
      }
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    });
  }
  function carryToken() {
    addHidden("sent_id", sentId());
    var token = new URLSearchParams(window.location.search).get("t");
    if (!token || !/^[a-z2-7]{16}$/.test(token)) {
      return;
    }
    addHidden("token", token);
    /* With a letter's code the answer is joined to the review: no need to ask who they are,
       and nothing typed there is sent. */
    document.querySelectorAll("[data-yr-no-code]").forEach(function (part) {
      part.hidden = true;
      part.querySelectorAll("input, textarea").forEach(function (input) {
        input.disabled = true;
      });
    });
    document.querySelectorAll("a[data-yr-token-href]").forEach(function (link) {
      link.href = link.getAttribute("data-yr-token-href").split("{token}").join(token);
    });
  }
  /* Material's instant navigation swaps pages without reloading: run on each page it shows. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(carryToken);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", carryToken);
  } else {
    carryToken();
  }
})();
