import Glibc

/// Help text and argument checking shared by every mode.
///
/// It exists so bad usage fails the same way everywhere: one line on stderr and exit status 2
/// (never a crash, never a partial run).
enum Usage {
    /// The exit status for bad usage.
    static let badUsageStatus: Int32 = 2

    /// Prints the list of modes to stdout and exits 0.
    static func printHelp() -> Never {
        var text = "usage: wsgate-testcmd MODE [ARGS]\n"
        text += "A helper program for wsgate's tests: run it as wsgate's COMMAND. Output is unbuffered.\n"
        text += "Bad usage prints one line to stderr and exits 2.\n\nModes:\n"
        for mode in Mode.all {
            text += "  \(mode.usage)\n      \(mode.summary)\n"
        }
        Output.standardOutput.write(text)
        Glibc.exit(0)
    }

    /// Prints `wsgate-testcmd: MESSAGE` to stderr and exits with status 2.
    static func fail(_ message: String) -> Never {
        Output.standardError.write("wsgate-testcmd: \(message) (see wsgate-testcmd --help)\n")
        Glibc.exit(badUsageStatus)
    }

    /// Fails unless `arguments` has exactly `count` elements.
    static func expect(_ arguments: [String], count: Int, _ mode: String) {
        if arguments.count != count {
            fail("usage: \(Mode.named(mode)?.usage ?? mode)")
        }
    }

    /// `text` as a decimal integer within `range`, or a usage failure naming `what`.
    static func integer(_ text: String, _ what: String, in range: ClosedRange<Int>) -> Int {
        guard let value = Int(text), range.contains(value) else {
            fail("\(what) must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }
}
