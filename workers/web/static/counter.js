// The counter page: pick or drop the scans, send them, show the code, watch the pages processed, show fields.
"use strict";
(function () {
  const H = window.HOSO;
  const $ = (id) => document.getElementById(id);
  const form = $("intake-form"), drop = $("drop"), list = $("file-list"), errorBox = $("intake-error");
  const submit = $("submit");
  let files = [];
  const FINAL = ["processed", "needs_review", "reviewed", "failed"];

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
      size.textContent = (f.size / 1048576).toFixed(1) + " MB";
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

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    errorBox.hidden = true;
    if (!files.length) { errorBox.textContent = H.t("no_files"); errorBox.hidden = false; return; }
    const data = new FormData();
    files.forEach((f) => data.append("files", f, f.name));
    for (const name of ["citizen_name", "procedure", "code"]) {
      const v = form.elements[name].value.trim();
      if (v) data.append(name, v);
    }
    submit.disabled = true;
    submit.textContent = H.t("uploading");
    try {
      const out = await H.api("POST", "/api/dossiers", data);
      const proc = form.elements.procedure;
      const procName = proc.value ? proc.options[proc.selectedIndex].text : "";
      started(out.code, form.elements.citizen_name.value.trim(), procName, Boolean(proc.value));
    } catch (err) {
      errorBox.textContent = H.errorText(err);
      errorBox.hidden = false;
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
    if ($("open-review")) $("open-review").href = "/review/" + encodeURIComponent(code);
    $("summary").innerHTML = "";
    $("completeness").innerHTML = "";
    papers = withPapers ? { code: code, done: -1 } : null;
    addRecent(code, name, H.vnDate(now, true));
    watch(code, "");
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
  $("new-intake").addEventListener("click", () => {
    form.reset(); files = []; showFiles(); papers = null; $("completeness").innerHTML = "";
    $("result").hidden = true; $("result").classList.remove("done"); $("intake").hidden = false;
    form.elements.citizen_name.focus();
  });
})();
