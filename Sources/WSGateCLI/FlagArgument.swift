import WSGateConfig

/// The text given to one flag, with the conversions the table rows need.
///
/// Why it exists: every flag value error must read as Go's `invalid value "X" for flag -NAME:
/// REASON`, so the value travels with the flag's name as written and each conversion reports
/// through `rejected(_:)`. It converts and checks; it must not store anything.
struct FlagArgument {
    /// The flag's name as written (without dashes).
    let flag: String
    /// The value: after `=`, the next word, or `true` for a bare boolean flag.
    let text: String

    /// The error for this value, with a Go-style or wsgate reason.
    func rejected(_ reason: String) -> CLIError {
        .invalidValue(value: text, flag: flag, reason: reason)
    }

    /// The value as a Go boolean.
    func boolean() throws(CLIError) -> Bool {
        guard let value = GoValueSyntax.parseBool(text) else {
            throw .invalidBoolean(value: text, flag: flag)
        }
        return value
    }

    /// The value as a Go integer within `range`.
    func integer(in range: ClosedRange<Int>) throws(CLIError) -> Int {
        switch GoValueSyntax.parseInt(text) {
        case .malformed:
            throw rejected(GoValueSyntax.parseError)
        case .outOfRange:
            throw rejected(GoValueSyntax.rangeError)
        case .value(let value):
            guard range.contains(value) else { throw rejected(GoValueSyntax.rangeError) }
            return value
        }
    }

    /// The value as a DURATION (`DurationSyntax`) in milliseconds, at most `maximum`; empty
    /// is 0 (off), as an empty string flag is "not given".
    func duration(maximum: Int) throws(CLIError) -> Int {
        guard !text.isEmpty else { return 0 }
        switch DurationSyntax.parse(text, maximumMilliseconds: maximum) {
        case .milliseconds(let milliseconds):
            return milliseconds
        case .malformed:
            throw rejected("expected a duration such as 90s, 10m or 1h30m (units h, m, s, ms; a bare number is seconds)")
        case .outOfRange:
            throw rejected(GoValueSyntax.rangeError + " (at most \(DurationSyntax.text(milliseconds: maximum)))")
        }
    }

    /// The value, or nil when it is empty (Go's string flags use "" for "not given").
    var nonEmpty: String? {
        text.isEmpty ? nil : text
    }

    /// The comma-separated items, each trimmed of spaces and tabs, empty items dropped.
    var commaList: [String] {
        text.split(separator: ",", omittingEmptySubsequences: false)
            .map { String($0).trimmingSpacesAndTabs() }
            .filter { !$0.isEmpty }
    }

    /// A file-system path for a Unix-domain socket, or nil when empty; refused when longer than
    /// the kernel accepts.
    func unixSocketPath() throws(CLIError) -> String? {
        guard let path = nonEmpty else { return nil }
        guard path.utf8.count <= Self.maximumUnixSocketPathBytes else {
            throw rejected("longer than \(Self.maximumUnixSocketPathBytes) bytes (unix(7) limit)")
        }
        guard !path.utf8.contains(0) else { throw rejected("contains a NUL byte") }
        return path
    }

    /// unix(7): "sun_path" is 108 bytes on Linux, and a path must leave room for its NUL.
    static let maximumUnixSocketPathBytes = 107
}
