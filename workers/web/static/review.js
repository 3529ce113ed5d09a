// The review workspace: fields beside the page image, keyboard first; words on the image can be retyped.
"use strict";
(function () {
  const H = window.HOSO;
  const $ = (id) => document.getElementById(id);
  const code = document.querySelector(".review-head").dataset.code;
  const enc = encodeURIComponent(code);
  const wrap = $("sheet-wrap"), panel = $("panel"), strip = $("page-strip"), viewer = document.querySelector(".viewer");
  const pageCache = new Map();
  let currentPage = $("sheet") ? Number($("sheet").dataset.page) : null;
  let editing = null;

  const toast = H.toast;

  function display(kind, value) {
    if (kind === "date") {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
      return m ? m[3] + "/" + m[2] + "/" + m[1] : value || "";
    }
    if (kind === "area") return (value || "").replace(".", ",");
    return value || "";
  }

  // --- pages ---------------------------------------------------------------------------------------------
  // The page asked for last: a step (Alt+PgDn) counts from it even while an earlier page is still loading, and a
  // page that arrives after a later request is not shown over it.
  let wantedPage = currentPage;
  async function showPage(n, force) {
    if (!n || (n === currentPage && n === wantedPage && !force && $("sheet"))) return;
    wantedPage = n;
    let html = force ? null : pageCache.get(n);
    if (!html) {
      html = await H.fragment("/review/" + enc + "/pages/" + n);
      pageCache.set(n, html);
    }
    if (n !== wantedPage) return;
    wrap.innerHTML = html;
    H.applyStyles(wrap);
    currentPage = n;
    for (const b of strip.querySelectorAll(".pg")) {
      b.classList.toggle("current", Number(b.dataset.page) === n);
      b.tabIndex = Number(b.dataset.page) === n ? 0 : -1; // the strip is one stop for Tab; arrows move along it
    }
    history.replaceState(null, "", "?page=" + n);
    setZoom(zoom);
    cursor = null;
  }

  function stepPage(delta) {
    const pages = Array.from(strip.querySelectorAll(".pg")).map((b) => Number(b.dataset.page));
    const i = pages.indexOf(wantedPage);
    const next = pages[Math.min(pages.length - 1, Math.max(0, i + delta))];
    if (next !== undefined) showPage(next);
  }

  strip.addEventListener("click", (e) => {
    const b = e.target.closest(".pg");
    if (b) showPage(Number(b.dataset.page));
  });
  strip.addEventListener("keydown", (e) => {
    if (e.altKey || !e.target.classList.contains("pg")) return;
    const all = Array.from(strip.querySelectorAll(".pg"));
    const i = all.indexOf(e.target);
    const j = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: all.length - 1 }[e.key];
    if (j === undefined || !all[j]) return;
    e.preventDefault();
    all[j].focus();
    showPage(Number(all[j].dataset.page));
  });

  // --- zoom and pan ------------------------------------------------------------------------------------------
  // zoom 1: the page fits the viewer's width; up to 6x. Alt+= / Alt+- / Alt+0, Ctrl+wheel (around the pointer),
  // the bar's buttons; drag the image to pan. A field whose print would show small is zoomed to on focus.
  let zoom = 1;
  const READABLE_PX = 22; // a field's print is brought to about this height on screen

  function sheetScale() {
    const sheet = $("sheet");
    return sheet ? sheet.getBoundingClientRect().width / Number(sheet.dataset.w) : 1;
  }

  // Zoom to `z`, keeping the page point (px, py) (page pixels) where it was on screen, or centring it (`centre`).
  function setZoom(z, px, py, centre) {
    const sheet = $("sheet");
    if (!sheet) return;
    const before = sheet.getBoundingClientRect();
    const vr = viewer.getBoundingClientRect();
    const s0 = before.width / Number(sheet.dataset.w);
    const sx = px === undefined ? null : before.left + px * s0 - vr.left; // the point on screen, in the viewer
    const sy = py === undefined ? null : before.top + py * s0 - vr.top;
    zoom = Math.min(6, Math.max(1, z));
    sheet.classList.toggle("zoomed", zoom > 1);
    sheet.style.width = zoom > 1 ? sheet.parentElement.clientWidth * zoom + "px" : "";
    $("zoom-level").textContent = Math.round(zoom * 100) + "%";
    if (sx === null) return;
    const s1 = sheetScale();
    const left = sheet.offsetLeft + px * s1, top = sheet.offsetTop + py * s1;
    viewer.scrollLeft = centre ? left - viewer.clientWidth / 2 : left - sx;
    viewer.scrollTop = centre ? top - viewer.clientHeight / 2 : top - sy;
  }

  function zoomBy(factor) {
    const s = sheetScale(), vr = viewer.getBoundingClientRect(), r = $("sheet") && $("sheet").getBoundingClientRect();
    if (!r) return;
    setZoom(zoom * factor, (vr.left + vr.width / 2 - r.left) / s, (vr.top + vr.height / 2 - r.top) / s);
  }

  $("zoom-in").addEventListener("click", () => zoomBy(1.25));
  $("zoom-out").addEventListener("click", () => zoomBy(0.8));
  $("zoom-fit").addEventListener("click", () => setZoom(1));
  viewer.addEventListener("wheel", (e) => {
    if (!e.ctrlKey || !$("sheet")) return;
    e.preventDefault();
    const r = $("sheet").getBoundingClientRect(), s = sheetScale();
    setZoom(zoom * (e.deltaY < 0 ? 1.15 : 1 / 1.15), (e.clientX - r.left) / s, (e.clientY - r.top) / s);
  }, { passive: false });

  let drag = null, panned = false;
  viewer.addEventListener("pointerdown", (e) => {
    if (e.button !== 0 || !e.target.closest("#sheet")) return;
    drag = { x: e.clientX, y: e.clientY, left: viewer.scrollLeft, top: viewer.scrollTop };
    panned = false;
  });
  window.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!panned && Math.abs(dx) + Math.abs(dy) < 6) return; // a click, not a drag
    panned = true;
    viewer.classList.add("panning");
    viewer.scrollLeft = drag.left - dx;
    viewer.scrollTop = drag.top - dy;
  });
  window.addEventListener("pointerup", () => {
    drag = null;
    viewer.classList.remove("panning");
  });

  // --- words by keyboard -------------------------------------------------------------------------------------
  // Alt+W (or the bar's button): a cursor on the page's words, from the first doubtful one. Arrows move it
  // (left/right along the reading order, up/down to the nearest word of the line above/below), Enter corrects
  // the word, Shift+Enter the whole line, Esc goes back to the field.
  let cursor = null, backTo = null;

  function pageWords() {
    return Array.from(wrap.querySelectorAll("rect.w")).sort((a, b) => Number(a.dataset.i) - Number(b.dataset.i));
  }

  function setCursor(rect) {
    if (cursor) cursor.classList.remove("cur");
    cursor = rect;
    if (!rect) return;
    rect.classList.add("cur");
    const x = Number(rect.getAttribute("x")), y = Number(rect.getAttribute("y"));
    const h = Number(rect.getAttribute("height"));
    if (h * sheetScale() < READABLE_PX * 0.7) setZoom(Math.min(4, (zoom * READABLE_PX) / (h * sheetScale())), x, y, true);
    const b = rect.getBoundingClientRect(), v = viewer.getBoundingClientRect();
    if (b.left < v.left || b.right > v.right || b.top < v.top || b.bottom > v.bottom) {
      setZoom(zoom, x + Number(rect.getAttribute("width")) / 2, y + h / 2, true);
    }
  }

  function wordMode(from) {
    const words = pageWords();
    if (!words.length) return;
    backTo = from && from.classList && from.classList.contains("fv") ? from : backTo;
    wrap.tabIndex = 0;
    wrap.focus({ preventScroll: true });
    setCursor(cursor && cursor.isConnected ? cursor : words.find((w) => w.classList.contains("low")) || words[0]);
  }
  $("word-mode").addEventListener("click", () => wordMode(document.activeElement));

  function nearestInLine(words, line, x) {
    const inLine = words.filter((w) => Number(w.dataset.line) === line);
    let best = null, dist = Infinity;
    for (const w of inLine) {
      const d = Math.abs(Number(w.getAttribute("x")) - x);
      if (d < dist) [best, dist] = [w, d];
    }
    return best;
  }

  wrap.addEventListener("keydown", (e) => {
    if (e.target !== wrap || !cursor || e.altKey || e.ctrlKey || e.metaKey) return;
    const words = pageWords();
    const i = words.indexOf(cursor);
    const lines = Array.from(new Set(words.map((w) => Number(w.dataset.line)))).sort((a, b) => a - b);
    const li = lines.indexOf(Number(cursor.dataset.line));
    let next = null;
    if (e.key === "ArrowRight") next = words[i + 1];
    else if (e.key === "ArrowLeft") next = words[i - 1];
    else if (e.key === "ArrowDown" && li + 1 < lines.length) next = nearestInLine(words, lines[li + 1], Number(cursor.getAttribute("x")));
    else if (e.key === "ArrowUp" && li > 0) next = nearestInLine(words, lines[li - 1], Number(cursor.getAttribute("x")));
    else if (e.key === "Enter") {
      e.preventDefault();
      openEditor(cursor, e.shiftKey ? "line" : "word");
      return;
    } else if (e.key === "Escape") {
      e.preventDefault();
      setCursor(null);
      if (backTo && backTo.isConnected) backTo.focus();
      return;
    } else return;
    e.preventDefault();
    if (next) setCursor(next);
  });

  async function highlight(input) {
    const page = Number(input.dataset.page);
    if (page && page !== currentPage) await showPage(page);
    const fb = $("fieldbox");
    if (!fb) return;
    if (!input.dataset.box) {
      fb.setAttribute("visibility", "hidden");
      return;
    }
    const [x0, y0, x1, y1] = input.dataset.box.split(",").map(Number);
    const pad = 6;
    fb.setAttribute("x", x0 - pad);
    fb.setAttribute("y", y0 - pad);
    fb.setAttribute("width", x1 - x0 + 2 * pad);
    fb.setAttribute("height", y1 - y0 + 2 * pad);
    fb.setAttribute("visibility", "visible");
    const shown = (y1 - y0) * sheetScale();
    if (shown > 0 && shown < READABLE_PX * 0.7) {
      // small print (a card at fit-to-width): zoom so the value reads, centred on it
      setZoom((zoom * READABLE_PX) / shown, (x0 + x1) / 2, (y0 + y1) / 2, true);
      return;
    }
    if (zoom > 1) {
      setZoom(zoom, (x0 + x1) / 2, (y0 + y1) / 2, true);
      return;
    }
    const sheet = $("sheet");
    const scale = sheet.getBoundingClientRect().height / Number(sheet.dataset.h);
    const top = sheet.offsetTop + y0 * scale;
    if (top < viewer.scrollTop + 40 || top > viewer.scrollTop + viewer.clientHeight - 80) {
      viewer.scrollTo({ top: Math.max(0, top - viewer.clientHeight / 3), behavior: "auto" });
    }
  }

  // --- fields --------------------------------------------------------------------------------------------
  function fieldInputs() {
    return Array.from(panel.querySelectorAll("input.fv"));
  }

  function focusNext(input) {
    const all = fieldInputs();
    const next = all[all.indexOf(input) + 1];
    if (next) next.focus();
    else $("mark-reviewed").focus();
  }

  // A field is saved on Enter and on blur; one save at a time per field; `pending` until it is answered.
  const pending = new Map();
  const head = document.querySelector(".review-head");

  function isDirty(input) {
    return input.value !== input.dataset.orig;
  }

  function markDirty(input) {
    input.closest(".field").classList.toggle("unsaved", isDirty(input));
  }

  function saveField(input) {
    if (pending.has(input)) return pending.get(input).then(() => (isDirty(input) ? saveField(input) : true));
    if (!isDirty(input)) return Promise.resolve(true);
    const p = doSave(input).finally(() => pending.delete(input));
    pending.set(input, p);
    return p;
  }

  async function doSave(input) {
    const body = { target: "field", document: Number(input.dataset.doc), key: input.dataset.key, value: input.value };
    if (head.dataset.version) body.version = Number(head.dataset.version);
    const typed = input.value;
    try {
      const out = await H.api("POST", "/api/dossiers/" + enc + "/corrections", body);
      if (out.version !== undefined) head.dataset.version = out.version;
      const doc = out.documents[Number(input.dataset.doc)];
      const field = doc && doc.fields[input.dataset.key];
      const shown = field ? display(input.dataset.kind, field.value) : "";
      if (input.value === typed) input.value = shown;
      input.dataset.orig = shown;
      input.classList.remove("invalid");
      markDirty(input);
      const row = input.closest(".field");
      row.classList.remove("low", "missing");
      row.classList.add("corrected");
      row.querySelector(".fconf").textContent = "✓";
      refreshHistory();
      toast(H.t("saved"));
      return true;
    } catch (err) {
      input.classList.add("invalid");
      if (err.kind === "StaleEdit") {
        // another reviewer saved first: the field shows what is there now (typing again writes over it knowingly)
        if (err.version !== undefined) head.dataset.version = err.version;
        const now = err.current ? display(input.dataset.kind, err.current.value) : "";
        const by = err.current && err.current.who ? " (" + err.current.who + ")" : "";
        input.value = now;
        input.dataset.orig = now;
        markDirty(input);
        refreshHistory();
        toast(H.t("err_StaleEdit") + by + ": «" + now + "» ≠ «" + typed + "»", true);
      } else {
        toast(H.errorText(err) + (err.kind === "BadCorrection" ? badValueText(input, typed, err) : ""), true);
      }
      return false;
    }
  }

  // What was refused, in the page's words: the field's label and the value typed (the server's English reason only
  // on English pages: it names the record's internal keys).
  function badValueText(input, typed, err) {
    const label = document.querySelector('label[for="' + input.id + '"]');
    const hint = input.dataset.kind === "date" ? " (dd/mm/yyyy)" : "";
    const why = document.documentElement.lang === "en" && err.message ? " — " + err.message : "";
    return " — " + (label ? label.textContent.trim() : input.dataset.key) + ": «" + typed + "»" + hint + why;
  }

  // Every typed field saved (the dirty ones), waited for: false when one was refused.
  async function flushAll() {
    const results = await Promise.all(fieldInputs().filter((i) => isDirty(i) || pending.has(i)).map(saveField));
    return results.every(Boolean);
  }

  function unconfirmedLabels() {
    return Array.from(panel.querySelectorAll(".field.low, .field.missing"))
      .filter((row) => !row.classList.contains("corrected"))
      .map((row) => {
        const doc = row.closest(".doc");
        return (doc ? doc.querySelector(".doc-num").textContent + ". " : "") + row.querySelector("label").textContent;
      });
  }

  async function leave(href) {
    if (!(await flushAll())) {
      if (!window.confirm(H.t("unsaved"))) return;
      fieldInputs().forEach((i) => (i.dataset.orig = i.value)); // the reviewer chose to leave them
    }
    location.href = href;
  }

  window.addEventListener("beforeunload", (e) => {
    if (pending.size || fieldInputs().some(isDirty)) {
      e.preventDefault();
      e.returnValue = "";
    }
  });

  async function refreshHistory() {
    const html = await H.fragment("/review/" + enc + "/documents");
    const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("history");
    if (fresh) $("history").replaceWith(fresh);
  }

  async function refreshPanel() {
    const focused = document.activeElement && document.activeElement.id;
    panel.innerHTML = await H.fragment("/review/" + enc + "/documents");
    if (focused && $(focused)) $(focused).focus();
  }

  panel.addEventListener("focusin", (e) => {
    if (e.target.classList.contains("fv")) highlight(e.target);
  });
  panel.addEventListener("input", (e) => {
    if (e.target.classList.contains("fv")) markDirty(e.target);
  });
  panel.addEventListener("focusout", (e) => {
    if (e.target.classList.contains("fv") && isDirty(e.target)) saveField(e.target);
  });

  panel.addEventListener("keydown", async (e) => {
    const t = e.target;
    if (t.classList.contains("fv")) {
      if (e.key === "Enter") {
        e.preventDefault();
        if (await saveField(t)) focusNext(t);
      } else if (e.key === "Escape") {
        t.value = t.dataset.orig;
        t.classList.remove("invalid");
        markDirty(t);
      }
    } else if (t.classList.contains("type-select") && e.key === "Enter") {
      e.preventDefault();
      applyType(t);
    }
  });

  panel.addEventListener("change", (e) => {
    const t = e.target;
    if (t.classList.contains("type-select")) {
      t.parentElement.querySelector(".apply-type").hidden = t.value === t.dataset.orig;
    }
  });

  async function structural(body) {
    if (!(await flushAll())) return toast(H.t("unsaved"), true);
    if (head.dataset.version) body.version = Number(head.dataset.version);
    try {
      await H.api("POST", "/api/dossiers/" + enc + "/corrections", body);
      location.reload();
    } catch (err) {
      toast(H.errorText(err), true);
    }
  }

  function applyType(select) {
    if (select.value === select.dataset.orig) return;
    structural({ target: "document_type", document: Number(select.dataset.doc), type: select.value });
  }

  panel.addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    const doc = Number(b.dataset.doc);
    if (b.classList.contains("apply-type")) {
      applyType(b.parentElement.querySelector(".type-select"));
    } else if (b.classList.contains("split")) {
      const page = Number(b.closest(".doc").querySelector(".split-page").value);
      structural({ target: "split", page });
    } else if (b.classList.contains("merge")) {
      structural({ target: "merge", document: doc });
    }
  });

  // --- words on the page ---------------------------------------------------------------------------------
  const editor = $("word-editor"), weInput = $("we-input"), weLabel = $("we-label");

  function lineRects(line) {
    return Array.from(wrap.querySelectorAll('rect.w[data-line="' + line + '"]'))
      .sort((a, b) => Number(a.dataset.i) - Number(b.dataset.i));
  }

  function openEditor(rect, mode) {
    closeEditor();
    const line = Number(rect.dataset.line);
    const rects = mode === "line" ? lineRects(line) : [rect];
    editing = { page: currentPage, word: Number(rect.dataset.i), line, mode, rects, rect };
    rects.forEach((r) => r.classList.add("sel"));
    weLabel.textContent = (mode === "line" ? H.t("edit_line") : H.t("edit_word")) + " · " + H.t("page") + " " + currentPage;
    weInput.value = rects.map((r) => r.dataset.text).join(" ");
    const box = rects.reduce((acc, r) => {
      const b = r.getBoundingClientRect();
      return acc ? { left: Math.min(acc.left, b.left), bottom: Math.max(acc.bottom, b.bottom) } : { left: b.left, bottom: b.bottom };
    }, null);
    editor.style.left = Math.max(8, Math.min(box.left, window.innerWidth - 380)) + "px";
    editor.style.top = Math.min(box.bottom + 6, window.innerHeight - 120) + "px";
    $("we-line").hidden = mode === "line";
    editor.hidden = false;
    weInput.focus();
    weInput.select();
  }

  function closeEditor() {
    if (editing) editing.rects.forEach((r) => r.classList.remove("sel"));
    editing = null;
    editor.hidden = true;
    if (cursor && cursor.isConnected) wrap.focus({ preventScroll: true }); // by keyboard: back on the word
  }

  wrap.addEventListener("click", (e) => {
    if (panned) return (panned = false); // the end of a drag, not a click on a word
    const rect = e.target.closest("rect.w");
    if (rect) openEditor(rect, e.shiftKey ? "line" : "word");
  });
  $("we-line").addEventListener("click", () => editing && openEditor(editing.rect, "line"));
  $("we-cancel").addEventListener("click", closeEditor);
  weInput.addEventListener("keydown", (e) => {
    if (e.key === "Escape") closeEditor();
  });
  $("we-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!editing) return;
    await flushAll(); // the panel is drawn again after a word: typed fields saved first
    const body = editing.mode === "line"
      ? { target: "line", page: editing.page, line: editing.line, text: weInput.value }
      : { target: "word", page: editing.page, word: editing.word, text: weInput.value };
    try {
      await H.api("POST", "/api/dossiers/" + enc + "/corrections", body);
      const page = editing.page, word = editing.word, byKeyboard = cursor !== null;
      closeEditor();
      pageCache.delete(page);
      await showPage(page, true);
      await refreshPanel();
      if (byKeyboard) {
        wordMode(null);
        setCursor(wrap.querySelector('rect.w[data-i="' + word + '"]') || cursor);
      }
      toast(H.t("saved"));
    } catch (err) {
      toast(H.errorText(err), true);
    }
  });

  // --- the dossier -----------------------------------------------------------------------------------------
  async function markReviewed(_event, reason) {
    if (!(await flushAll())) return toast(H.t("unsaved"), true);
    const flagged = unconfirmedLabels();
    if (!reason && flagged.length && !window.confirm(H.t("unconfirmed", { fields: flagged.join("\n") }))) return;
    try {
      const q = new URLSearchParams();
      if (head.dataset.version) q.set("version", head.dataset.version);
      if (reason) q.set("reason", reason);
      await H.api("POST", "/api/dossiers/" + enc + "/review" + (q.toString() ? "?" + q : ""));
      const badge = $("status-badge");
      badge.className = "badge st-reviewed";
      badge.textContent = H.t("st_reviewed");
      toast(H.t("saved"));
      setTimeout(() => leave($("next-dossier").href), 400);
    } catch (err) {
      if (err.kind === "DossierIncomplete" && !reason) {
        // a paper the procedure requires is missing: reviewed anyway only with a reason, kept in the log
        const given = window.prompt((err.message || H.t("err_DossierIncomplete")) + "\n\n" + H.t("incomplete_reason"));
        if (given && given.trim()) return markReviewed(null, given.trim());
        return toast(H.t("err_DossierIncomplete"), true);
      }
      toast(H.errorText(err), true);
      if (err.kind === "StaleEdit") setTimeout(() => location.reload(), 2500); // changed by another: look again
    }
  }
  $("mark-reviewed").addEventListener("click", markReviewed);
  $("next-dossier").addEventListener("click", (e) => {
    e.preventDefault();
    leave($("next-dossier").href);
  });

  document.addEventListener("keydown", (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.code === "KeyN") {
      e.preventDefault();
      leave($("next-dossier").href);
    } else if (e.code === "KeyD") {
      e.preventDefault();
      markReviewed();
    } else if (e.code === "KeyW") {
      e.preventDefault();
      wordMode(document.activeElement);
    } else if (e.code === "Equal" || e.code === "NumpadAdd") {
      e.preventDefault();
      zoomBy(1.25);
    } else if (e.code === "Minus" || e.code === "NumpadSubtract") {
      e.preventDefault();
      zoomBy(0.8);
    } else if (e.code === "Digit0" || e.code === "Numpad0") {
      e.preventDefault();
      setZoom(1);
    } else if (e.key === "PageDown") {
      e.preventDefault();
      stepPage(1);
    } else if (e.key === "PageUp") {
      e.preventDefault();
      stepPage(-1);
    }
  });

  // Start on the first field that needs a look, so Tab/Enter can begin at once; with ?page=N (a link to a page),
  // on a field of that page, or on none: focusing a field shows its page, and the page asked for must stay.
  const asked = new URLSearchParams(location.search).get("page");
  const on = asked ? '[data-page="' + CSS.escape(asked) + '"]' : "";
  const first = asked
    ? panel.querySelector(".field.low input.fv" + on + ", .field.missing input.fv" + on) ||
      panel.querySelector("input.fv" + on)
    : panel.querySelector(".doc.needs .field.low input, .doc.needs .field.missing input") || fieldInputs()[0];
  if (first) first.focus({ preventScroll: true });
})();
