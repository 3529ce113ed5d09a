// The review queue follows what happens: dossiers arriving, taken by another reviewer, reviewed (every 10 s,
// while the page is in view).
"use strict";
(function () {
  const H = window.HOSO;
  let timer = null;
  async function refresh() {
    clearTimeout(timer);
    if (document.visibilityState === "visible") {
      try {
        const html = await H.fragment(location.pathname);
        const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("queue-card");
        const card = document.getElementById("queue-card");
        if (fresh && card) {
          card.innerHTML = fresh.innerHTML;
          H.applyStyles(card);
        }
      } catch (err) { /* the next round */ }
    }
    timer = setTimeout(refresh, 10000);
  }
  timer = setTimeout(refresh, 10000);
  window.addEventListener("pageshow", (e) => { if (e.persisted) refresh(); });
})();
