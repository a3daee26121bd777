#!/usr/bin/env python3
"""Turns `wsgate --help` into the package's man page and default config, so neither can drift.

    wsgate --help | packaging/helpgen.py man TEMPLATE VERSION DATE > wsgate.1
    wsgate --help | packaging/helpgen.py conf > wsgate.conf
    wsgate --help | packaging/helpgen.py flags                # one flag name a line

The help text is parsed strictly: a usage block, prose paragraphs, sections ("Name:" alone on
a line) of flag entries ("  --flag[=VALUE]  description", continued by deeper-indented lines)
and the closing "Exit status:" paragraph. Anything else is an error (exit status 1), so a
change to the help layout fails the package build instead of producing a broken page.
Standard library only.
"""

import re
import sys

# The description column of a flag entry: two or more spaces end the flag part.
ENTRY = re.compile(r"^  (-\S.*?)(?: {2,}(\S.*))?$")
CONTINUATION = re.compile(r"^ {6,}(\S.*)$")
SECTION = re.compile(r"^([A-Z][A-Za-z ()-]*):$")
DEFAULT = re.compile(r"\s*\(default: ([^()]*(?:\([^()]*\)[^()]*)*)\)")
NOT_YET = "(not available yet)"

# Flags that do not belong in a config file: they print something and exit, or name the file.
NOT_IN_CONFIG = {"help", "version", "license", "config"}

# What the shipped /etc/wsgate/wsgate.conf sets (everything else is commented with its
# default). wsgate.socket's ListenStream= must say the same address and port: check-deb.sh
# compares them.
ACTIVE = {"address": "127.0.0.1", "port": "8080"}
COMMAND = "/usr/share/wsgate/examples/hello.sh"


class HelpError(Exception):
    pass


class Flag:
    def __init__(self, names, metavar, text):
        self.names = names            # ["-h", "--help"]
        self.name = names[-1].lstrip("-")
        self.metavar = metavar        # "N", '"K: V"' or None for a boolean
        self.text = text              # the description, continuation lines joined

    @property
    def default(self):
        found = DEFAULT.search(self.text)
        return found.group(1) if found else None

    @property
    def available(self):
        return NOT_YET not in self.text

    def plain_text(self):
        """The description without its (default: …) and (not available yet) notes."""
        return DEFAULT.sub("", self.text).replace(NOT_YET, "").strip()


def parse(lines):
    """Returns (title, usage [(synopsis, text)], paragraphs, sections [(name, [Flag])], exit)."""
    lines = [line.rstrip("\n") for line in lines]
    if not lines or not lines[0].startswith("wsgate "):
        raise HelpError("line 1: expected 'wsgate VERSION: summary'")
    title = lines[0]
    i = 1
    while i < len(lines) and lines[i] == "":
        i += 1
    if i >= len(lines) or lines[i] != "Usage:":
        raise HelpError(f"line {i + 1}: expected 'Usage:'")
    i += 1
    usage = []
    while i < len(lines) and lines[i] != "":
        line = lines[i]
        cont = CONTINUATION.match(line)
        if line.startswith("  wsgate "):
            parts = re.split(r" {2,}", line.strip(), maxsplit=1)
            usage.append([parts[0], parts[1] if len(parts) > 1 else ""])
        elif cont and usage:
            usage[-1][1] = (usage[-1][1] + " " + cont.group(1)).strip()
        else:
            raise HelpError(f"line {i + 1}: unexpected line in Usage: {line!r}")
        i += 1
    paragraphs, sections, exit_status = [], [], None
    current = None
    while i < len(lines):
        line = lines[i]
        i += 1
        if line == "":
            current = None
            continue
        if line.startswith("Exit status:"):
            text = [line[len("Exit status:"):].strip()]
            while i < len(lines) and lines[i] != "":
                text.append(lines[i].strip())
                i += 1
            exit_status = " ".join(text)
            current = None
            continue
        section = SECTION.match(line)
        if section:
            current = (section.group(1), [])
            sections.append(current)
            continue
        if current is not None:
            entry = ENTRY.match(line)
            cont = CONTINUATION.match(line)
            if entry:
                current[1].append(entry_flag(entry.group(1), entry.group(2) or "", i))
            elif cont and current[1]:
                flag = current[1][-1]
                flag.text = (flag.text + " " + cont.group(1)).strip()
            else:
                raise HelpError(f"line {i}: unexpected line in section {current[0]}: {line!r}")
            continue
        if not sections:   # prose between Usage and the first section
            if paragraphs and lines[i - 2] != "":
                paragraphs[-1] += " " + line.strip()
            else:
                paragraphs.append(line.strip())
            continue
        raise HelpError(f"line {i}: unexpected text after the sections: {line!r}")
    if not sections or exit_status is None:
        raise HelpError("no flag sections or no 'Exit status:' paragraph")
    return title, usage, paragraphs, sections, exit_status


def entry_flag(spec, text, line_number):
    metavar = None
    if "=" in spec:
        spec, metavar = spec.split("=", 1)
    names = [part.strip() for part in spec.split(",")]
    for name in names:
        if not re.fullmatch(r"--?[a-z][a-z0-9-]*", name):
            raise HelpError(f"line {line_number}: not a flag name: {name!r}")
    return Flag(names, metavar, text)


# ---- man page -------------------------------------------------------------------------------

def roff(text):
    """Escapes text for roff: backslashes, hyphens (minus signs in flags), leading dots."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def roff_flag(flag):
    names = ", ".join(f"\\fB{roff(name)}\\fR" for name in flag.names)
    if flag.metavar:
        names += f"=\\fI{roff(flag.metavar)}\\fR"
    return names


def roff_synopsis(synopsis):
    # "wsgate [OPTIONS] --dir=DIR": the program and flags bold, placeholders italic.
    words = []
    for word in synopsis.split(" "):
        if word == "wsgate":
            words.append("\\fBwsgate\\fR")
        elif word.startswith("--") and "=" in word:
            flag, value = word.split("=", 1)
            words.append(f"\\fB{roff(flag)}\\fR=\\fI{roff(value)}\\fR")
        elif word.startswith("-"):
            words.append(f"\\fB{roff(word)}\\fR")
        elif word in ("|", "[OPTIONS]") or word.startswith("["):
            words.append(roff(word))
        else:
            words.append(f"\\fI{roff(word)}\\fR")
    return " ".join(words)


def man(template_path, version, date, parsed):
    title, usage, paragraphs, sections, exit_status = parsed
    summary = title.split(": ", 1)[1] if ": " in title else title
    synopsis = []
    for line, text in usage:
        synopsis.append(".br")
        synopsis.append(roff_synopsis(line))
    options = []
    for name, flags in sections:
        options.append(f".SS {roff(name)}")
        for flag in flags:
            options.append(".TP")
            options.append(roff_flag(flag))
            options.append(roff(flag.text))
    modes = []
    for line, text in usage:
        modes.append(".TP")
        modes.append(roff_synopsis(line))
        modes.append(roff(text[0].upper() + text[1:] + "."))
    replacements = {
        "@VERSION@": version,
        "@DATE@": date,
        "@SUMMARY@": roff(summary),
        "@SYNOPSIS@": "\n".join(synopsis[1:]),
        "@MODES@": "\n".join(modes),
        "@DESCRIPTION@": "\n.PP\n".join(roff(paragraph) for paragraph in paragraphs),
        "@OPTIONS@": "\n".join(options),
        "@EXIT_STATUS@": roff(exit_status),
    }
    with open(template_path, encoding="utf-8") as handle:
        page = handle.read()
    for key, value in replacements.items():
        if key not in page:
            raise HelpError(f"{template_path}: placeholder {key} missing")
        page = page.replace(key, value)
    leftover = re.search(r"@[A-Z_]+@", page)
    if leftover:
        raise HelpError(f"{template_path}: unknown placeholder {leftover.group(0)}")
    return page


# ---- default config -------------------------------------------------------------------------

VALUE = re.compile(r"[A-Za-z0-9_.,:/+-]+")


def wrap(text, prefix="# ", width=96):
    lines, line = [], ""
    for word in text.split():
        if line and len(prefix) + len(line) + 1 + len(word) > width:
            lines.append(prefix + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(prefix + line)
    return lines


def config_value(flag):
    """(value, is_default): the flag's default when it can be written as a value (booleans:
    false), else its placeholder (the metavar: N, DIR...)."""
    default = flag.default
    if flag.metavar is None:                       # a boolean
        return "false", True
    if default is not None and VALUE.fullmatch(default) and default not in ("off", "any"):
        return default, True
    return flag.metavar.strip('"'), False


def commented_defaults(parsed):
    """[(name, value)]: the commented lines of the config that state a real default of a flag
    that is available, i.e. the lines that must work when uncommented as they are."""
    return [(flag.name, value) for _, flags in parsed[3] for flag in flags
            if flag.name not in NOT_IN_CONFIG and flag.name not in ACTIVE and flag.available
            for value, is_default in [config_value(flag)] if is_default]


def conf(parsed):
    _, _, _, sections, _ = parsed
    known = {flag.name for _, flags in sections for flag in flags}
    missing = set(ACTIVE) - known
    if missing:
        raise HelpError(f"ACTIVE names flags --help does not list: {sorted(missing)}")
    out = []
    for name, flags in sections:
        flags = [flag for flag in flags if flag.name not in NOT_IN_CONFIG]
        if not flags:
            continue
        out.append("")
        out.append("## " + name)
        if name.startswith("Backends"):
            out.append("")
            out.append("# The program run for each connection, with its arguments (words split on spaces,")
            out.append("# double quotes group). Exactly one backend: this, or dir, tcp, unix or echo below.")
            out.append("# The example greets the client and answers each message; replace it with yours.")
            out.append(f"command = {COMMAND}")
        for flag in flags:
            out.append("")
            value, shown_default = config_value(flag)
            note = flag.plain_text()
            if not shown_default and flag.default is not None:
                note += f" (default: {flag.default})"
            if not flag.available:
                note += " " + NOT_YET
            out.extend(wrap(note))
            if flag.name in ACTIVE:
                out.append(f"{flag.name} = {ACTIVE[flag.name]}")
            else:
                out.append(f"#{flag.name} = {value}")
    return "\n".join(out).lstrip("\n") + "\n"


def main(argv):
    if len(argv) < 2 or argv[1] not in ("man", "conf", "flags"):
        sys.stderr.write(__doc__)
        return 2
    try:
        parsed = parse(sys.stdin.readlines())
        if argv[1] == "man":
            if len(argv) != 5:
                raise HelpError("man needs TEMPLATE VERSION DATE")
            sys.stdout.write(man(argv[2], argv[3], argv[4], parsed))
        elif argv[1] == "conf":
            sys.stdout.write(conf(parsed))
        else:
            for _, flags in parsed[3]:
                for flag in flags:
                    sys.stdout.write(flag.name + "\n")
    except HelpError as error:
        sys.stderr.write(f"helpgen: wsgate --help: {error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
