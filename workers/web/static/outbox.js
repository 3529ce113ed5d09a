// The outbox page (admins): "Gửi lại" puts a failed status change back in the queue for the portal.
"use strict";
(function () {
  const H = window.HOSO;
  const message = document.getElementById("outbox-message");

  async function resend(url) {
    try {
      await H.api("POST", url);
      window.location.reload();
    } catch (err) {
      message.textContent = H.errorText(err);
    }
  }

  for (const button of document.querySelectorAll("[data-resend]")) {
    button.addEventListener("click", () => resend("/api/outbox/" + encodeURIComponent(button.dataset.resend) + "/resend"));
  }
  for (const button of document.querySelectorAll("[data-resend-all]")) {
    button.addEventListener("click", () => resend("/api/outbox/resend"));
  }
})();
