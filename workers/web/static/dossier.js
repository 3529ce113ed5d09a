// A dossier still being processed: wait for a change of status or page, then show the page again.
"use strict";
(async function () {
  const H = window.HOSO;
  const code = document.getElementById("dossier-watch").dataset.code;
  const url = "/api/dossiers/" + encodeURIComponent(code) + "/status";
  let st = await H.api("GET", url);
  const first = st.version;
  while (st.version === first) st = await H.api("GET", url + "?wait=20&since=" + encodeURIComponent(first));
  location.reload();
})();
