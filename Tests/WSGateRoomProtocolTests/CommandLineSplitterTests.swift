import Testing
import WSGateCore
import WSGateRoomProtocol

/// The splitter on bytes: whole lines whatever the reads, over-long lines reported once and
/// skipped to their end, a last line without "\n", bounded buffering.
@Suite(.timeLimit(.minutes(10))) struct CommandLineSplitterTests {
    /// The pieces for `reads`, each given to `consume` in turn, then `finish`.
    private func split(_ reads: [String], limit: Int = 16) -> [String] {
        var splitter = CommandLineSplitter(maxLineBytes: limit)
        var pieces: [String] = []
        let record = { (piece: CommandLineSplitter.Piece) in
            switch piece {
            case .line(let bytes): pieces.append(String(decoding: bytes.readableBytesArray, as: UTF8.self))
            case .tooLong: pieces.append("<too long>")
            }
        }
        for read in reads {
            var buffer = ByteBuffer(string: read)
            splitter.consume(&buffer, emit: record)
            #expect(buffer.readableBytes == 0)
            #expect(splitter.bufferedBytes <= limit)
        }
        splitter.finish(emit: record)
        return pieces
    }

    @Test func linesComeWholeWhateverTheReads() {
        #expect(split(["{\"a\":1}\n{\"b\":2}\n"]) == ["{\"a\":1}", "{\"b\":2}"])
        #expect(split(["{\"a\"", ":1}\n{", "\"b\":2}", "\n"]) == ["{\"a\":1}", "{\"b\":2}"])
        #expect(split(["x\r\n", "\n"]) == ["x\r", ""])
    }

    @Test func aLastLineWithoutNewlineComesAtTheEnd() {
        #expect(split(["one\ntw", "o"]) == ["one", "two"])
        #expect(split(["one\n"]) == ["one"])
    }

    @Test func aLineOverTheLimitIsReportedOnceAndSkippedToItsEnd() {
        let long = String(repeating: "x", count: 40)
        #expect(split(["a\n" + long + "\nb\n"]) == ["a", "<too long>", "b"])
        #expect(split(["a\n", String(long.prefix(10)), String(long.dropFirst(10)), "\nb\n"]) == ["a", "<too long>", "b"])
        #expect(split([long]) == ["<too long>"], "an unfinished long line is not a line at the end either")
    }

    @Test func aLineOfExactlyTheLimitIsALine() {
        let exact = String(repeating: "y", count: 16)
        #expect(split([String(exact.prefix(9)), String(exact.dropFirst(9)) + "\n"]) == [exact])
        #expect(split([exact + "z\n"]) == ["<too long>"])
    }
}
