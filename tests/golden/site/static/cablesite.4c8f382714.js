// cablesite: small helpers for every page. Scroll a targeted paragraph into view (WikiLeaks' #parN too),
// and let the ¶ link copy the paragraph's full address.
(function () {
  "use strict";
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var el = document.getElementById(id);
    if (el && el.classList.contains("alias")) el = el.parentElement;
    if (el) el.scrollIntoView({ block: "start" });
  }
  document.addEventListener("DOMContentLoaded", function () {
    reveal();
    document.querySelectorAll("a.pilcrow").forEach(function (a) {
      a.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(a.href).catch(function () {});
        }
      });
    });
  });
  window.addEventListener("hashchange", reveal);
})();
