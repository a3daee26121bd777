#!/usr/bin/python3
"""Drive headless Chromium over the DevTools protocol: load the check page from
wsgate --compress --echo, see its WebSocket negotiate permessage-deflate (ws.extensions, and the
response header as DevTools saw it), round-trip five messages (5 B, ~1.5 KiB of JSON, ~100 KiB
of repetitive text, 64 KiB binary, the JSON again) exactly and close 1000; save a screenshot
and print one summary line.

Used by scripts/compress-check.sh, which starts wsgate and Chromium. Reuses the DevTools client and
the page-check runner of scripts/novnc/cdp_check.py. Needs Debian's python3-websockets only
(run with /usr/bin/python3).

    compress_check.py --devtools-port=N --url=URL --out=DIR [--deadline=20]

Exit status: 0 when every step was seen; 1 otherwise, with the step that failed and what the
browser saw; 2 when the DevTools connection itself failed.
"""

import argparse
import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "novnc"))
from cdp_check import Failed, page_events, run_page_check  # noqa: E402

ECHOES = 5  # page.js's MESSAGES


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


async def check(cdp, args, deadline):
    """Every step against one page; returns what was negotiated and echoed."""
    nav = await cdp.call("Page.navigate", url=args.url)
    if nav.get("errorText"):
        raise Failed(f"loading {args.url} failed: {nav['errorText']}")
    events = await page_events(cdp, "compressCheck", deadline, args.deadline)
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


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--devtools-port", type=int, required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--deadline", type=float, default=20.0, help="seconds for the steps in the page")
    args = p.parse_args()
    sys.exit(asyncio.run(run_page_check(args, "compress", check)))


if __name__ == "__main__":
    main()
