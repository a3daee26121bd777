#!/usr/bin/env python3
"""A shared whiteboard: the server of one wsgate room under --room-protocol=json.

    wsgate --port=8080 --broadcast --room-protocol=json --staticdir=examples \
        python3 examples/whiteboard.py

wsgate starts it when the first browser opens a board (a URL path) and ends it when the last
one leaves. It reads one JSON event a line on stdin (join, message, leave) and writes one JSON
command a line on stdout: a stroke goes to everyone, the board so far to a newcomer only, and
a client that sends something that is not a stroke is closed with 4000.
"""
import json
import sys

MAX_STROKES = 4000                     # the board keeps at most this many (its line stays under 1 MiB)
COLORS = {"#222222", "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#ffffff"}

strokes = []                           # each a JSON text, as the clients send and get it
people = set()


def compact(value):
    return json.dumps(value, separators=(",", ":"))


def send(command):
    print(compact(command), flush=True)


def stroke(text):
    """The stroke's canonical JSON text, or None if `text` is not a valid stroke."""
    try:
        s = json.loads(text)
        points = [float(s[k]) for k in ("x0", "y0", "x1", "y1")]
        if s["color"] in COLORS and all(0 <= p <= 1 for p in points) and 1 <= s["width"] <= 40:
            return compact({"x0": points[0], "y0": points[1], "x1": points[2], "y1": points[3],
                            "color": s["color"], "width": int(s["width"])})
    except (ValueError, KeyError, TypeError):
        pass
    return None


for line in sys.stdin:
    event = json.loads(line)
    client = event["client"]
    if event["event"] == "join":
        people.add(client)
        send({"to": [client], "data": '{"board":[' + ",".join(strokes) + "]}"})
        send({"data": compact({"people": len(people)})})
    elif event["event"] == "leave":
        people.discard(client)
        if people:                     # after the last one, wsgate ends the room: stdin closes
            send({"data": compact({"people": len(people)})})
    elif event.get("data") == "clear":
        strokes.clear()
        send({"data": compact({"clear": True})})
    elif (text := stroke(event.get("data", ""))) is not None:
        strokes.append(text)
        del strokes[:-MAX_STROKES]
        send({"data": text})
    else:
        send({"close": client, "code": 4000, "reason": "not a stroke"})
