// The release page's deliveries, live: while any delivery is still scheduled or
// sending, ask the server every 2 s for their status and put it in the table.
// Without JavaScript the page is the same, only a reload shows the news.
"use strict";

(() => {
  const table = document.querySelector("table[data-live]");
  if (!table) return;
  const announce = document.getElementById("live-status");
  const EVERY_MS = 2000;
  const MOVING = new Set(["scheduled", "retrying", "sending"]);
  const shown = () => Array.from(table.querySelectorAll(".delivery-status .badge"));
  if (!shown().some((badge) => MOVING.has(badge.classList[1]))) return;

  const update = (row, item) => {
    const badge = row.querySelector(".delivery-status .badge");
    if (badge && badge.classList[1] !== item.status) {
      badge.className = `badge ${item.status}`;
      badge.textContent = item.status_label;
      // The row's buttons were for the old status; a reload shows the right ones.
      row.querySelectorAll("td form").forEach((form) => { form.hidden = true; });
      if (announce) {
        const channel = row.querySelector("td").textContent.trim();
        announce.textContent = `${channel}: ${item.status_label}`;
      }
    }
    const attempts = row.querySelector(".delivery-attempts");
    if (attempts) attempts.textContent = String(item.attempts);
    const error = row.querySelector(".delivery-error");
    // error_html is escaped by the server (the same markup as the page's).
    if (error && error.innerHTML !== item.error_html) error.innerHTML = item.error_html;
    const link = row.querySelector(".live-link");
    if (link && item.remote_link && !link.querySelector("a")) {
      const anchor = document.createElement("a");
      anchor.className = "remote-link";
      anchor.href = item.remote_link;
      anchor.rel = "noopener noreferrer";
      anchor.target = "_blank";
      anchor.textContent = item.remote_link_label;
      link.append(anchor, " ");
    }
  };

  const poll = async () => {
    let body;
    try {
      const response = await fetch(table.dataset.live, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return; // signed out or gone: stop, the page still works
      body = await response.json();
    } catch (error) {
      window.setTimeout(poll, EVERY_MS * 5); // the server restarts: ask later
      return;
    }
    body.deliveries.forEach((item) => {
      const row = table.querySelector(`tr[data-delivery="${item.id}"]`);
      if (row) update(row, item);
    });
    table.dataset.moving = String(body.moving);
    if (body.moving) window.setTimeout(poll, EVERY_MS);
  };
  window.setTimeout(poll, EVERY_MS);
})();
