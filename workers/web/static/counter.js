// The counter page: pick or drop the scans, send them, show the code, watch the pages processed, show fields.
"use strict";
(function () {
  const H = window.HOSO;
  const $ = (id) => document.getElementById(id);
  const form = $("intake-form"), drop = $("drop"), list = $("file-list"), errorBox = $("intake-error");
  const submit = $("submit");
  let files = [];
  const FINAL = ["processed", "needs_review", "reviewed", "failed"];
  const MB = 1048576, comma = document.documentElement.lang === "vi";
  const mb = (n) => (n / MB).toFixed(1).replace(".", comma ? "," : "."); // 5,1 MB in Vietnamese

  function showFiles() {
    list.innerHTML = "";
    if (!files.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = H.t("no_files");
      list.appendChild(li);
      return;
    }
    files.forEach((f, i) => {
      const li = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = f.name;
      const size = document.createElement("span");
      size.className = "muted small";
      size.textContent = mb(f.size) + " MB";
      const rm = document.createElement("button");
      rm.type = "button";
      rm.className = "link";
      rm.textContent = H.t("remove");
      rm.addEventListener("click", () => { files.splice(i, 1); showFiles(); });
      li.append(name, size, rm);
      list.appendChild(li);
    });
  }

  function addFiles(fileList, sortByName) {
    let added = Array.from(fileList).filter((f) => !f.name.startsWith("."));
    if (sortByName) added.sort((a, b) => (a.webkitRelativePath || a.name).localeCompare(b.webkitRelativePath || b.name));
    files = files.concat(added);
    showFiles();
  }

  $("file-input").addEventListener("change", (e) => { addFiles(e.target.files, false); e.target.value = ""; });
  $("folder-input").addEventListener("change", (e) => { addFiles(e.target.files, true); e.target.value = ""; });
  ["dragenter", "dragover"].forEach((ev) => drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add("over"); }));
  ["dragleave", "drop"].forEach((ev) => drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
  drop.addEventListener("drop", (e) => addFiles(e.dataTransfer.files, false));
  drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("file-input").click(); } });


  function fail(text, link) {
    errorBox.textContent = text;
    if (link) {
      const a = document.createElement("a");
      a.href = link.href;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = link.text;
      errorBox.append(document.createElement("br"), a);
    }
    errorBox.hidden = false;
  }

  // The form is kept whatever happens: a session that ended (sign in again in another tab, send again), a
  // file too large (said before sending, with the limit and the files), the same scan sent twice (asked).
  function sessionEnded() {
    fail(H.t("session_expired_kept"), { href: "/login?next=/", text: H.t("sign_in_again") });
  }

  function tooLarge() {
    const limit = Number(form.dataset.maxBytes);
    const total = files.reduce((n, f) => n + f.size, 0);
    if (!limit || total <= limit) return false;
    const big = files.slice().sort((a, b) => b.size - a.size).slice(0, 3).map((f) => f.name + " " + mb(f.size) + " MB");
    fail(H.t("too_large", { size: mb(total), limit: form.dataset.maxMb, files: big.join(", ") }));
    return true;
  }

  function sendUpload(data) {
    const bar = $("upload-bar"), text = $("upload-text");
    $("upload-progress").hidden = false;
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/dossiers");
      xhr.setRequestHeader("X-CSRF-Token", H.csrf);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = (e) => {
        if (!e.lengthComputable) return;
        bar.value = Math.round((100 * e.loaded) / e.total);
        text.textContent = H.t("upload_pct", { pct: bar.value, sent: mb(e.loaded), total: mb(e.total) });
      };
      xhr.onload = () => {
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch (err) { /* not JSON: a proxy's page */ }
        resolve({ status: xhr.status, body });
      };
      xhr.onerror = () => resolve({ status: 0, body: {} });
      xhr.send(data);
    }).finally(() => { $("upload-progress").hidden = true; });
  }

  async function freshToken() {
    try {
      const r = await fetch("/api/me/csrf", { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (r.status === 401) return false;
      if (r.ok) H.csrf = (await r.json()).csrf || H.csrf;
    } catch (err) { /* the upload itself will say */ }
    return true;
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    errorBox.hidden = true;
    if (!files.length) { fail(H.t("no_files")); return; }
    if (tooLarge()) return;
    submit.disabled = true;
    submit.textContent = H.t("uploading");
    try {
      if (!(await freshToken())) return sessionEnded();
      let allow = false;
      for (;;) {
        const data = new FormData();
        files.forEach((f) => data.append("files", f, f.name));
        for (const name of ["citizen_name", "procedure", "code"]) {
          const v = form.elements[name].value.trim();
          if (v) data.append(name, v);
        }
        if (!allow) data.append("check_duplicates", "true"); // asked first; sent again once the clerk says so
        const { status, body } = await sendUpload(data);
        if (status === 401) return sessionEnded();
        if (status === 409 && body.error === "DuplicateUpload" && !allow) {
          const lines = (body.duplicates || []).map((d) => d.file + " → " + d.dossiers.join(", "));
          if (window.confirm(H.t("duplicate_confirm", { list: lines.join("\n") }))) { allow = true; continue; }
          const codes = (body.duplicates || []).flatMap((d) => d.dossiers);
          return fail(H.t("duplicate_kept", { codes: codes.join(", ") }),
                      codes.length ? { href: "/dossiers/" + encodeURIComponent(codes[0]), text: codes[0] } : null);
        }
        if (status === 413) return tooLarge() || fail(H.errorText({ kind: "UploadTooLarge" }));
        if (status < 200 || status >= 300) {
          return fail(H.errorText({ kind: body.error || (status === 422 ? "RequestError" : "other"), file: body.file }));
        }
        const proc = form.elements.procedure;
        const procName = proc.value ? proc.options[proc.selectedIndex].text : "";
        started(body.code, form.elements.citizen_name.value.trim(), procName, Boolean(proc.value));
        return;
      }
    } finally {
      submit.disabled = false;
      submit.textContent = H.t("submit_upload");
    }
  });

  function started(code, name, procedure, withPapers) {
    $("intake").hidden = true;
    $("result").hidden = false;
    $("code").textContent = code;
    const now = new Date();
    $("print-meta").textContent = [name, procedure, H.vnDate(now, false)].filter(Boolean).join(" · ");
    $("open-dossier").href = "/dossiers/" + encodeURIComponent(code);
    $("slip-qr").src = "/api/dossiers/" + encodeURIComponent(code) + "/qr.svg";
    $("slip-qr").hidden = false;
    sent = files.map((f) => f.name);
    showReceived(null);
    if ($("open-review")) $("open-review").href = "/review/" + encodeURIComponent(code);
    $("summary").innerHTML = "";
    $("completeness").innerHTML = "";
    papers = withPapers ? { code: code, done: -1 } : null;
    addRecent(code, name, H.vnDate(now, true));
    watch(code, "");
  }

  // The files sent, each received or refused (with why), and on the printed slip the papers received.
  let sent = [];
  function showReceived(record) {
    const ul = $("received-files");
    ul.innerHTML = "";
    const refused = new Map();
    for (const p of (record && record.problems) || []) if (p.page == null) refused.set(p.file, p.error);
    for (const name of sent) {
      const li = document.createElement("li");
      const why = refused.get(name);
      li.className = why ? "refused" : "";
      li.textContent = (why ? "✗ " : record ? "✓ " : "· ") + name + (record ? " — " + (why ? H.t("file_refused") + (H.messages["err_" + why] ? ": " + H.messages["err_" + why] : "") : H.t("file_received")) : "");
      ul.appendChild(li);
    }
    const slip = $("slip-papers");
    slip.innerHTML = "";
    const add = (title, items) => {
      if (!items.length) return;
      const h = document.createElement("h3");
      h.textContent = title;
      const ol = document.createElement("ol");
      for (const text of items) { const li = document.createElement("li"); li.textContent = text; ol.appendChild(li); }
      slip.append(h, ol);
    };
    add(H.t("slip_files"), sent.filter((n) => !refused.has(n)));
    const found = ((record && record.completeness && record.completeness.components) || []).filter((c) => c.documents.length);
    add(H.t("slip_papers"), found.map((c) => c.name + (c.pages.length ? " (" + H.t("page") + " " + c.pages.join(", ") + ")" : "")));
  }

  // The papers the procedure requires, found or missing, again each time more pages are read.
  let papers = null;
  async function showPapers(st, final) {
    if (!papers || papers.code !== st.code || (!final && st.pages_done === papers.done)) return;
    papers.done = st.pages_done;
    try {
      $("completeness").innerHTML = await H.fragment("/dossiers/" + encodeURIComponent(st.code) + "/completeness");
    } catch (err) { /* the next status answer tries again */ papers.done = -1; }
  }

  function addRecent(code, name, when) {
    const tr = document.createElement("tr");
    tr.dataset.code = code;
    const cells = [code, name, "", when].map(() => document.createElement("td"));
    const a = document.createElement("a");
    a.href = "/dossiers/" + encodeURIComponent(code);
    a.textContent = code;
    cells[0].appendChild(a);
    cells[1].textContent = name;
    const badge = document.createElement("span");
    badge.className = "badge st-received";
    badge.textContent = H.t("st_received");
    cells[2].appendChild(badge);
    cells[3].textContent = when;
    tr.append(...cells);
    $("recent-rows").prepend(tr);
    $("recent").hidden = false;
    if ($("no-recent")) $("no-recent").remove();
  }

  function showStatus(st) {
    const badges = [$("status-badge")];
    const row = document.querySelector('#recent-rows tr[data-code="' + st.code + '"] .badge');
    if (row) badges.push(row);
    for (const badge of badges) {
      badge.className = "badge st-" + st.status;
      badge.textContent = H.t("st_" + st.status);
    }
    $("progress-text").textContent = st.pages_total ? H.t("pages_progress", { done: st.pages_done, total: st.pages_total }) : "";
    const pct = st.pages_total ? (100 * (st.pages_done + (st.pages_failed || 0))) / st.pages_total : 0;
    $("progress-bar").style.width = (FINAL.includes(st.status) ? 100 : pct) + "%";
    const chips = $("page-chips");
    chips.innerHTML = "";
    for (const p of st.pages || []) {
      const li = document.createElement("li");
      li.className = "chip " + p.state;
      li.title = H.t("page") + " " + p.number + ": " + H.t("pg_" + p.state);
      li.textContent = p.number;
      chips.appendChild(li);
    }
  }

  async function watch(code, version) {
    let st;
    try {
      st = await H.api("GET", "/api/dossiers/" + encodeURIComponent(code) + "/status?wait=20&since=" + encodeURIComponent(version));
    } catch (err) {
      setTimeout(() => watch(code, version), 1500);
      return;
    }
    showStatus(st);
    showPapers(st, FINAL.includes(st.status));
    if (FINAL.includes(st.status)) {
      $("summary").innerHTML = await H.fragment("/dossiers/" + encodeURIComponent(code) + "/summary");
      try { showReceived(await H.api("GET", "/api/dossiers/" + encodeURIComponent(code))); } catch (err) { /* shown without */ }
      $("result").classList.add("done");
      return;
    }
    watch(code, st.version);
  }

  $("copy").addEventListener("click", async () => {
    const code = $("code").textContent;
    try { await navigator.clipboard.writeText(code); } catch (e) {
      const r = document.createRange(); r.selectNodeContents($("code"));
      const s = getSelection(); s.removeAllRanges(); s.addRange(r); document.execCommand("copy");
    }
    $("copy").textContent = H.t("copied");
    setTimeout(() => ($("copy").textContent = H.t("copy")), 1500);
  });
  $("print").addEventListener("click", () => window.print());

  // The recent list's badges follow their dossiers (after a reload or Back too), every few seconds while one is
  // still being processed.
  async function refreshRecent() {
    const open = Array.from(document.querySelectorAll("#recent-rows tr[data-code]")).filter((tr) => {
      const b = tr.querySelector(".badge");
      return b && !FINAL.some((s) => b.classList.contains("st-" + s));
    });
    if (open.length) {
      try {
        const r = await fetch("/api/dossiers?limit=50", { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (r.ok) {
          const now = new Map((await r.json()).map((d) => [d.code, d.status]));
          for (const tr of open) {
            const st = now.get(tr.dataset.code), b = tr.querySelector(".badge");
            if (st) { b.className = "badge st-" + st; b.textContent = H.t("st_" + st); }
          }
        }
      } catch (err) { /* the next round */ }
    }
    clearTimeout(refreshRecent.timer);
    refreshRecent.timer = setTimeout(refreshRecent, 4000);
  }
  refreshRecent();
  window.addEventListener("pageshow", (e) => { if (e.persisted) refreshRecent(); });
  $("new-intake").addEventListener("click", () => {
    form.reset(); files = []; showFiles(); papers = null; $("completeness").innerHTML = "";
    sent = []; showReceived(null); $("slip-qr").hidden = true;
    $("result").hidden = true; $("result").classList.remove("done"); $("intake").hidden = false;
    form.elements.citizen_name.focus();
  });
})();
