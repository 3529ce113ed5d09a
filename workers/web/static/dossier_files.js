// A paper brought later, or a readable scan for a refused file: sent into the dossier, which is read again.
"use strict";
(function () {
  const H = window.HOSO;
  const box = document.getElementById("add-files");
  if (!box) return;
  const code = box.dataset.code, status = document.getElementById("add-status");

  async function send(fileList, replace) {
    if (!fileList.length) return;
    const data = new FormData();
    Array.from(fileList).forEach((f) => data.append("files", f, f.name));
    if (replace) data.append("replace", replace);
    status.textContent = H.t("uploading");
    try {
      await H.api("POST", "/api/dossiers/" + encodeURIComponent(code) + "/files", data);
      location.reload(); // the page follows the dossier being read again
    } catch (err) {
      status.textContent = H.errorText(err);
    }
  }

  document.getElementById("add-input").addEventListener("change", (e) => send(e.target.files, null));
  for (const input of box.querySelectorAll(".replace-input")) {
    input.addEventListener("change", (e) => send(e.target.files, input.dataset.replace));
  }
})();
