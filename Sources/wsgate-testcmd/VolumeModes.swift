import Glibc

/// The modes that write a lot: `flood` and `fill-pipe` (stdout) and `stderr`.
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

    /// How long `fill-pipe` waits for room before it concludes the reader stopped.
    static let fillPipeStallMilliseconds: Int32 = 1000

    /// `fill-pipe [--stderr] LENGTH FILE`: lines of LENGTH bytes, "\n" included, each starting
    /// with its number ("0000000001 xxx…"), written to a non-blocking stdout (stderr with
    /// `--stderr`) until no room came for a second (the reader stopped reading); then the
    /// number of lines written goes to FILE and the program exits 0 with its last lines still
    /// in the pipe.
    static func fillPipe(_ arguments: [String]) -> Never {
        let toStderr = arguments.first == "--stderr"
        let arguments = toStderr ? Array(arguments.dropFirst()) : arguments
        Usage.expect(arguments, count: 2, "fill-pipe")
        let length = Usage.integer(arguments[0], "LENGTH", in: 12...4096)  // ≤ PIPE_BUF: whole lines only
        let output = toStderr ? STDERR_FILENO : STDOUT_FILENO
        _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
        var count = 0
        while true {
            let number = String(count + 1)
            var line = Array((String(repeating: "0", count: max(0, 10 - number.count)) + number + " ").utf8)
            line += [UInt8](repeating: UInt8(ascii: "x"), count: length - line.count - 1) + [UInt8(ascii: "\n")]
            let written = line.withUnsafeBytes { Glibc.write(output, $0.baseAddress, $0.count) }
            if written == line.count {
                count += 1
                continue
            }
            guard written < 0, errno == EAGAIN || errno == EINTR else { Glibc.exit(1) }
            var poller = pollfd(fd: output, events: Int16(POLLOUT), revents: 0)
            if poll(&poller, 1, fillPipeStallMilliseconds) == 0 { break }
        }
        // Written aside, then renamed: whoever sees FILE sees the whole count.
        let partial = arguments[1] + ".partial"
        let file = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard file >= 0, Output(descriptor: file).write("\(count)\n") else { Glibc.exit(1) }
        close(file)
        Glibc.exit(rename(partial, arguments[1]) == 0 ? 0 : 1)
    }
}
