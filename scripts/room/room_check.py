#!/usr/bin/python3
"""Drive examples/room.html in three tabs of one headless Chromium over the DevTools protocol:
pages one and two in one room, page three in another. Page one says something (typed, Enter)
and page two must show it; page two answers and page one must show that; page three speaks in
its room and must see only its own line. Saves a screenshot of each page and prints one
summary line.

Used by scripts/room-check.sh, which starts wsgate --broadcast --staticdir=examples cat and
Chromium. Reuses the DevTools client of scripts/novnc/cdp_check.py. Needs Debian's
python3-websockets only (run with /usr/bin/python3).

    room_check.py --devtools-port=N --page=URL --out=DIR [--room=NAME] [--second-room=NAME]
                  [--other-room=NAME] [--deadline=20]

Why page three's silence proves something: it speaks only after pages one and two both saw
both lines. Were all three in one room (say the page ignored ?room=), one cat would carry every
line in order, so page three would see pages one's and two's lines before its own.

Exit status: 0 when every step was seen; 1 otherwise, with the step that failed and what each
page showed; 2 when the DevTools connection itself failed.
"""

import argparse
import asyncio
import json
import os
import sys
import time
import urllib.request

import websockets

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "novnc"))
from cdp_check import CDP, browser_view, fresh_outputs, print_browser_view, save_screenshot  # noqa: E402

# Evaluated in a page every poll: its state line and what its log shows.
PROBE = r"""
(() => JSON.stringify({
  state: document.getElementById("state")?.dataset.state ?? null,
  status: document.getElementById("state")?.textContent ?? null,
  room: document.getElementById("room")?.textContent ?? null,
  lines: Array.from(document.querySelectorAll("#log li"), (li) => li.textContent),
  // Markup in a message must stay text: no element may appear inside a line.
  elementsInLog: document.querySelectorAll("#log li *").length,
}))()
"""


class Failed(Exception):
    """A step of the check did not happen."""


def new_target(port):
    """A new tab (about:blank); returns its DevTools WebSocket URL."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["webSocketDebuggerUrl"]


class Page:
    """One tab on the room page, with its nick."""

    def __init__(self, name, nick, cdp):
        self.name, self.nick, self.cdp = name, nick, cdp
        self.url, self.probe = None, None

    async def read(self):
        try:
            self.probe = json.loads(await self.cdp.evaluate(PROBE))
        except (RuntimeError, asyncio.TimeoutError, TypeError):
            self.probe = None  # navigation in progress or a busy renderer
        return self.probe

    async def say(self, text):
        """Types the nick and the text as a user would, then presses Enter."""
        await self.cdp.call("Page.bringToFront")
        for field, value in (("nick", self.nick), ("message", text)):
            await self.cdp.evaluate(f"(e => {{ e.focus(); e.select(); }})(document.getElementById('{field}'))")
            await self.cdp.call("Input.insertText", text=value)
        for kind in ("keyDown", "keyUp"):
            params = dict(type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13)
            if kind == "keyDown":
                params["text"] = "\r"
            await self.cdp.call("Input.dispatchKeyEvent", **params)
        return f"{self.nick}: {text}"


class Check:
    """The steps, in order, against the three pages."""

    def __init__(self, pages, deadline):
        self.pages, self.seconds = pages, deadline
        self.deadline = time.monotonic() + deadline
        self.steps = []

    async def wait(self, page, what, condition):
        """Probes `page` until condition(probe) is true; Failed at the deadline."""
        while True:
            probe = await page.read()
            if probe and condition(probe):
                self.steps.append(f"{page.name}: {what}")
                return probe
            if time.monotonic() >= self.deadline:
                raise Failed(f"{page.name}: {what}: not seen within {self.seconds:.0f} s "
                             f"(status: {(probe or {}).get('status')!r})")
            await asyncio.sleep(0.1)

    async def run(self):
        one, two, three = self.pages
        for page in self.pages:
            await self.wait(page, "connected", lambda p: p["state"] == "open")
        first = await one.say("hello from page one <b>not bold</b>")
        await self.wait(two, f"shows {first!r}", lambda p: first in p["lines"])
        await self.wait(one, f"shows {first!r}", lambda p: first in p["lines"])
        reply = await two.say("hi, page one")
        await self.wait(one, f"shows {reply!r}", lambda p: reply in p["lines"])
        await self.wait(two, f"shows {reply!r}", lambda p: reply in p["lines"])
        aside = await three.say("anyone here?")
        probe = await self.wait(three, f"shows {aside!r}", lambda p: aside in p["lines"])
        if probe["lines"] != [aside]:
            raise Failed(f"{three.name} (another room) shows {probe['lines']!r}, expected only {aside!r}")
        for page in (one, two):
            if aside in (await page.read())["lines"]:
                raise Failed(f"{page.name} shows {aside!r}, said in another room")
        if any(page.probe["elementsInLog"] for page in self.pages):
            raise Failed("markup in a message became elements in a page's log")
        return [first, reply, aside]


async def run(args):
    start = time.monotonic()
    names = [f"room-{n}" for n in (1, 2, 3)]
    shots = fresh_outputs(args.out, *(n + ".png" for n in names))
    report_path = fresh_outputs(args.out, "room.json")[0]
    rooms = [args.room, args.second_room or args.room, args.other_room]
    sockets, pages = [], []
    try:
        for name, nick in zip(names, ("ada", "bob", "eve")):
            url = await asyncio.get_running_loop().run_in_executor(None, new_target, args.devtools_port)
            ws = await websockets.connect(url, max_size=None, ping_interval=None, open_timeout=10)
            sockets.append(ws)
            pages.append(Page(name, nick, CDP(ws)))
    except Exception as e:  # noqa: BLE001 - any failure here is "no DevTools"
        print(f"room-check: FAIL: cannot open tabs over Chromium's DevTools: {e}")
        return 2

    check = Check(pages, args.deadline)
    ok, reason = False, "not run"
    try:
        for page, room in zip(pages, rooms):
            for domain in ("Page", "Runtime", "Log", "Network"):
                await page.cdp.call(f"{domain}.enable")
            page.url = f"{args.page}?room={room}"
            nav = await page.cdp.call("Page.navigate", url=page.url)
            if nav.get("errorText"):
                raise Failed(f"loading {page.url} failed: {nav['errorText']}")
        said = await check.run()
        ok = True
        reason = (f"rooms /{rooms[0]} (two tabs) and /{rooms[2]}: {said[0]!r} and {said[1]!r} "
                  f"crossed between the two tabs, {said[2]!r} stayed in its room")
    except Failed as e:
        reason = str(e)
    except (RuntimeError, asyncio.TimeoutError, ConnectionError) as e:
        reason = f"DevTools: {e}"
    finally:
        elapsed = time.monotonic() - start
        for i, page in enumerate(pages):
            try:
                await page.read()  # what it shows now, for the report
                await page.cdp.call("Page.bringToFront")
            except (RuntimeError, asyncio.TimeoutError, ConnectionError):
                pass  # save_screenshot says why there is none
            shots[i] = await save_screenshot(page.cdp, shots[i])
        with open(report_path, "w") as f:
            json.dump({"ok": ok, "reason": reason, "seconds": round(elapsed, 2), "steps": check.steps,
                       "pages": [{"name": p.name, "url": p.url, "probe": p.probe,
                                  "browser": browser_view(p.cdp, None)} for p in pages]}, f, indent=2)
        for page, ws in zip(pages, sockets):
            page.cdp.reader.cancel()
            await ws.close()
    if ok:
        print(f"room-check: {reason} ({elapsed:.1f} s): OK (screenshots: {', '.join(shots)})")
        return 0
    print(f"room-check: FAIL after {elapsed:.1f} s: {reason} (steps done: "
          f"{', '.join(check.steps) or 'none'}; screenshots: {', '.join(shots)})")
    for page in pages:
        print(f"room-check: {page.name} shows {json.dumps((page.probe or {}).get('lines'))}")
        print_browser_view("room-check", page.url or page.name, browser_view(page.cdp, None))
    return 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--devtools-port", type=int, required=True)
    p.add_argument("--page", required=True, help="the room page's http:// URL, without a query")
    p.add_argument("--out", required=True)
    p.add_argument("--room", default="check", help="the room of pages one and two")
    p.add_argument("--second-room", help="page two's room instead (another one proves the check can fail)")
    p.add_argument("--other-room", default="elsewhere", help="page three's room")
    p.add_argument("--deadline", type=float, default=20.0, help="seconds for all the steps")
    args = p.parse_args()
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
