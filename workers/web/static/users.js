// Staff accounts (admins): add a user, change a role, disable or enable, set a password, issue or revoke tokens.
"use strict";
(function () {
  const H = window.HOSO;
  const $ = (id) => document.getElementById(id);
  const api = (method, name, tail, body) =>
    H.api(method, "/api/users" + (name ? "/" + encodeURIComponent(name) : "") + (tail || ""), body);

  const toast = H.toast;

  function showToken(out) {
    $("token-text").textContent = out.name + ": " + out.token;
    $("new-token").hidden = false;
  }

  function failed(err) {
    toast(H.errorText(err) + (err.message && document.documentElement.lang === "en" ? " — " + err.message : ""), true);
  }

  $("user-list").addEventListener("change", async (e) => {
    const sel = e.target.closest(".u-role");
    if (!sel) return;
    const name = sel.closest("tr").dataset.name;
    try {
      await api("PATCH", name, "", { role: sel.value });
      sel.dataset.orig = sel.value;
      toast(H.t("saved"));
    } catch (err) {
      sel.value = sel.dataset.orig;
      failed(err);
    }
  });

  $("user-list").addEventListener("keydown", async (e) => {
    const input = e.target.closest(".u-centres");
    if (!input || e.key !== "Enter") return;
    const name = input.closest("tr").dataset.name;
    try {
      await api("PATCH", name, "", { centres: input.value.split(/[\s,]+/).filter(Boolean) });
      input.dataset.orig = input.value;
      toast(H.t("saved"));
    } catch (err) {
      input.value = input.dataset.orig;
      failed(err);
    }
  });

  $("user-list").addEventListener("click", async (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    const name = b.closest("tr").dataset.name;
    try {
      if (b.classList.contains("u-active")) {
        await api("PATCH", name, "", { active: b.dataset.active === "true" });
        location.reload();
      } else if (b.classList.contains("u-password")) {
        const password = window.prompt($("users").dataset.askPassword.replace("{name}", name));
        if (!password) return;
        await api("PUT", name, "/password", { password });
        toast(H.t("saved"));
      } else if (b.classList.contains("u-token")) {
        showToken(await api("POST", name, "/tokens"));
      } else if (b.classList.contains("u-revoke")) {
        if (!window.confirm($("users").dataset.askRevoke.replace("{name}", name))) return;
        await api("DELETE", name, "/tokens");
        location.reload();
      }
    } catch (err) {
      failed(err);
    }
  });

  $("user-add").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const centres = String(f.get("centres") || "").split(/[\s,]+/).filter(Boolean);
    const body = { name: f.get("name"), role: f.get("role"), password: f.get("password") || null, centres };
    try {
      const out = await api("POST", "", "", body);
      showToken(out);
      e.target.reset();
      toast(H.t("saved"));
      setTimeout(() => location.reload(), 8000);
    } catch (err) {
      failed(err);
    }
  });
})();
