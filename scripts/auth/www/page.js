// Opens a WebSocket to the page's own host: with ?token=T the token goes in the WebSocket URL's
// access_token parameter (next to room=7); without, the browser sends its cookies. The
// program's first message (REMOTE_USER AUTH_TYPE QUERY_STRING) is recorded, then the page
// closes 1000; window.authCheck holds it all for scripts/auth/auth_check.py.
"use strict";
const token = new URLSearchParams(location.search).get("token");
const url = token ? `ws://${location.host}/?access_token=${token}&room=7` : `ws://${location.host}/?room=7`;
const rec = (window.authCheck = { url, events: [] });
const log = (event) => {
  rec.events.push(event);
  document.getElementById("log").textContent += JSON.stringify(event) + "\n";
};
const ws = new WebSocket(url);
ws.onopen = () => log({ ev: "open" });
ws.onerror = () => log({ ev: "error" });
ws.onmessage = (m) => {
  log({ ev: "message", data: m.data });
  ws.close(1000, "done");
};
ws.onclose = (c) => log({ ev: "close", code: c.code, wasClean: c.wasClean });
