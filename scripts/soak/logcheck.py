"""Reads an instance's log after the soak: lines that mean trouble, and connections left open.

Why it exists: a soak that only watches the clients misses what wsgate says about itself (an
accept that failed, a loop that died, a program that could not start). Every ERROR or FATAL
line must match the instance's allow-list (the faults the soak injects on purpose, such as the
`signals` program's notices on stderr, or "Cannot accept" under the descriptor flood); any
other, any line not in websocketd's log format, and anything wsgate wrote to its own stderr is
unexpected. CONNECT and DISCONNECT lines must pair up: every session ended and was logged.
"""
import re

# "DATE | LEVEL  | category   | fields | message" (docs/behaviour.md, 'Log format').
LINE = re.compile(r"^[^|]+ \| (?P<level>[A-Z]+) *\| (?P<category>[a-z]*) *\| (?P<rest>.*)$")
# Field values escape '|' as '\|', so the first ' | ' not after a backslash ends the fields.
FIELDS_END = re.compile(r"(?<!\\) \| ")
TROUBLE_LEVELS = {"ERROR", "FATAL"}


class LogReport:
    def __init__(self):
        self.lines = 0
        self.levels = {}
        self.allowed = 0
        self.unexpected = []
        self.connects = 0
        self.disconnects = 0


def message_of(rest):
    match = FIELDS_END.search(rest)
    return rest[match.end():] if match else rest


def check_log(log_path, stderr_path, allowed_errors):
    """A LogReport of the log; allowed_errors are compiled regexes over 'category | message'."""
    report = LogReport()
    with open(log_path, errors="replace") as log:
        for raw in log:
            classify(raw.rstrip("\n"), allowed_errors, report)
    with open(stderr_path, errors="replace") as errors:
        for raw in errors:
            report.unexpected.append(f"(wsgate stderr) {raw.rstrip()}")
    return report


def classify(line, allowed_errors, report):
    report.lines += 1
    match = LINE.match(line)
    if not match:
        report.unexpected.append(f"(not a log line) {line}")
        return
    level = match.group("level")
    report.levels[level] = report.levels.get(level, 0) + 1
    message = message_of(match.group("rest"))
    if level == "ACCESS" and match.group("category") == "session":
        if message == "CONNECT":
            report.connects += 1
        elif message == "DISCONNECT":
            report.disconnects += 1
    if level not in TROUBLE_LEVELS:
        return
    subject = f"{match.group('category')} | {message}"
    if any(pattern.fullmatch(subject) for pattern in allowed_errors):
        report.allowed += 1
    else:
        report.unexpected.append(line)
