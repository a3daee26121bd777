#!/usr/bin/python3
"""Drive headless Chromium over the DevTools protocol: load the check page from
wsgate --compress --echo, see its WebSocket negotiate permessage-deflate (ws.extensions, and the
response header as DevTools saw it), round-trip five messages (5 B, ~1.5 KiB of JSON, ~100 KiB
of repetitive text, 64 KiB binary, the JSON again) exactly and close 1000; save a screenshot
and print one summary line.

Used by scripts/compress-check.sh, which starts wsgate and Chromium. Reuses the DevTools client
of scripts/novnc/cdp_check.py. Needs Debian's python3-websockets only (run with /usr/bin/python3).

    compress_check.py --devtools-port=N --url=URL --out=DIR [--deadline=20]

Exit status: 0 when every step was seen; 1 otherwise, with the step that failed and what the
browser saw; 2 when the DevTools connection itself failed.
"""

import argparse
import asyncio
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "novnc"))
from cdp_check import (CDP, browser_view, connect_devtools, fresh_outputs,  # noqa: E402
                       print_browser_view, save_screenshot)

ECHOES = 5  # page.js's MESSAGES


class Failed(Exception):
    """A step of the check did not happen."""


def handshake_headers(cdp):
    """(offer, answer): Sec-WebSocket-Extensions of the request and the response DevTools saw."""
    def extensions(headers):
        return {k.lower(): v for k, v in headers.items()}.get("sec-websocket-extensions")
    offer = answer = None
    for method, p in cdp.events:
        if method == "Network.webSocketWillSendHandshakeRequest":
            offer = extensions(p["request"]["headers"])
        elif method == "Network.webSocketHandshakeResponseReceived":
            answer = extensions(p["response"]["headers"])
    return offer, answer


async def page_events(cdp, deadline, seconds):
    """window.compressCheck.events once the page saw the close; Failed at the deadline."""
    events = []
    while True:
        try:
            events = json.loads(await cdp.evaluate("JSON.stringify(window.compressCheck?.events ?? [])"))
        except (RuntimeError, asyncio.TimeoutError, TypeError):
            pass  # navigation in progress or a busy renderer
        if any(e["ev"] == "close" for e in events):
            return events
        if time.monotonic() >= deadline:
            raise Failed(f"the WebSocket did not close within {seconds:.0f} s (page saw: {events})")
        await asyncio.sleep(0.1)


async def check(cdp, args, deadline):
    """Every step against one page; returns what was negotiated and echoed."""
    nav = await cdp.call("Page.navigate", url=args.url)
    if nav.get("errorText"):
        raise Failed(f"loading {args.url} failed: {nav['errorText']}")
    events = await page_events(cdp, deadline, args.deadline)
    opened = next((e for e in events if e["ev"] == "open"), None)
    if opened is None:
        raise Failed(f"the WebSocket never opened (page saw: {events})")
    extensions = opened.get("extensions", "")
    if not extensions.startswith("permessage-deflate"):
        raise Failed(f"ws.extensions is {extensions!r}, not permessage-deflate")
    offer, answer = handshake_headers(cdp)
    if answer != extensions:
        raise Failed(f"DevTools saw Sec-WebSocket-Extensions {answer!r}, the page {extensions!r}")
    echoes = [e for e in events if e["ev"] == "echo"]
    if len(echoes) != ECHOES or not all(e["same"] for e in echoes):
        raise Failed(f"expected {ECHOES} exact echoes, the page saw {echoes}")
    close = events[-1]
    if close.get("code") != 1000 or not close.get("wasClean"):
        raise Failed(f"the close was {close}, expected code 1000 and wasClean true")
    sizes = ", ".join(str(e["bytes"]) for e in echoes)
    return f"offer {offer!r}, answer {answer!r}; {ECHOES} exact echoes ({sizes} bytes), close 1000"


async def run(args):
    start = time.monotonic()
    shot, report_path = fresh_outputs(args.out, "compress.png", "compress.json")
    ws = await connect_devtools(args.devtools_port, start + 15, "compress-check")
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
            print(f"compress-check: {reason}, {elapsed:.1f} s: OK (screenshot: {shot})")
            return 0
        print(f"compress-check: FAIL after {elapsed:.1f} s: {reason} (screenshot: {shot})")
        print_browser_view("compress-check", args.url, seen)
        return 1
    finally:
        cdp.reader.cancel()
        await ws.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--devtools-port", type=int, required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--deadline", type=float, default=20.0, help="seconds for the steps in the page")
    args = p.parse_args()
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
