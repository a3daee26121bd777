#!/usr/bin/python3
"""Drive headless Chromium over the DevTools protocol against wsgate --auth-token-key: a page
whose WebSocket carries a token in its cookie, then one with the token in the query string,
must each reach the program as REMOTE_USER with AUTH_TYPE=Bearer and a QUERY_STRING without
the token; a page with neither must see its WebSocket fail (the gateway answers 401). Saves a
screenshot and prints one summary line.

Used by scripts/auth-check.sh, which starts wsgate (scripts/auth/whoami.sh) and Chromium.
Reuses the DevTools client and page-check runner of scripts/novnc/cdp_check.py. Needs Debian's
python3-websockets only (run with /usr/bin/python3).

    auth_check.py --devtools-port=N --url=URL --key=FILE --out=DIR [--deadline=20]
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import sys
import time
from urllib.parse import urlsplit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "novnc"))
from cdp_check import Failed, page_events, run_page_check  # noqa: E402


def token(secret, subject):
    """An HS256 JWT for `subject`, valid five minutes."""
    def part(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    signing_input = part(b'{"alg":"HS256","typ":"JWT"}') + "." + part(
        json.dumps({"sub": subject, "exp": int(time.time()) + 300}).encode())
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + part(signature)


async def visit(cdp, url, args, deadline):
    """Loads `url` and returns the page's WebSocket events once it closed."""
    nav = await cdp.call("Page.navigate", url=url)
    if nav.get("errorText"):
        raise Failed(f"loading {url} failed: {nav['errorText']}")
    return await page_events(cdp, "authCheck", deadline, args.deadline)


def greeting(events, how):
    message = next((e["data"] for e in events if e["ev"] == "message"), None)
    if message is None:
        raise Failed(f"with the token in the {how} the program said nothing (page saw: {events})")
    return message


async def check(cdp, args, deadline):
    secret = open(args.key, "rb").read().rstrip(b"\n")
    origin = urlsplit(args.url)
    await cdp.call("Network.setCookie", name="access_token", value=token(secret, "cookie-user"),
                   url=f"{origin.scheme}://{origin.netloc}/", httpOnly=True, sameSite="Strict")
    by_cookie = greeting(await visit(cdp, args.url, args, deadline), "cookie")
    if by_cookie != "cookie-user Bearer room=7":
        raise Failed(f"with the token in a cookie the program said {by_cookie!r}")

    await cdp.call("Network.clearBrowserCookies")
    by_query = greeting(await visit(cdp, args.url + "?token=" + token(secret, "query-user"), args, deadline), "query")
    if by_query != "query-user Bearer room=7":
        raise Failed(f"with the token in the query the program said {by_query!r}")

    refused = await visit(cdp, args.url, args, deadline)
    if any(e["ev"] in ("open", "message") for e in refused):
        raise Failed(f"without a token the WebSocket opened (page saw: {refused})")
    close = refused[-1]
    return (f"cookie: {by_cookie!r}; query: {by_query!r}; none: WebSocket failed, close {close.get('code')}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--devtools-port", type=int, required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--deadline", type=float, default=20.0, help="seconds for the steps in the pages")
    args = p.parse_args()
    sys.exit(asyncio.run(run_page_check(args, "auth", check)))


if __name__ == "__main__":
    main()
