/// The developer console's script (inlined into `DevConsolePage`).
///
/// Why it exists apart: the page's behaviour (connect, log, send, close, reconnect) is a
/// program of its own; keeping it out of the markup keeps both readable. It connects on load
/// to the page's own URL with the WebSocket scheme (`ws:` or `wss:` + host + path + query, from
/// `location`), logs every event with its time (text as text, binary as hex), sends text or,
/// with `#hex` ticked, binary typed as hex, and shows the close code, reason and `wasClean`.
/// Everything it displays goes through `textContent`.
enum DevConsoleScript {
    static let source = #"""
        "use strict";
        (() => {
          const $ = (id) => document.getElementById(id);
          const url = $("url"), status = $("status"), log = $("log"), form = $("send-form");
          const message = $("message"), send = $("send"), close = $("close"), hexBox = $("hex");
          const maxEntries = 2000;     // oldest entries go first: a chatty program cannot fill memory
          const maxHexBytes = 4096;    // of a binary message, shown as hex
          const arrows = {sent: "→", received: "←", info: "·", error: "!"};
          let socket = null;
          const history = [];
          let recalled = 0;

          // The gateway serves the console and the WebSocket on the same URL.
          url.value = (location.protocol === "https:" ? "wss://" : "ws://")
            + location.host + location.pathname + location.search;

          const pad = (n, width) => String(n).padStart(width, "0");
          function clock() {
            const d = new Date();
            return `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}.${pad(d.getMilliseconds(), 3)}`;
          }

          function append(kind, text) {
            const entry = document.createElement("div");
            entry.className = "entry";
            entry.dataset.kind = kind;
            const time = document.createElement("time");
            time.textContent = clock();
            const arrow = document.createElement("span");
            arrow.className = "arrow";
            arrow.textContent = arrows[kind];
            const data = document.createElement("span");
            data.className = "data";
            data.textContent = text;
            entry.append(time, arrow, data);
            const following = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
            log.append(entry);
            while (log.childElementCount > maxEntries) log.firstElementChild.remove();
            if (following) log.scrollTop = log.scrollHeight;
          }

          function hex(buffer) {
            const bytes = new Uint8Array(buffer);
            const shown = Array.from(bytes.subarray(0, maxHexBytes), (b) => b.toString(16).padStart(2, "0"));
            const more = bytes.length > maxHexBytes ? " …" : "";
            return `binary, ${bytes.length} byte${bytes.length === 1 ? "" : "s"}: ${shown.join(" ")}${more}`;
          }

          // "48 69 0a" or "48690a" as bytes; null when it is not whole hex bytes.
          function parseHex(text) {
            const digits = text.replace(/\s+/g, "");
            if (!/^([0-9a-fA-F]{2})*$/.test(digits)) return null;
            return Uint8Array.from(digits.match(/../g) ?? [], (pair) => parseInt(pair, 16));
          }

          function show(state, text) {
            status.dataset.state = state;
            status.textContent = text;
            send.disabled = state !== "open";
            close.disabled = state !== "open" && state !== "connecting";
          }

          function connect() {
            const target = url.value.trim();
            if (socket) {
              const previous = socket;
              socket = null;
              previous.close(1000, "reconnecting");
            }
            let ws;
            try {
              ws = new WebSocket(target);
            } catch (error) {
              append("error", `cannot connect to ${target}: ${error.message}`);
              show("closed", "not connected: bad URL");
              return;
            }
            ws.binaryType = "arraybuffer";
            socket = ws;
            show("connecting", `connecting to ${target}`);
            append("info", `connecting to ${target}`);
            ws.onopen = () => {
              if (ws !== socket) return;
              show("open", `connected to ${target}${ws.protocol ? ` (subprotocol ${ws.protocol})` : ""}`);
              append("info", "connected");
              message.focus();
            };
            ws.onmessage = (event) => {
              if (ws !== socket) return;
              append("received", typeof event.data === "string" ? event.data : hex(event.data));
            };
            ws.onerror = () => {
              if (ws === socket) append("error", "WebSocket error (the browser tells no more; the gateway's log may)");
            };
            ws.onclose = (event) => {
              const text = `closed: code ${event.code}, reason ${JSON.stringify(event.reason)}, wasClean ${event.wasClean}`;
              if (ws !== socket) {
                append("info", `previous connection ${text}`);
                return;
              }
              socket = null;
              append("info", text);
              show("closed", text);
            };
          }

          form.addEventListener("submit", (event) => {
            event.preventDefault();
            if (!socket || socket.readyState !== WebSocket.OPEN) return;
            const text = message.value;
            if (hexBox.checked) {
              const bytes = parseHex(text);
              if (bytes === null) {
                append("error", `not hex bytes, nothing sent: ${text}`);
                return;
              }
              socket.send(bytes);
              append("sent", hex(bytes.buffer));
            } else {
              socket.send(text);
              append("sent", text);
            }
            if (text !== "" && history[history.length - 1] !== text) history.push(text);
            recalled = history.length;
            message.value = "";
          });
          message.addEventListener("keydown", (event) => {
            if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
            if (history.length === 0) return;
            event.preventDefault();
            recalled = Math.max(0, Math.min(history.length, recalled + (event.key === "ArrowUp" ? -1 : 1)));
            message.value = history[recalled] ?? "";
          });
          close.addEventListener("click", () => {
            if (!socket) return;
            show("closing", "closing");
            socket.close(1000);
          });
          $("reconnect").addEventListener("click", connect);
          url.addEventListener("keydown", (event) => { if (event.key === "Enter") connect(); });
          $("clear").addEventListener("click", () => log.replaceChildren());
          hexBox.addEventListener("change", () => {
            message.placeholder = hexBox.checked ? "hex bytes, e.g. 48 69 0a (Enter sends)" : "message (Enter sends, ↑ ↓ history)";
          });
          connect();
        })();

        """#
}
