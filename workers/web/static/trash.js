// The trash (admins): a dossier deleted by mistake is taken out again.
"use strict";
(function () {
  const H = window.HOSO;
  const list = document.getElementById("trash-list");
  if (!list) return;
  list.addEventListener("click", async (e) => {
    const b = e.target.closest("button.restore");
    if (!b) return;
    const code = b.closest("tr").dataset.code;
    try {
      await H.api("POST", "/api/trash/" + encodeURIComponent(code) + "/restore");
      location.href = "/dossiers/" + encodeURIComponent(code);
    } catch (err) {
      H.toast(H.errorText(err), true);
    }
  });
})();
