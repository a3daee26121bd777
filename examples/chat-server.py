#!/usr/bin/env python3
"""A small line-based chat server: a "legacy TCP service" to put behind wsgate --tcp.

Run:  python3 examples/chat-server.py [PORT]          (default 9000, on 127.0.0.1)
Then: swift run -c release wsgate --port=8080 --tcp=127.0.0.1:9000
and open examples/chat.html in a few browser tabs (or talk to it with `nc 127.0.0.1 9000`).

Protocol, one line each way (UTF-8, "\\n" or "\\r\\n"):
  - on connect the server asks "nick?"; the first line a client sends is its nick (made
    unique by adding a number when it is taken);
  - every later line goes to every connected client as "<nick>: <line>";
  - "/who" lists who is online (to the asker only);
  - joins and leaves are announced as "* <nick> joined" / "* <nick> left".

wsgate relays each line the server writes as one WebSocket text message and writes each
message from the browser as one line, so the server knows nothing about WebSockets.
Standard library only (asyncio). It listens on loopback only: wsgate is its public face.
"""

import asyncio
import sys

MAX_LINE = 4096          # longer lines end the client's connection
MAX_NICK = 24
MAX_BACKLOG = 1 << 20    # bytes queued for a client that does not read before it is dropped

clients = {}             # StreamWriter -> nick


def send(writer, text):
    """Queues one line for one client; drops a client that stopped reading."""
    if writer.is_closing():
        return
    if writer.transport.get_write_buffer_size() > MAX_BACKLOG:
        writer.close()
        return
    writer.write((text + "\n").encode("utf-8"))


def broadcast(text):
    for writer in list(clients):
        send(writer, text)


def unique_nick(wanted):
    nick = "".join(ch for ch in wanted.strip() if ch.isprintable())[:MAX_NICK] or "guest"
    taken = set(clients.values())
    candidate, number = nick, 2
    while candidate in taken:
        candidate, number = f"{nick}{number}", number + 1
    return candidate


async def read_line(reader):
    """The next line without its line ending, or None at EOF (or on an overlong line)."""
    try:
        raw = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as partial:
        raw = partial.partial          # a last line without "\n" still counts
        if not raw:
            return None
    except (asyncio.LimitOverrunError, ConnectionError):
        return None
    return raw.decode("utf-8", errors="replace").rstrip("\r\n")


async def handle(reader, writer):
    nick = None
    try:
        send(writer, "nick?")
        wanted = await read_line(reader)
        if wanted is None:
            return
        nick = unique_nick(wanted)
        broadcast(f"* {nick} joined")
        clients[writer] = nick
        send(writer, f"* welcome, {nick}: {len(clients)} online")
        while (line := await read_line(reader)) is not None:
            if line == "/who":
                send(writer, "* online: " + ", ".join(sorted(clients.values())))
            else:
                broadcast(f"{nick}: {line}")
            await writer.drain()       # a sender that does not read its echo waits here
    except ConnectionError:
        pass
    finally:
        clients.pop(writer, None)
        if nick is not None:
            broadcast(f"* {nick} left")
        writer.close()


async def main(port):
    server = await asyncio.start_server(handle, "127.0.0.1", port, limit=MAX_LINE)
    print(f"chat server on 127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9000
    try:
        asyncio.run(main(port))
    except KeyboardInterrupt:
        pass
