// An admin deletes a dossier from its page (a dead one, a duplicate): the code typed again to confirm.
"use strict";
(function () {
  const H = window.HOSO;
  const button = document.getElementById("delete-dossier");
  if (!button) return;
  button.addEventListener("click", async () => {
    const code = button.dataset.code;
    const typed = window.prompt(H.t("delete_confirm", { code }));
    if (typed === null || typed.trim() !== code) return;
    try {
      await H.api("DELETE", "/api/dossiers/" + encodeURIComponent(code));
      location.href = "/";
    } catch (err) {
      window.alert(H.errorText(err));
    }
  });
})();
