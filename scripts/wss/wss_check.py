#!/usr/bin/python3
"""Drive headless Chromium over the DevTools protocol: load the check page over https:// from
wsgate --ssl, see it talk to examples/hello.sh over wss:// (greeting, one message and its echo,
a clean close 1000), see that Chromium judged the connection secure (its own certificate
verification, the test CA trusted through NSS) and wsgate's CONNECT and DISCONNECT lines;
save a screenshot and print one summary line.

Used by scripts/wss-check.sh, which starts wsgate and Chromium. Reuses the DevTools client and
the page-check runner of scripts/novnc/cdp_check.py. Needs Debian's python3-websockets only
(run with /usr/bin/python3).

    wss_check.py --devtools-port=N --url=URL --out=DIR [--deadline=20] [--server-log=FILE]

Exit status: 0 when every step was seen; 1 otherwise, with the step that failed and what the
browser saw; 2 when the DevTools connection itself failed.
"""

import argparse
import asyncio
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "novnc"))
from cdp_check import Failed, page_events, run_page_check  # noqa: E402

MESSAGE = "from Chromium over wss"   # what page.js sends
EXPECTED = [("open", None), ("message", "Hello, client!"), ("sent", MESSAGE),
            ("message", f"Received message: {MESSAGE}")]
TEST_CA = "wsgate test CA"           # Tests/Fixtures/TLS/ca.pem's subject


def document_security(cdp, url):
    """(securityState, securityDetails) of the page's own response, or (None, {})."""
    for method, p in cdp.events:
        r = p.get("response", {})
        if method == "Network.responseReceived" and p.get("type") == "Document" and r.get("url") == url:
            return r.get("securityState"), r.get("securityDetails") or {}
    return None, {}


async def server_logged(path, deadline):
    """Waits for wsgate's CONNECT and DISCONNECT lines (DISCONNECT comes once hello.sh exits)."""
    for line in ("| CONNECT", "| DISCONNECT"):
        while True:
            with open(path, errors="replace") as f:
                if line in f.read():
                    break
            if time.monotonic() >= deadline:
                raise Failed(f"wsgate logged no '{line}' line ({path})")
            await asyncio.sleep(0.1)


async def check(cdp, args, deadline):
    """Every step against one page; returns the summary, with the TLS connection's."""
    nav = await cdp.call("Page.navigate", url=args.url)
    if nav.get("errorText"):
        raise Failed(f"loading {args.url} failed: {nav['errorText']}")
    events = await page_events(cdp, "wssCheck", deadline, args.deadline)
    seen = [(e["ev"], e.get("data")) for e in events if e["ev"] != "close"]
    if seen != EXPECTED:
        raise Failed(f"the page saw {seen}, expected {EXPECTED}")
    close = events[-1]
    if close.get("code") != 1000 or not close.get("wasClean"):
        raise Failed(f"the close was {close}, expected code 1000 and wasClean true")
    state, details = document_security(cdp, args.url)
    if state != "secure":
        raise Failed(f"Chromium judged the page's connection {state!r}, not 'secure' ({details})")
    if details.get("issuer") != TEST_CA:
        raise Failed(f"the certificate's issuer is {details.get('issuer')!r}, not {TEST_CA!r}")
    if args.server_log:
        await server_logged(args.server_log, deadline)
    group = details.get("keyExchangeGroup") or details.get("keyExchange")
    return (f"greeting, echo and close 1000 over wss:// ({details.get('protocol')}, "
            f"{details.get('cipher')}, {group}, certificate for {details.get('subjectName')} "
            f"from {details.get('issuer')})")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--devtools-port", type=int, required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--deadline", type=float, default=20.0, help="seconds for the steps in the page")
    p.add_argument("--server-log", help="wsgate's log, to wait for its CONNECT and DISCONNECT lines")
    args = p.parse_args()
    sys.exit(asyncio.run(run_page_check(args, "wss", check)))


if __name__ == "__main__":
    main()
