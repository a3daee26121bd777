import Glibc

/// The modes that print fixed output and exit 0: `count`, `lines`, `printf`, `env`.
///
/// They exist for exact-output tests: each output line is one write(2), so wsgate sees it at
/// once, and `printf` can produce any byte sequence (invalid UTF-8, empty lines, "\r").
enum PrintModes {
    /// The most lines `count` prints, so a typo cannot run for ever.
    static let maximumCount = 1_000_000
    /// The longest pause `count` takes between lines (one hour).
    static let maximumPauseMilliseconds = 3_600_000

    /// `count N MS`: 1..N, MS milliseconds apart (none after the last), like websocketd's count.sh.
    static func count(_ arguments: [String]) -> Never {
        Usage.expect(arguments, count: 2, "count")
        let total = Usage.integer(arguments[0], "N", in: 0...maximumCount)
        let pause = Usage.integer(arguments[1], "MS", in: 0...maximumPauseMilliseconds)
        if total > 0 {
            for number in 1...total {
                if number > 1 { Pause.milliseconds(pause) }
                Output.standardOutput.line(String(number))
            }
        }
        Glibc.exit(0)
    }

    /// `lines [--no-final-newline] [--crlf] [--] TEXT...`: one line per TEXT.
    static func lines(_ arguments: [String]) -> Never {
        var finalNewline = true
        var ending = "\n"
        var texts = arguments[...]
        flags: while let first = texts.first {
            switch first {
            case "--no-final-newline": finalNewline = false
            case "--crlf": ending = "\r\n"
            case "--": texts.removeFirst(); break flags
            default: break flags
            }
            texts.removeFirst()
        }
        for (index, text) in texts.enumerated() {
            let last = index == texts.count - 1
            if !Output.standardOutput.write(last && !finalNewline ? text : text + ending) {
                Glibc.exit(1)
            }
        }
        Glibc.exit(0)
    }

    /// `printf ESCAPED`: the decoded bytes, in one write(2).
    static func printf(_ arguments: [String]) -> Never {
        Usage.expect(arguments, count: 1, "printf")
        let bytes: [UInt8]
        do {
            bytes = try EscapeDecoder.decode(Array(arguments[0].utf8))
        } catch {
            Usage.fail("printf: \(error.message)")
        }
        Glibc.exit(Output.standardOutput.write(bytes) ? 0 : 1)
    }

    /// `env`: `NAME=value` lines, sorted bytewise by name (like `LC_ALL=C env | sort` when no
    /// value holds a newline), each line one write(2).
    static func env(_ arguments: [String]) -> Never {
        Usage.expect(arguments, count: 0, "env")
        var entries: [[UInt8]] = []
        var cursor = environ
        while let entry = cursor.pointee {
            entries.append(Array(UnsafeBufferPointer(start: entry, count: strlen(entry)).map { UInt8(bitPattern: $0) }))
            cursor += 1
        }
        entries.sort { left, right in
            let leftName = left.prefix { $0 != UInt8(ascii: "=") }
            let rightName = right.prefix { $0 != UInt8(ascii: "=") }
            if leftName != rightName { return leftName.lexicographicallyPrecedes(rightName) }
            return left.lexicographicallyPrecedes(right)
        }
        for entry in entries where !Output.standardOutput.write(entry + [UInt8(ascii: "\n")]) {
            Glibc.exit(1)
        }
        Glibc.exit(0)
    }
}
