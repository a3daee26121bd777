/// `--config=FILE`: flags written one per line, as `name = value`.
///
/// Why it exists: a packaged service is configured by a file in /etc, not by editing a unit's
/// command line (websocketd has no config file; wsgate adds one). The file is a plain
/// transcription of the command line, so every flag, default and error is the command line's:
/// each line becomes `--name=value`, checked by the same flag table, and errors name the file
/// and the line. The program is the line `command = PATH ARG…` (words split on spaces and
/// tabs; double quotes group words, `\"` and `\\` escape inside them). Blank lines and lines
/// starting with `#` are ignored. Lines end at LF or CRLF (a file saved on Windows). It reads
/// nothing itself: the text comes in.
public struct ConfigFile: Sendable, Equatable {
    /// One flag line as a command-line word, with the line it came from.
    public struct Setting: Sendable, Equatable {
        public var line: Int
        public var argument: String
    }

    /// The flags, in file order.
    public var settings: [Setting] = []
    /// COMMAND and its arguments from the `command` line (empty if none).
    public var command: [String] = []

    /// Parses `text`; `path` only names the file in errors.
    public init(parsing text: String, path: String) throws(CLIError) {
        var lineNumber = 0
        // Bytes, not Characters: "\r\n" is one Character, which a split on "\n" never finds.
        // A CRLF's CR is trimmed with the spaces.
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Substring(rawLine).trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw .inConfigFile(path: path, line: lineNumber, .configSyntax("expected 'name = value'"))
            }
            let name = line[..<equals].trimmingSpaces()
            let value = line[line.index(after: equals)...].trimmingSpaces()
            guard !name.isEmpty, !name.hasPrefix("-") else {
                throw .inConfigFile(path: path, line: lineNumber, .configSyntax("expected a flag name before '='"))
            }
            switch name {
            case "command":
                guard command.isEmpty else {
                    throw .inConfigFile(path: path, line: lineNumber, .configSyntax("'command' given twice"))
                }
                do throws(CLIError) {
                    command = try Self.words(String(value))
                } catch {
                    throw .inConfigFile(path: path, line: lineNumber, error)
                }
                if command.isEmpty {
                    throw .inConfigFile(path: path, line: lineNumber, .configSyntax("'command' needs a program"))
                }
            case "config":
                throw .inConfigFile(path: path, line: lineNumber, .configSyntax("a config file cannot name another one"))
            default:
                settings.append(Setting(line: lineNumber, argument: "--\(name)=\(value)"))
            }
        }
    }

    /// Splits a command line into words: spaces and tabs separate, double quotes group.
    static func words(_ text: String) throws(CLIError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quoted = false
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if quoted && character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
                inWord = true
            } else if !quoted && (character == " " || character == "\t") {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if quoted || escaped { throw .configSyntax("unterminated quote") }
        if inWord { words.append(current) }
        return words
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return text
    }
}
