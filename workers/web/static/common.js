// Shared by the pages: calls to the API with the session's CSRF token, error messages in the user's language.
"use strict";
// The page's settings come as JSON (no inline script: the Content-Security-Policy allows none).
window.HOSO = JSON.parse(document.getElementById("hoso-config").textContent);
(function () {
  const H = window.HOSO;

  // Sizes the server computes come as data attributes (no style attributes: the CSP allows none).
  H.applyStyles = function (root) {
    for (const el of (root || document).querySelectorAll("[data-aspect]")) el.style.aspectRatio = el.dataset.aspect;
    for (const el of (root || document).querySelectorAll("[data-width]")) el.style.width = el.dataset.width + "%";
  };
  H.applyStyles(document);

  // A short message in the page's #toast: 1.5 s, or 5 s for a problem.
  H.toast = function (message, bad) {
    const el = document.getElementById("toast");
    el.textContent = message;
    el.className = "toast" + (bad ? " bad" : "");
    el.hidden = false;
    clearTimeout(H.toast.timer);
    H.toast.timer = setTimeout(() => (el.hidden = true), bad ? 5000 : 1500);
  };

  H.t = function (key, values) {
    let text = H.messages[key] || key;
    for (const [k, v] of Object.entries(values || {})) text = text.replace("{" + k + "}", v);
    return text;
  };

  H.errorText = function (err) {
    if (err && err.kind && H.messages["err_" + err.kind]) {
      return H.messages["err_" + err.kind] + (err.file ? ": " + err.file : "");
    }
    return (err && err.message) || H.messages.err_other;
  };

  // fetch() with the CSRF header; JSON in and out; throws {kind, message, file, status} on an error answer.
  H.api = async function (method, url, body) {
    const headers = { "X-CSRF-Token": H.csrf, Accept: "application/json" };
    let payload = body;
    if (body !== undefined && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(url, { method, headers, body: payload, credentials: "same-origin" });
    } catch (e) {
      throw { kind: "network", message: H.messages.err_other };
    }
    if (resp.status === 401) {
      window.location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
    }
    const type = resp.headers.get("content-type") || "";
    const data = type.includes("application/json") ? await resp.json() : await resp.text();
    if (!resp.ok) {
      const err = typeof data === "object" && data ? data : {};
      throw { kind: err.error || (resp.status === 422 ? "RequestError" : "other"),
              message: err.message || (err.detail && JSON.stringify(err.detail)) || String(resp.status),
              file: err.file, status: resp.status, version: err.version, current: err.current };
    }
    return data;
  };

  // Dates as Vietnamese write them, in Vietnam's time (whatever the browser's zone): dd/mm/yyyy HH:MM.
  H.vnDate = function (date, withTime) {
    const parts = {};
    const fmt = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric",
      hour: "2-digit", minute: "2-digit", hour12: false,
    });
    for (const p of fmt.formatToParts(date)) parts[p.type] = p.value;
    const day = parts.day + "/" + parts.month + "/" + parts.year;
    return withTime ? day + " " + parts.hour + ":" + parts.minute : day;
  };

  H.fragment = async function (url) {
    const resp = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!resp.ok) throw { kind: "other", status: resp.status };
    return await resp.text();
  };
})();
