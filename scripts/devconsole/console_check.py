#!/usr/bin/python3
"""Drive wsgate's developer console in headless Chromium over the DevTools protocol: load the
page, wait until it is connected, send a message with Enter, one with a click on Send and a
binary one typed as hex, see the program's replies in the page's log (text as text, binary as
hex), click Close and see the close code (and, with
--server-log, wsgate's log lines for the page and the session); save a screenshot and print
one summary line.

Used by scripts/devconsole-check.sh, which starts wsgate --devconsole examples/greeter.sh and
Chromium. Reuses the DevTools client of scripts/novnc/cdp_check.py. Needs Debian's
python3-websockets only (run with /usr/bin/python3).

    console_check.py --devtools-port=N --url=URL --out=DIR [--deadline=20]
                     [--expect-reply='Hello, %s!'] [--server-log=FILE]

Exit status: 0 when every step was seen in the page; 1 otherwise, with the step that failed
and what the browser saw; 2 when the DevTools connection itself failed.
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

# Evaluated in the page every poll: what the console shows.
PROBE = r"""
(() => {
  const $ = (id) => document.getElementById(id);
  const entries = Array.from(document.querySelectorAll("#log .entry"), (e) => ({
    kind: e.dataset.kind, text: e.querySelector(".data")?.textContent ?? null,
  }));
  return JSON.stringify({
    readyState: document.readyState,
    state: $("status")?.dataset.state ?? null,
    status: $("status")?.textContent ?? null,
    url: $("url")?.value ?? null,
    sendDisabled: $("send")?.disabled ?? null,
    entries: entries.slice(-40),
    // Markup in a message must stay text: no element may appear inside an entry's data.
    elementsInData: document.querySelectorAll("#log .data *").length,
  });
})()
"""

# The messages typed, and how each is sent: Enter, a click on Send, or as hex bytes (0xFF
# makes the greeter's line invalid UTF-8, which wsgate sends as a binary message).
MESSAGES = [("<i>Chromium</i> & co", "enter"), ("second message", "click"), ("ff", "hex")]


def hex_entry(data):
    """How the page logs a binary message."""
    return (f"binary, {len(data)} byte{'' if len(data) == 1 else 's'}: "
            + " ".join(f"{b:02x}" for b in data))


def expected(fmt, text, how):
    """(what the page logs as sent, what it must log as received)."""
    before, _, after = fmt.partition("%s")
    if how == "hex":
        data = bytes.fromhex(text)
        return hex_entry(data), hex_entry(before.encode() + data + after.encode())
    return text, before + text + after


class Failed(Exception):
    """A step of the check did not happen."""


class Check:
    """The steps, in order, against one page."""

    def __init__(self, cdp, args):
        self.cdp, self.args = cdp, args
        self.deadline = time.monotonic() + args.deadline
        self.probe = None
        self.steps = []

    async def poll(self, what, condition):
        """Probes the page until condition(probe) is true; Failed at the deadline."""
        while True:
            try:
                self.probe = json.loads(await self.cdp.evaluate(PROBE))
            except (RuntimeError, asyncio.TimeoutError, TypeError):
                self.probe = None  # navigation in progress or a busy renderer
            if self.probe and condition(self.probe):
                self.steps.append(what)
                return self.probe
            if time.monotonic() >= self.deadline:
                raise Failed(f"{what}: not seen within {self.args.deadline:.0f} s "
                             f"(status: {(self.probe or {}).get('status')!r})")
            await asyncio.sleep(0.1)

    async def click(self, element_id):
        """A real mouse click in the middle of the element."""
        box = await self.cdp.evaluate(
            f"JSON.stringify(document.getElementById({json.dumps(element_id)}).getBoundingClientRect())")
        rect = json.loads(box)
        x, y = rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            await self.cdp.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                                clickCount=0 if kind == "mouseMoved" else 1)

    async def press_enter(self):
        for kind in ("keyDown", "keyUp"):
            params = dict(type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13,
                          nativeVirtualKeyCode=13)
            if kind == "keyDown":
                params["text"] = "\r"
            await self.cdp.call("Input.dispatchKeyEvent", **params)

    async def run(self, expected_url):
        await self.poll("connected", lambda p: p["state"] == "open")
        if self.probe["url"] != expected_url:
            raise Failed(f"the URL box says {self.probe['url']!r}, expected {expected_url!r}")
        for text, how in MESSAGES:
            if how == "hex":
                await self.click("hex")
            await self.cdp.evaluate("document.getElementById('message').focus()")
            await self.cdp.call("Input.insertText", text=text)
            await (self.click("send") if how == "click" else self.press_enter())
            sent, reply = expected(self.args.expect_reply, text, how)
            await self.poll(f"reply {reply!r} (sent with {how})", lambda p: any(
                e["kind"] == "received" and e["text"] == reply for e in p["entries"]))
            if not any(e["kind"] == "sent" and e["text"] == sent for e in self.probe["entries"]):
                raise Failed(f"{sent!r} is not logged as sent")
        if self.probe["elementsInData"]:
            raise Failed("markup in a message became elements in the log")
        await self.click("close")
        probe = await self.poll("closed", lambda p: p["state"] == "closed")
        if not probe["status"].startswith("closed: code 1000, ") or "wasClean true" not in probe["status"]:
            raise Failed(f"the close shows {probe['status']!r}, expected code 1000 and wasClean true")
        return probe["status"]

    async def server_logged(self, path):
        """Waits for wsgate's lines: the page, the session's start and its end (logged once
        the program is gone, a moment after the page saw the close)."""
        for line in ("| DEVCONSOLE", "| CONNECT", "| DISCONNECT"):
            while True:
                with open(path, errors="replace") as f:
                    if line in f.read():
                        break
                if time.monotonic() >= self.deadline:
                    raise Failed(f"wsgate logged no '{line}' line ({path})")
                await asyncio.sleep(0.1)
            self.steps.append(f"logged '{line}'")


async def run(args):
    start = time.monotonic()
    shot, report_path = fresh_outputs(args.out, "devconsole.png", "devconsole.json")
    ws = await connect_devtools(args.devtools_port, start + 15, "devconsole-check")
    if ws is None:
        return 2

    cdp = CDP(ws)
    check = Check(cdp, args)
    ok, reason = False, "not run"
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            await cdp.call(f"{domain}.enable")
        nav = await cdp.call("Page.navigate", url=args.url)
        try:
            if nav.get("errorText"):
                raise Failed(f"loading {args.url} failed: {nav['errorText']}")
            expected_url = "ws://" + args.url.split("://", 1)[1]
            closed = await check.run(expected_url)
            if args.server_log:
                await check.server_logged(args.server_log)
            # The page must run under its own Content-Security-Policy without a complaint.
            complaints = [line for line in browser_view(cdp, None)
                          if "Content Security Policy" in line or line.startswith("page exception")]
            if complaints:
                raise Failed(f"the browser complained: {complaints[0]}")
            ok = True
            reason = (f"connected, {len(MESSAGES)} replies in the log (Enter, Send, hex), "
                      f"Close showed '{closed}'")
        except Failed as e:
            reason = str(e)
        elapsed = time.monotonic() - start
        shot = await save_screenshot(cdp, shot)
        seen = browser_view(cdp, None)
        with open(report_path, "w") as f:
            json.dump({"url": args.url, "ok": ok, "reason": reason, "seconds": round(elapsed, 2),
                       "steps": check.steps, "probe": check.probe, "browser": seen}, f, indent=2)
        if ok:
            print(f"devconsole-check: {reason} ({elapsed:.1f} s): OK (screenshot: {shot})")
            return 0
        print(f"devconsole-check: FAIL after {elapsed:.1f} s: {reason} (steps done: "
              f"{', '.join(check.steps) or 'none'}; screenshot: {shot})")
        print(f"devconsole-check: the page's log: "
              f"{json.dumps([(e['kind'], e['text']) for e in (check.probe or {}).get('entries', [])])}")
        print_browser_view("devconsole-check", args.url, seen)
        return 1
    finally:
        cdp.reader.cancel()
        await ws.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--devtools-port", type=int, required=True)
    p.add_argument("--url", required=True, help="the console's http:// URL")
    p.add_argument("--out", required=True)
    p.add_argument("--deadline", type=float, default=20.0, help="seconds for all the steps")
    p.add_argument("--expect-reply", default="Hello, %s!",
                   help="the program's reply to a message, %%s standing for the message")
    p.add_argument("--server-log", help="wsgate's log, to wait for its lines about the session")
    args = p.parse_args()
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
