import WSGateConfig
/// The `--help` text, generated from `FlagSpec.all`.
///
/// Why it exists: the help must list every flag the parser knows, with the same placeholder,
/// default and availability, so it is built from the table rather than written by hand.
/// Every line stays within `maximumWidth` columns. It must not describe anything not in the
/// table or the usage forms (docs/behaviour.md, 'Command line').
public enum HelpText {
    /// The longest line the help may have.
    public static let maximumWidth = 100
    /// Appended to the help of a feature not built yet.
    public static let notYetAvailableMarker = "(not available yet)"

    /// The whole help text, ending with a newline.
    public static let text: String = render()

    /// The left column of a flag's line: `--port=N`, `--echo`, `-h, --help`.
    public static func synopsis(of flag: FlagSpec) -> String {
        let aliases = flag.aliases.map { "-" + $0 + ", " }.joined()
        let value = flag.kind.takesValue ? "=" + flag.placeholder : ""
        return aliases + "--" + flag.name + value
    }

    /// The right column of a flag's line: help, default, availability.
    public static func description(of flag: FlagSpec) -> String {
        var text = flag.help
        if let defaultText = flag.defaultText { text += " (default: " + defaultText + ")" }
        if flag.availability == .notYetAvailable { text += " " + notYetAvailableMarker }
        return text
    }

    private static func render() -> String {
        var lines = [
            Version.nameAndVersion + ": a WebSocket gateway, drop-in replacement for websocketd",
            "",
            "Usage:",
        ]
        let usages = usageLines()
        let usageColumn = 2 + (usages.map { $0.form.count }.filter { $0 <= 40 }.max() ?? 0) + 2
        for usage in usages {
            lines += twoColumns(usage.form, usage.description, column: usageColumn)
        }
        lines += [""]
        lines += wrap(
            "Flags are written -flag or --flag, values as --flag=VALUE or --flag VALUE, booleans "
                + "only as --flag or --flag=false. The first word that is not a flag is COMMAND; "
                + "it and every word after it are passed on verbatim. -- also ends the flags.",
            indent: 0
        )
        let flagColumn = 2 + (FlagSpec.all.map { synopsis(of: $0).count }.max() ?? 0) + 2
        for group in FlagGroup.allCases {
            let flags = FlagSpec.all.filter { $0.group == group }
            guard !flags.isEmpty else { continue }
            lines += ["", group.title + ":"]
            for flag in flags {
                lines += twoColumns(synopsis(of: flag), description(of: flag), column: flagColumn)
            }
        }
        lines += [""]
        lines += wrap(
            "Exit status: 0 after --help, --version, --license or a clean shutdown; 1 configuration "
                + "error; 2 unknown flag or bad flag value; 3 a listener could not start; "
                + "4 --devconsole with --staticdir or --cgidir.",
            indent: 0
        )
        return lines.joined(separator: "\n") + "\n"
    }

    /// The usage forms (docs/behaviour.md, 'Command line'), each marked when none of its
    /// features is built yet.
    private static func usageLines() -> [(form: String, description: String)] {
        func availability(_ names: [String]) -> String {
            let available = names.contains { FlagSpec.named($0)?.availability == .available }
            return available ? "" : " " + notYetAvailableMarker
        }
        let command = FlagSpec.commandAvailability == .available ? "" : " " + notYetAvailableMarker
        let prefix = Version.programName + " [OPTIONS] "
        return [
            (prefix + "COMMAND [ARG...]", "run COMMAND per connection" + command),
            (prefix + "--dir=DIR", "DIR/a/b.sh served at /a/b.sh" + availability(["dir"])),
            (prefix + "--tcp=HOST:PORT", "connect to a TCP backend per connection" + availability(["tcp"])),
            (prefix + "--unix=PATH", "connect to a Unix-socket backend per connection" + availability(["unix"])),
            (prefix + "--echo", "built-in exact echo (probes, conformance)" + availability(["echo"])),
            (
                prefix + "--staticdir=DIR | --cgidir=DIR | --devconsole",
                "plain HTTP only" + availability(["staticdir", "cgidir", "devconsole"])
            ),
        ]
    }

    /// `left` indented by two, `right` from `column` on, wrapped; `right` starts on the next
    /// line when `left` does not leave two spaces before `column`.
    private static func twoColumns(_ left: String, _ right: String, column: Int) -> [String] {
        let head = "  " + left
        let body = wrap(right, indent: column)
        guard head.count + 2 <= column, let first = body.first else {
            return [head] + body
        }
        let padding = String(repeating: " ", count: column - head.count)
        return [head + padding + first.dropFirst(column)] + body.dropFirst()
    }

    /// `text` broken at spaces into lines of at most `maximumWidth`, each indented by `indent`.
    /// A parenthesised group (`(default: 8080)`, `(not available yet)`) is never broken, and a
    /// chunk longer than the room is kept whole on its own line.
    private static func wrap(_ text: String, indent: Int) -> [String] {
        let margin = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        for word in unbreakableChunks(text) {
            if line.isEmpty {
                line = margin + word
            } else if line.count + 1 + word.count <= maximumWidth {
                line += " " + word
            } else {
                lines.append(line)
                line = margin + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// `text` split at the spaces that are outside parentheses.
    private static func unbreakableChunks(_ text: String) -> [Substring] {
        var chunks: [Substring] = []
        var depth = 0
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            switch text[index] {
            case "(": depth += 1
            case ")": depth = max(depth - 1, 0)
            case " " where depth == 0:
                if start < index { chunks.append(text[start..<index]) }
                start = text.index(after: index)
            default: break
            }
            index = text.index(after: index)
        }
        if start < text.endIndex { chunks.append(text[start...]) }
        return chunks
    }
}
