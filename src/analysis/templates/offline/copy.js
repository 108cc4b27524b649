/* Kielce Smart City Benchmarks: "Copy the bottom line for an e-mail" in the "In brief" box.
   Shipped inside every page (nothing is fetched). The text is the page's own: the first screen's five sentences, its
   data line and scale, the source sentence the button carries, the page's title and the line under it (who prepared
   the page and when); it is put on the clipboard as plain text, never into the page. Without the script the button
   stays hidden. */
(function () {
  "use strict";

  function plain(node) {
    /* The text as read: spaces and line breaks of the markup collapsed, the typography's word joiners dropped
       (no-break spaces are kept: "w Gdyni" stays together in the e-mail too). */
    return node.textContent.replace(/\u2060/g, "").replace(/[ \t\r\n]+/g, " ").trim();
  }

  function withoutPointers(node) {
    /* Without the pointers into the page ("(zob. szczegóły)"): an e-mail has no details to open (three officials
       cut them before sending). */
    var copy = node.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".in-brief-see-below, .in-brief-pointer"), function (pointer) { pointer.remove(); });
    return plain(copy);
  }

  function briefText(box, button) {
    /* The note first, then where it comes from (two officials pasted the copy and then deleted the title and the line
       about the authors that opened it before they could send it as a note): the first screen as the page shows it: the
       data's years, then the five sentences, one a line and numbered (officials copied longer sentences and spent
       minutes cutting them down to the five they sent the mayor); then the scale of the confidence words (two officials: the
       copy used "wynik stabilny" without what it means), the source, the page's title with who prepared it and when,
       and the page's address where it has one. */
    var parts = [];
    /* The data line first, as on the page (an official of the eighteenth session: the copy put it after the five). */
    var data = box.querySelector(".in-brief-fact-data");
    if (data) parts.push(withoutPointers(data));
    Array.prototype.forEach.call(box.querySelectorAll(".in-brief-facts > li"), function (sentence, i) {
      parts.push((i + 1) + ". " + withoutPointers(sentence));  /* numbered as on the page */
    });
    parts.push("");
    var scale = box.querySelector(".in-brief-scale-short");
    if (scale) parts.push(withoutPointers(scale));
    parts.push(button.getAttribute("data-source") || "");
    var about = [];
    var title = document.querySelector("h1");
    if (title) {
      var copy = title.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll(".anchor-link"), function (a) { a.remove(); });
      about.push(plain(copy).replace(/[.]?$/, "."));
    }
    var byline = document.querySelector(".byline");
    if (byline) about.push(plain(byline));
    if (about.length) parts.push(about.join(" "));
    /* The page's address, where it has one a reader can open (not a file on this computer). */
    if (/^https?:$/.test(window.location.protocol)) {
      parts.push((button.getAttribute("data-page") || "") + " " + window.location.href.split("#")[0]);
    }
    return parts.join("\n").trim() + "\n";
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    area.remove();
    return done;
  }

  Array.prototype.forEach.call(document.querySelectorAll(".in-brief"), function (box) {
    var holder = box.querySelector(".copy-brief");
    var button = box.querySelector(".copy-brief-button");
    var status = box.querySelector(".copy-brief-status");
    if (!holder || !button || !status) return;
    holder.hidden = false;
    button.addEventListener("click", function () {
      var text = briefText(box, button);
      function report(ok) { status.textContent = button.getAttribute(ok ? "data-copied" : "data-failed"); }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { report(true); }, function () { report(fallbackCopy(text)); });
      } else {
        report(fallbackCopy(text));
      }
    });
  });
})();
