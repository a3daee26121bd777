import Glibc

/// The modes that write a lot: `flood` (stdout) and `stderr`.
///
/// They exist for backpressure and stderr-handling tests. Both write from one fixed buffer, so
/// their own memory stays small however much they write.
enum VolumeModes {
    /// The length of every `flood` line, "\n" included.
    static let floodLineLength = 64
    /// The size of the `flood` write buffer: whole lines only.
    static let floodChunkSize = 1024 * floodLineLength
    /// The longest `stderr` line accepted.
    static let maximumStderrLineLength = 64 * 1024 * 1024
    /// The most `stderr` lines accepted.
    static let maximumStderrLines = 1_000_000

    /// `flood BYTES`: exactly BYTES bytes of "xxx…x\n" lines of 64 bytes; if BYTES is not a
    /// multiple of 64 the last line is shorter (and still ends in "\n"). Never reads stdin.
    static func flood(_ arguments: [String]) -> Never {
        Usage.expect(arguments, count: 1, "flood")
        var remaining = Usage.integer(arguments[0], "BYTES", in: 0...Int.max)
        var line = [UInt8](repeating: UInt8(ascii: "x"), count: floodLineLength)
        line[floodLineLength - 1] = UInt8(ascii: "\n")
        let chunk = [[UInt8]](repeating: line, count: floodChunkSize / floodLineLength).flatMap { $0 }
        chunk.withUnsafeBytes { bytes in
            while remaining >= bytes.count {
                Output.standardOutput.writeOrExit(bytes)
                remaining -= bytes.count
            }
        }
        if remaining > 0 {
            var tail = Array(chunk[0..<remaining])
            tail[remaining - 1] = UInt8(ascii: "\n")
            tail.withUnsafeBytes { Output.standardOutput.writeOrExit($0) }
        }
        Glibc.exit(0)
    }

    /// `stderr N LENGTH`: N lines of LENGTH 'e' bytes to stderr (each line one write(2) call,
    /// retried until complete), then `done` to stdout.
    static func stderr(_ arguments: [String]) -> Never {
        Usage.expect(arguments, count: 2, "stderr")
        let count = Usage.integer(arguments[0], "N", in: 0...maximumStderrLines)
        let length = Usage.integer(arguments[1], "LENGTH", in: 0...maximumStderrLineLength)
        var line = [UInt8](repeating: UInt8(ascii: "e"), count: length + 1)
        line[length] = UInt8(ascii: "\n")
        for _ in 0..<count where !Output.standardError.write(line) {
            Glibc.exit(1)
        }
        Output.standardOutput.line("done")
        Glibc.exit(0)
    }
}
