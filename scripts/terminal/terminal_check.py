#!/usr/bin/python3
"""Drive headless Chromium over the DevTools protocol against examples/terminal.html served by
wsgate --binary --pty bash: the page's xterm.js must show a prompt; `stty size` typed as keys
must print the size the page fitted and sent; `echo hello-from-pty` must print hello-from-pty
on a line of its own; `ls --color` must color the listing (its screenshot is kept as
terminal-ls.png); Ctrl-C must end a running `sleep 1000` (seen in /proc); `exit` must close
the WebSocket with 1000.
Prints one summary line.

Used by scripts/terminal-check.sh, which starts wsgate and Chromium. Reuses the DevTools client
and page-check runner of scripts/novnc/cdp_check.py. Needs Debian's python3-websockets only
(run with /usr/bin/python3).

    terminal_check.py --devtools-port=N --url=URL --out=DIR --listing=NAME,... [--deadline=20]
"""

import argparse
import asyncio
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "novnc"))
from cdp_check import Failed, run_page_check, save_screenshot  # noqa: E402

# The shell's prompt (PS1 "wsgate$ ", set by scripts/terminal-check.sh). Lines come trimmed
# on the right, so a bare prompt line is "wsgate$".
PROMPT = "wsgate$"


def typed(line):
    """The command typed after the prompt on `line`, or None when it is no prompt line."""
    return line[len(PROMPT) + 1:] if line.startswith(PROMPT + " ") else None


# Whether any cell of xterm.js's buffer has a foreground color of the 256-color palette
# (xterm.js 3.8 packs it in bits 9-17 of a cell's attribute; 257 is the default).
COLORED_CELLS = """String((() => {
  const buffer = wsgateTerminal.term._core.buffer;
  for (let y = 0; y < buffer.lines.length; y++) {
    const line = buffer.lines.get(y);
    for (let x = 0; x < line.length; x++) if (((line.get(x)[0] >> 9) & 0x1ff) < 256) return true;
  }
  return false;
})())"""


def interrupted(state):
    """After `sleep 1000`: ^C (the terminal echoes the interrupt), then a bare prompt."""
    lines = [line for line in state["lines"] if line]
    at = next((i for i, line in enumerate(lines) if typed(line) == "sleep 1000"), None)
    if at is None:
        return False
    after = lines[at + 1:]
    return "^C" in after and PROMPT in after[after.index("^C"):]


def sleep_processes():
    """The pids of running `sleep 1000` processes (the one typed in the terminal)."""
    pids = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if f.read() == b"sleep\x001000\x00":
                    pids.append(int(entry))
        except (OSError, ValueError):
            continue
    return pids


class Terminal:
    """The page's terminal: keys typed through DevTools, lines read from xterm.js's buffer."""

    def __init__(self, cdp, deadline, seconds):
        self.cdp, self.deadline, self.seconds = cdp, deadline, seconds

    async def state(self):
        try:
            return json.loads(await self.cdp.evaluate(
                "JSON.stringify(window.wsgateTerminal ? {lines: wsgateTerminal.lines(), "
                "closed: wsgateTerminal.closed, cols: wsgateTerminal.term.cols, "
                "rows: wsgateTerminal.term.rows} : null)"))
        except (RuntimeError, asyncio.TimeoutError, TypeError):
            return None  # navigation in progress or a busy renderer

    async def until(self, what, condition):
        """The page's state once `condition(state)` holds; Failed at the deadline."""
        state = None
        while True:
            state = await self.state()
            if state and condition(state):
                return state
            if time.monotonic() >= self.deadline:
                shown = "\n".join(line for line in (state or {}).get("lines", []) if line)
                raise Failed(f"{what}: not seen within {self.seconds:.0f} s; the terminal shows:\n{shown}")
            await asyncio.sleep(0.1)

    async def type(self, text):
        """Each character as a key press (keydown with its text, then keyup)."""
        for char in text:
            await self.cdp.call("Input.dispatchKeyEvent", type="keyDown", key=char, text=char)
            await self.cdp.call("Input.dispatchKeyEvent", type="keyUp", key=char)

    async def enter(self):
        await self.cdp.call("Input.dispatchKeyEvent", type="keyDown", key="Enter", code="Enter",
                            windowsVirtualKeyCode=13, nativeVirtualKeyCode=13, text="\r")
        await self.cdp.call("Input.dispatchKeyEvent", type="keyUp", key="Enter", code="Enter",
                            windowsVirtualKeyCode=13, nativeVirtualKeyCode=13)

    async def ctrl_c(self):
        await self.cdp.call("Input.dispatchKeyEvent", type="keyDown", key="c", code="KeyC",
                            windowsVirtualKeyCode=67, modifiers=2)
        await self.cdp.call("Input.dispatchKeyEvent", type="keyUp", key="c", code="KeyC",
                            windowsVirtualKeyCode=67, modifiers=2)

    async def run(self, command, what, answered):
        """Types `command` (each is typed once per check) and Enter, then waits until the
        lines after the command's own line satisfy `answered`."""
        await self.type(command)
        await self.enter()

        def done(state):
            lines = state["lines"]
            at = next((i for i, line in enumerate(lines) if typed(line) == command), None)
            return at is not None and answered(lines[at + 1:])
        await self.until(what, done)


async def check(cdp, args, deadline):
    nav = await cdp.call("Page.navigate", url=args.url)
    if nav.get("errorText"):
        raise Failed(f"loading {args.url} failed: {nav['errorText']}")
    term = Terminal(cdp, deadline, args.deadline)
    state = await term.until("a prompt", lambda s: PROMPT in s["lines"])
    cols, rows = state["cols"], state["rows"]
    if (cols, rows) == (80, 24):
        raise Failed("the page did not fit the terminal to the window (still 80x24)")

    await term.run("stty size", f"stty size printing {rows} {cols}",
                   lambda after: any(line == f"{rows} {cols}" for line in after))
    await term.run("echo hello-from-pty", "hello-from-pty on a line of its own",
                   lambda after: "hello-from-pty" in after)
    await term.run("sleep 1000", "sleep 1000 typed", lambda after: True)
    await term.until("sleep 1000 running", lambda s: sleep_processes())
    await term.ctrl_c()
    await term.until("Ctrl-C ending sleep 1000 (^C, then a new prompt)", interrupted)
    if sleep_processes():
        raise Failed(f"sleep 1000 still runs after Ctrl-C: pid {sleep_processes()}")

    names = args.listing.split(",")
    await term.run("ls --color", "the listing of " + ", ".join(names),
                   lambda after: all(any(name in line for line in after) for name in names))
    if await cdp.evaluate(COLORED_CELLS) != "true":
        raise Failed("ls --color wrote no color: every cell has the default foreground")
    shot = await save_screenshot(cdp, os.path.join(args.out, "terminal-ls.png"))

    # ls succeeded, so the shell exits 0: close 1000 (after a failed command, 1011).
    await term.type("exit")
    await term.enter()
    state = await term.until("the WebSocket closing", lambda s: s["closed"] is not None)
    closed = state["closed"]
    if closed["code"] != 1000 or not closed["wasClean"]:
        raise Failed(f"exit closed the WebSocket with {closed}, expected 1000 and a clean close")
    return (f"{cols}x{rows} fitted and reported by stty size; hello-from-pty echoed; Ctrl-C ended "
            f"sleep 1000; ls --color colored ({os.path.basename(shot)}); exit closed 1000")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--devtools-port", type=int, required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--listing", required=True, help="comma-separated names ls must show")
    p.add_argument("--deadline", type=float, default=20.0, help="seconds for the steps in the page")
    args = p.parse_args()
    sys.exit(asyncio.run(run_page_check(args, "terminal", check)))


if __name__ == "__main__":
    main()
