#!/usr/bin/python3
"""Drive headless Chromium over the DevTools protocol: load noVNC, wait until it is connected
and its canvas is drawn, then save a screenshot and print one summary line.

Used by scripts/novnc-check.sh, which starts Xvfb, x11vnc, the gateway, an HTTP server for
noVNC's files and Chromium. Needs Debian's python3-websockets only (run with /usr/bin/python3).

    cdp_check.py --devtools-port=N --url=URL --gateway=NAME --out=DIR
                 [--deadline=30] [--expect-colour=336699] [--expect-scheme=ws]

Exit status: 0 when noVNC said "Connected", its canvas is non-uniform (at least 2 distinct
colours, luma standard deviation > 0) and shows the desktop's background colour, over a
WebSocket URL of the expected scheme (ws or wss); 1 otherwise,
with the reason and what the browser saw (WebSocket events, handshake status, console
messages); 2 when the DevTools connection itself failed.
"""

import argparse
import asyncio
import base64
import json
import os
import sys
import time
import urllib.request

import websockets

# Installed before any page script runs: records what noVNC's WebSocket did, as JS saw it.
WS_HOOK = r"""
(() => {
  if (window.__novncCheck) return;
  const rec = window.__novncCheck = {events: [], rxBytes: 0, rxMessages: 0, txBytes: 0};
  const t0 = performance.now();
  const log = (e) => {
    e.ms = Math.round(performance.now() - t0);
    if (rec.events.length < 40) rec.events.push(e);
  };
  const size = (d) => (d == null ? 0 : (d.byteLength ?? d.size ?? d.length ?? 0));
  // Not a subclass: noVNC checks the channel's own prototype for WebSocket's properties, so
  // the constructor hands back a native WebSocket with listeners attached.
  const Native = window.WebSocket;
  function RecordingWebSocket(url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    log({ev: 'create', url: String(url), protocols: protocols ?? null});
    ws.addEventListener('open', () =>
      log({ev: 'open', protocol: ws.protocol, extensions: ws.extensions}));
    ws.addEventListener('message', (m) => { rec.rxMessages++; rec.rxBytes += size(m.data); });
    ws.addEventListener('error', () => log({ev: 'error'}));
    ws.addEventListener('close', (c) =>
      log({ev: 'close', code: c.code, reason: c.reason, wasClean: c.wasClean,
           rxBytes: rec.rxBytes, txBytes: rec.txBytes}));
    const send = ws.send;
    ws.send = function (d) { rec.txBytes += size(d); return send.call(ws, d); };
    return ws;
  }
  RecordingWebSocket.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) RecordingWebSocket[k] = Native[k];
  window.WebSocket = RecordingWebSocket;
})();
"""

# Evaluated in the page every poll: noVNC's status text, the WebSocket record and canvas stats.
PROBE = r"""
(() => {
  const rec = window.__novncCheck || null;
  const st = document.getElementById('status');
  const out = {
    readyState: document.readyState,
    status: st ? st.textContent : null,
    ws: rec ? rec.events : null,
    rxBytes: rec ? rec.rxBytes : 0, rxMessages: rec ? rec.rxMessages : 0,
    txBytes: rec ? rec.txBytes : 0,
  };
  const c = document.querySelector('#screen canvas') || document.querySelector('canvas');
  if (c) {
    out.width = c.width; out.height = c.height;
    if (c.width > 0 && c.height > 0) {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const seen = new Set();
      const n = d.length / 4;
      let sum = 0, sum2 = 0, expected = 0, opaque = 0;
      for (let i = 0; i < d.length; i += 4) {
        const v = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
        if (seen.size < 65536) seen.add(v * 256 + d[i + 3]);
        const l = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
        sum += l; sum2 += l * l;
        if (v === EXPECTED && d[i + 3] === 255) expected++;
        if (d[i + 3] === 255) opaque++;
      }
      const mean = sum / n;
      out.distinct = seen.size;
      out.lumaMean = Math.round(mean * 100) / 100;
      out.lumaStd = Math.round(Math.sqrt(Math.max(0, sum2 / n - mean * mean)) * 100) / 100;
      out.expectedFraction = Math.round(expected / n * 10000) / 10000;
      out.opaqueFraction = Math.round(opaque / n * 10000) / 10000;
    }
  }
  return JSON.stringify(out);
})()
"""


class CDP:
    """A minimal DevTools protocol client on one target's WebSocket."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.pending = {}
        self.events = []          # (method, params), kept for the diagnostics
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self):
        try:
            async for raw in self.ws:
                msg = json.loads(raw)
                if "id" in msg:
                    fut = self.pending.pop(msg["id"], None)
                    if fut and not fut.done():
                        fut.set_result(msg)
                elif "method" in msg:
                    self.events.append((msg["method"], msg.get("params", {})))
        except websockets.ConnectionClosed:
            pass
        finally:
            for fut in self.pending.values():
                if not fut.done():
                    fut.set_exception(ConnectionError("DevTools connection closed"))

    async def call(self, method, timeout=10.0, **params):
        self.next_id += 1
        fut = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = fut
        await self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        msg = await asyncio.wait_for(fut, timeout)
        if "error" in msg:
            raise RuntimeError(f"{method}: {msg['error']}")
        return msg.get("result", {})

    async def evaluate(self, expression, timeout=10.0):
        res = await self.call("Runtime.evaluate", timeout=timeout, expression=expression,
                              returnByValue=True)
        if "exceptionDetails" in res:
            raise RuntimeError(res["exceptionDetails"].get("text", "exception")
                               + ": " + json.dumps(res["exceptionDetails"].get("exception", {}))[:300])
        return res.get("result", {}).get("value")


def page_websocket_url(port, deadline):
    """The DevTools WebSocket URL of Chromium's first page target."""
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                targets = json.load(r)
            for t in targets:
                if t.get("type") == "page" and t.get("webSocketDebuggerUrl"):
                    return t["webSocketDebuggerUrl"]
            last = "no page target"
        except OSError as e:
            last = str(e)
        time.sleep(0.2)
    raise RuntimeError(f"no DevTools page target on port {port}: {last}")


def fresh_outputs(out, *names):
    """The paths of `names` in the folder `out`, none of them left from an earlier run."""
    os.makedirs(out, exist_ok=True)
    paths = [os.path.join(out, name) for name in names]
    for path in paths:
        if os.path.exists(path):
            os.remove(path)
    return paths


async def connect_devtools(port, deadline, label):
    """The DevTools WebSocket of Chromium's page, or None after printing why (exit status 2)."""
    try:
        ws_url = await asyncio.get_running_loop().run_in_executor(None, page_websocket_url, port, deadline)
        return await websockets.connect(ws_url, max_size=None, ping_interval=None, open_timeout=10)
    except Exception as e:  # noqa: BLE001 - any failure here is "no DevTools"
        print(f"{label}: FAIL: cannot reach Chromium's DevTools: {e}")
        return None


async def save_screenshot(cdp, path):
    """The page as a PNG at `path`; returns `path`, or why there is none."""
    try:
        data = await cdp.call("Page.captureScreenshot", format="png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(data["data"]))
        return path
    except Exception as e:  # noqa: BLE001 - a report without a picture is still a report
        return f"none ({e})"


def print_browser_view(label, url, seen):
    """What the browser saw, after a failure."""
    print(f"{label}: what the browser saw ({url}):")
    for line in seen or ["(nothing recorded)"]:
        print(f"  {line}")


def browser_view(cdp, probe):
    """What the browser saw, as short lines: console/log messages and WebSocket traffic."""
    lines = []
    for method, p in cdp.events:
        if method == "Log.entryAdded":
            e = p.get("entry", {})
            if str(e.get("url", "")).endswith("/favicon.ico"):
                continue  # python's http.server has none; noise
            if "willReadFrequently" in str(e.get("text", "")):
                continue  # the probe's own getImageData calls
            lines.append(f"console[{e.get('source')}/{e.get('level')}]: {e.get('text')}")
        elif method == "Runtime.consoleAPICalled":
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            lines.append(f"console.{p.get('type')}: {args}")
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            lines.append(f"page exception: {d.get('text')} "
                         f"{d.get('exception', {}).get('description', '')}".strip())
        elif method == "Network.webSocketWillSendHandshakeRequest":
            h = p.get("request", {}).get("headers", {})
            proto = h.get("Sec-WebSocket-Protocol")
            lines.append("ws handshake request"
                         + (f" (Sec-WebSocket-Protocol: {proto})" if proto else "")
                         + (f" Origin: {h.get('Origin')}" if h.get("Origin") else ""))
        elif method == "Network.webSocketHandshakeResponseReceived":
            r = p.get("response", {})
            h = {k.lower(): v for k, v in r.get("headers", {}).items()}
            extra = [f"{k}: {h[k]}" for k in ("sec-websocket-protocol", "sec-websocket-extensions")
                     if k in h]
            lines.append(f"ws handshake response: {r.get('status')} {r.get('statusText', '')}".rstrip()
                         + (f" ({'; '.join(extra)})" if extra else ""))
        elif method == "Network.webSocketFrameError":
            lines.append(f"ws frame error: {p.get('errorMessage')}")
        elif method == "Network.webSocketClosed":
            lines.append("ws closed (network)")
        elif method == "Network.loadingFailed":
            lines.append(f"load failed: {p.get('type')} {p.get('errorText')}"
                         + (f" {p.get('blockedReason')}" if p.get("blockedReason") else ""))
    for e in (probe or {}).get("ws") or []:
        fields = " ".join(f"{k}={json.dumps(v)}" for k, v in e.items() if k not in ("ev", "ms"))
        lines.append(f"js ws {e.get('ev')} at {e.get('ms')} ms {fields}".rstrip())
    return lines


class Failed(Exception):
    """A step of a page check did not happen."""


async def page_events(cdp, record, deadline, seconds):
    """`window.<record>.events` once the page saw its WebSocket close; Failed at the deadline."""
    events = []
    while True:
        try:
            events = json.loads(await cdp.evaluate(f"JSON.stringify(window.{record}?.events ?? [])"))
        except (RuntimeError, asyncio.TimeoutError, TypeError):
            pass  # navigation in progress or a busy renderer
        if any(e["ev"] == "close" for e in events):
            return events
        if time.monotonic() >= deadline:
            raise Failed(f"the WebSocket did not close within {seconds:.0f} s (page saw: {events})")
        await asyncio.sleep(0.1)


async def run_page_check(args, name, check):
    """One page check (scripts/wss, scripts/compress): awaits `check(cdp, args, deadline)` for
    its summary (Failed: the reason), saves NAME.png and NAME.json in args.out and prints one
    line; returns the exit status (2: no DevTools)."""
    label = f"{name}-check"
    start = time.monotonic()
    shot, report_path = fresh_outputs(args.out, f"{name}.png", f"{name}.json")
    ws = await connect_devtools(args.devtools_port, start + 15, label)
    if ws is None:
        return 2

    cdp = CDP(ws)
    ok, reason = False, "not run"
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            await cdp.call(f"{domain}.enable")
        try:
            reason = await check(cdp, args, start + args.deadline)
            ok = True
        except Failed as e:
            reason = str(e)
        elapsed = time.monotonic() - start
        shot = await save_screenshot(cdp, shot)
        seen = browser_view(cdp, None)
        with open(report_path, "w") as f:
            json.dump({"url": args.url, "ok": ok, "reason": reason, "seconds": round(elapsed, 2),
                       "browser": seen}, f, indent=2)
        if ok:
            print(f"{label}: {reason}, {elapsed:.1f} s: OK (screenshot: {shot})")
            return 0
        print(f"{label}: FAIL after {elapsed:.1f} s: {reason} (screenshot: {shot})")
        print_browser_view(label, args.url, seen)
        return 1
    finally:
        cdp.reader.cancel()
        await ws.close()


def verdict(probe, scheme):
    """(ok, reason) for one probe result; noVNC's WebSocket URL must be scheme://."""
    if probe is None:
        return False, "the page did not answer"
    status = probe.get("status")
    if status is None:
        return False, f"noVNC's page did not load (document {probe.get('readyState')}, no #status)"
    events = probe.get("ws") or []
    kinds = [e.get("ev") for e in events]
    if "create" not in kinds:
        return False, f"noVNC opened no WebSocket (status: {status!r})"
    url = next(e.get("url") for e in events if e.get("ev") == "create")
    if not url.startswith(scheme + "://"):
        return False, f"noVNC opened {url}, not a {scheme}:// URL"
    if "open" not in kinds:
        close = next((e for e in events if e.get("ev") == "close"), None)
        if close:
            return False, (f"the WebSocket never opened: "
                           f"{'onerror, ' if 'error' in kinds else ''}close {close.get('code')}"
                           f"{' ' + repr(close.get('reason')) if close.get('reason') else ''}"
                           f" wasClean={close.get('wasClean')} (status: {status!r})")
        return False, f"the WebSocket is still connecting (status: {status!r})"
    close = next((e for e in events if e.get("ev") == "close"), None)
    if not status.startswith("Connected"):
        if close:
            return False, (f"the WebSocket opened, then closed {close.get('code')}"
                           f"{' ' + repr(close.get('reason')) if close.get('reason') else ''}"
                           f" wasClean={close.get('wasClean')} after {close.get('rxBytes')} bytes "
                           f"received, {close.get('txBytes')} sent; noVNC status: {status!r}")
        return False, (f"the WebSocket is open ({probe.get('rxBytes')} bytes received, "
                       f"{probe.get('txBytes')} sent) but noVNC is not connected "
                       f"(status: {status!r})")
    if close:
        return False, (f"noVNC connected, then the WebSocket closed {close.get('code')} "
                       f"wasClean={close.get('wasClean')} (status: {status!r})")
    w, h = probe.get("width"), probe.get("height")
    if not w or not h:
        return False, f"noVNC connected but its canvas is {w}x{h}"
    distinct = probe.get("distinct", 0)
    if distinct < 2 or not probe.get("lumaStd"):
        return False, (f"noVNC connected, canvas {w}x{h} is uniform "
                       f"({distinct} distinct colour{'s' if distinct != 1 else ''})")
    if not probe.get("expectedFraction"):
        return False, (f"noVNC connected, canvas {w}x{h} has {distinct} distinct colours but "
                       f"not the desktop's background colour")
    return True, f"connected, canvas {w}x{h}, {distinct} distinct colours"


async def run(args):
    start = time.monotonic()
    deadline = start + args.deadline
    shot, canvas_png, report_path = fresh_outputs(
        args.out, f"novnc-{args.gateway}.png", f"novnc-{args.gateway}-canvas.png", f"novnc-{args.gateway}.json")
    ws = await connect_devtools(args.devtools_port, start + 15, f"novnc-check: {args.gateway}")
    if ws is None:
        return 2

    cdp = CDP(ws)
    probe, ok, reason, polls = None, False, "not polled", 0
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            await cdp.call(f"{domain}.enable")
        await cdp.call("Page.addScriptToEvaluateOnNewDocument", source=WS_HOOK)
        nav = await cdp.call("Page.navigate", url=args.url)
        if nav.get("errorText"):
            reason = f"loading {args.url} failed: {nav['errorText']}"
        else:
            probe_js = PROBE.replace("EXPECTED", str(int(args.expect_colour, 16)))
            while True:
                polls += 1
                try:
                    probe = json.loads(await cdp.evaluate(probe_js))
                except (RuntimeError, asyncio.TimeoutError, TypeError) as e:
                    # Navigation in progress (context destroyed) or a busy renderer.
                    reason = f"page evaluation failed: {e}"
                else:
                    ok, reason = verdict(probe, args.expect_scheme)
                # vnc_lite.html does not reconnect: once its WebSocket closed, nothing changes.
                closed = any(e.get("ev") == "close" for e in (probe or {}).get("ws") or [])
                if ok or closed or time.monotonic() >= deadline:
                    break
                await asyncio.sleep(0.25)

        elapsed = time.monotonic() - start
        shot = await save_screenshot(cdp, shot)
        try:
            url = await cdp.evaluate("(() => { const c = document.querySelector('#screen canvas');"
                                     " return c && c.width ? c.toDataURL('image/png') : null; })()")
            if url:
                with open(canvas_png, "wb") as f:
                    f.write(base64.b64decode(url.split(",", 1)[1]))
        except Exception:  # noqa: BLE001 - the page screenshot is the one that matters
            pass

        seen = browser_view(cdp, probe)
        with open(report_path, "w") as f:
            json.dump({"gateway": args.gateway, "url": args.url, "ok": ok, "reason": reason,
                       "seconds": round(elapsed, 2), "polls": polls, "probe": probe,
                       "browser": seen}, f, indent=2)
        if ok:
            print(f"novnc-check: {args.gateway}: {reason} (luma sd {probe.get('lumaStd')}, "
                  f"{round(probe.get('expectedFraction', 0) * 100, 1)}% background, "
                  f"{probe.get('rxBytes')} bytes received, {elapsed:.1f} s): OK "
                  f"(screenshot: {shot})")
            return 0
        print(f"novnc-check: {args.gateway}: FAIL after {elapsed:.1f} s: {reason} "
              f"(screenshot: {shot})")
        print_browser_view("novnc-check", args.url, seen)
        return 1
    finally:
        cdp.reader.cancel()
        await ws.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--devtools-port", type=int, required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--gateway", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--deadline", type=float, default=30.0, help="seconds to wait for the desktop")
    p.add_argument("--expect-colour", default="336699",
                   help="hex RGB of the desktop background that must appear in the canvas")
    p.add_argument("--expect-scheme", default="ws", choices=("ws", "wss"),
                   help="the scheme of the WebSocket URL noVNC must open")
    args = p.parse_args()
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
