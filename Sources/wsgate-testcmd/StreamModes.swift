import Glibc

/// The modes that move stdin to stdout (`echo`, `cat`) or refuse to read it (`sink`).
///
/// They exist to exercise wsgate's relay in both directions, including backpressure: none of
/// them holds more than one read(2) chunk, so a slow reader of stdout stalls their stdin.
enum StreamModes {
    /// `echo`: every line back unchanged. Same bytes as `cat`, but each complete line goes out in
    /// its own write(2) (a partial line is written as soon as it is read, never held back).
    static func echo(_ arguments: [String]) -> Never {
        Usage.expect(arguments, count: 0, "echo")
        echoUntilEndOfInput()
        Glibc.exit(0)
    }

    /// `cat`: stdin to stdout in the chunks read(2) returns.
    static func cat(_ arguments: [String]) -> Never {
        Usage.expect(arguments, count: 0, "cat")
        StandardInput.forEachChunk { Output.standardOutput.writeOrExit($0) }
        Glibc.exit(0)
    }

    /// `sink`: never reads stdin, so whatever is written to it piles up in the pipe.
    static func sink(_ arguments: [String]) -> Never {
        Usage.expect(arguments, count: 0, "sink")
        Pause.forever()
    }

    /// The echo loop, shared with `pgid`: returns at EOF on stdin.
    static func echoUntilEndOfInput() {
        StandardInput.forEachChunk { chunk in
            var start = 0
            for index in chunk.indices where chunk[index] == UInt8(ascii: "\n") {
                Output.standardOutput.writeOrExit(UnsafeRawBufferPointer(rebasing: chunk[start...index]))
                start = index + 1
            }
            if start < chunk.count {
                Output.standardOutput.writeOrExit(UnsafeRawBufferPointer(rebasing: chunk[start...]))
            }
        }
    }
}
