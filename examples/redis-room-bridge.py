#!/usr/bin/python3
"""A wsgate room backend that joins rooms across wsgate instances through Redis pub/sub.

Run one wsgate per port or host, all with the same Redis (--passenv: wsgate passes a program
only the variables it names):
  export REDIS_URL=redis://127.0.0.1:6379/0
  wsgate --port=8080 --broadcast --passenv=PATH,REDIS_URL --staticdir=examples examples/redis-room-bridge.py
  wsgate --port=8081 --broadcast --passenv=PATH,REDIS_URL --staticdir=examples examples/redis-room-bridge.py
then open http://localhost:8080/room.html and http://localhost:8081/room.html: one room, /lobby.

wsgate starts one bridge per room (the URL path, in WSGATE_ROOM). The bridge subscribes to
the channel "wsgate:room:<room>" (e.g. wsgate:room:/lobby), publishes every stdin line (one
client message) to it and prints every message of the channel as one line, which wsgate sends
to every client of the room on this instance. So a client sees its own message too, once, after
the round trip through Redis: as with `wsgate --broadcast cat`.

Order: stdin is read only once Redis has confirmed the subscription, so a message is never
published before this bridge can hear it: a client's first message always comes back to it.
A client that sees its own message back therefore knows its room's bridge is subscribed.

Ends with status 0 on stdin EOF (the last client left) and on SIGTERM or SIGINT (wsgate's kill
sequence), unsubscribing first; with 1 when Redis is unreachable or the connection breaks.
Needs Debian's python3-redis (redis-py) for /usr/bin/python3; REDIS_URL defaults to
redis://127.0.0.1:6379/0. Messages are bytes end to end: a line that is not UTF-8 stays as is.
"""

import os
import signal
import sys
import threading
import time

import redis

PREFIX = "wsgate:room:"


def publish_stdin(client, channel, pubsub):
    """Publishes each stdin line; at EOF unsubscribes, which ends the main loop.

    Reads the descriptor itself: a thread blocked in sys.stdin's buffered read would hold
    its lock, and Python aborts when it exits (SIGTERM) with such a thread left."""
    try:
        pending = b""
        while chunk := os.read(0, 65536):
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                client.publish(channel, line.removesuffix(b"\r"))
        if pending:
            client.publish(channel, pending)
        pubsub.unsubscribe()
    except Exception as error:  # noqa: BLE001 - any failure ends the room's backend
        print(f"redis-room-bridge: cannot publish: {error}", file=sys.stderr, flush=True)
        os._exit(1)


def relay_channel(pubsub, out):
    """Prints each channel message as one line until unsubscribed."""
    for message in pubsub.listen():
        if message["type"] == "message":
            out.write(message["data"] + b"\n")
            out.flush()


def subscribe(pubsub, channel, seconds=10):
    """Subscribes and waits for Redis's confirmation (see "Order" above)."""
    pubsub.subscribe(channel)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message = pubsub.get_message(timeout=deadline - time.monotonic())
        if message and message["type"] == "subscribe":
            return
    raise redis.TimeoutError(f"no confirmation of SUBSCRIBE {channel} within {seconds} s")


def ignore_stop_signals():
    """Once exiting, a late SIGTERM or SIGINT (the kill sequence goes on) must not end the
    bridge by that signal instead of its clean exit."""
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, signal.SIG_IGN)


def stop(*_):
    """SIGTERM or SIGINT (wsgate's kill sequence): a clean exit, status 0."""
    ignore_stop_signals()
    sys.exit(0)


def main():
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, stop)
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    channel = PREFIX + os.environ.get("WSGATE_ROOM", "/")
    client = redis.Redis.from_url(url)
    pubsub = client.pubsub()
    try:
        subscribe(pubsub, channel)
        threading.Thread(target=publish_stdin, args=(client, channel, pubsub), daemon=True).start()
        relay_channel(pubsub, sys.stdout.buffer)
    except (SystemExit, BrokenPipeError):
        pass  # asked to stop, or wsgate is gone
    except redis.RedisError as error:
        print(f"redis-room-bridge: {url}: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        ignore_stop_signals()
        try:
            pubsub.unsubscribe()
            pubsub.close()
        except Exception:  # noqa: BLE001 - best effort: closing the connection unsubscribes too
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
