import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Line mode both ways (docs/behaviour.md, 'Line framing'): the same program output gives the
/// same messages, the same client messages give the program the same lines, except where
/// wsgate is (better).
/// How each connection ends is compared in DifferentialLifecycleTests.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websocketdInstalled) struct DifferentialRelayTests {
    /// `\n` and `\r\n` are stripped, a lone `\r` stays, an empty line is an empty text message.
    @Test func lineEndingsGiveTheSameTextMessages() throws {
        let both = try onBoth(command: Peer.testcmd("printf", "line1\\r\\nline2\\n\\n\\ttab\\na\\rb\\n")) { server in
            try Transcript.read(from: server.openWebSocket()).messages
        }
        #expect(both.wsgate == both.websocketd)
        #expect(both.websocketd == ["line1", "line2", "", "\ttab", "a\rb"].map(Transcript.Message.text))
    }

    /// Each client message reaches the program followed by `\n` (a message holding `\n` is
    /// several lines; `crlf\r\n` becomes `crlf\r\n\n`; an empty message an empty line), as
    /// the echoed lines show. The client's close is echoed by both.
    @Test func clientMessagesBecomeTheSameLines() throws {
        let sent = ["hello", "multi\nline", "crlf\r\n", ""]
        let expected = ["hello", "multi", "line", "crlf", "", ""]
        let both = try onBoth(command: Peer.testcmd("echo")) { server in
            let client = try server.openWebSocket()
            for text in sent { try client.send(FrameBytes.text(text)) }
            let echoed = try expected.indices.map { _ in
                let message = try client.readMessage()
                return Transcript.Message(opcode: message.opcode, payload: message.payload)
            }
            try client.send(FrameBytes.close(code: 1000))
            return (echoed, try Transcript.read(from: client, answerClose: false))
        }
        #expect(both.wsgate.0 == both.websocketd.0)
        #expect(both.websocketd.0 == expected.map(Transcript.Message.text))
        #expect(both.wsgate.1 == both.websocketd.1)
        #expect(both.websocketd.1 == Transcript(messages: [], ending: .closeFrame(code: 1000, reason: "")))
    }

    /// (better) "A final unterminated line is sent when output ends": websocketd drops
    /// the final unterminated line; wsgate delivers it.
    @Test func betterTheFinalUnterminatedLineIsDeliveredByWsgateOnly() throws {
        let both = try onBoth(command: Peer.testcmd("lines", "--no-final-newline", "one", "two", "three")) { server in
            try Transcript.read(from: server.openWebSocket()).messages
        }
        #expect(both.websocketd == ["one", "two"].map(Transcript.Message.text))
        #expect(both.wsgate == both.websocketd + [.text("three")])
    }

    /// (better) "a line that is not valid UTF-8 is sent as a binary message (bytes kept,
    /// never an invalid text frame)": websocketd sends the invalid bytes in an opcode-1 frame;
    /// wsgate sends the same bytes with opcode 2. The valid lines around it are identical.
    @Test func betterAnInvalidUTF8LineIsBinaryInWsgateAndInvalidTextInWebsocketd() throws {
        let both = try onBoth(command: Peer.testcmd("printf", "ok\\n\\xff\\xfe bad\\nok again\\n")) { server in
            try Transcript.read(from: server.openWebSocket()).messages
        }
        let invalid: [UInt8] = [0xFF, 0xFE] + Array(" bad".utf8)
        #expect(both.websocketd == [.text("ok"), Transcript.Message(opcode: .text, payload: invalid), .text("ok again")])
        #expect(both.wsgate == [.text("ok"), .binary(invalid), .text("ok again")])
        #expect(both.wsgate.map(\.payload) == both.websocketd.map(\.payload))
    }

    /// "Each message received (text or binary) is written to the backend followed by `\n`"
    /// and in byte mode "each message's payload (text or binary) is written unchanged"
    /// (docs/behaviour.md, 'Line framing', 'Byte mode'). Not websocketd 0.4.1's behaviour:
    /// 0.4.1 writes a binary message in line mode raw (no `\n`) and appends `\n` to a text
    /// message in byte mode (websocketd main ignores the other type).
    @Test func bothMessageTypesAreWrittenAlikeUnlikeWebsocketd041() throws {
        let lineMode = try onBoth(command: Peer.testcmd("echo")) { server in
            let client = try server.openWebSocket()
            try client.send(FrameBytes.binary(Array("raw".utf8)))
            try client.send(FrameBytes.text("next"))
            var texts: [String] = []
            while texts.last?.hasSuffix("next") != true { texts.append(try client.readMessage().text) }
            return texts
        }
        #expect(lineMode.websocketd == ["rawnext"])
        #expect(lineMode.wsgate == ["raw", "next"])

        let byteMode = try onBoth(flags: ["--binary"], command: Peer.testcmd("cat")) { server in
            let client = try server.openWebSocket()
            try client.send(FrameBytes.text("abc"))
            try client.send(FrameBytes.binary(Array("!".utf8)))
            var bytes: [UInt8] = []
            while bytes.last != UInt8(ascii: "!") { bytes += try client.readMessage().payload }
            return bytes
        }
        #expect(byteMode.websocketd == Array("abc\n!".utf8))
        #expect(byteMode.wsgate == Array("abc!".utf8))
    }
}
