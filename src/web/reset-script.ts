// The reset page's script, served by the worker as /-/reset.js (the page's CSP allows scripts from
// 'self' only, never inline). Plain ES2020 for browsers; it derives the password exactly as the
// reference's examples do, hex(SHA-256(SHA-256(utf-8 password))), and calls POST /v2/reset_password.
export const RESET_SCRIPT = `"use strict";
(function () {
  var params = new URLSearchParams(location.hash.replace(/^#/, ""));
  var code = params.get("code") || "";
  var email = params.get("email") || "";
  // The code stays in memory only: take it out of the address bar and the history.
  if (location.hash) history.replaceState(null, "", location.pathname);

  var form = document.getElementById("reset-form");
  var status = document.getElementById("reset-status");
  var emailInput = document.getElementById("reset-email");
  var password = document.getElementById("reset-password");
  var repeat = document.getElementById("reset-repeat");
  var button = document.getElementById("reset-submit");
  emailInput.value = email;

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "muted";
  }

  if (!/^[0-9a-fA-F]{32}$/.test(code)) {
    say("This page needs the link from the mail: open the link again, or ask for a new one.", true);
    button.disabled = true;
    return;
  }

  function hex(buffer) {
    return Array.prototype.map
      .call(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, "0"); })
      .join("");
  }

  async function derive(text) {
    var once = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return hex(await crypto.subtle.digest("SHA-256", once));
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (password.value.length < 8) return say("Choose a password of at least 8 characters.", true);
    if (password.value !== repeat.value) return say("The two passwords differ.", true);
    button.disabled = true;
    say("Saving…", false);
    try {
      var query = { unique_code: code, email: emailInput.value.trim(), password: await derive(password.value) };
      var response = await fetch("/v2/reset_password", { method: "POST", body: JSON.stringify(query) });
      var reply = await response.json();
      if (reply.status === "success") {
        form.hidden = true;
        say("Your password is changed, and every earlier login is signed out. You can log in with the new password now.", false);
        return;
      }
      say((reply.error && reply.error.message) || "The password could not be changed.", true);
    } catch (err) {
      say("The password could not be changed: the service did not answer. Try again.", true);
    }
    button.disabled = false;
  });
})();
`;
