import Testing
import WSGateCore
import WSGateTestSupport
import WSGateWebSocket

@Suite(.timeLimit(.minutes(10))) struct WebSocketMessageStreamerTests {
    // MARK: Parts as the bytes arrive

    @Test func aMessageIsStartBytesEnd() {
        let outcome = StreamerFeeding.feed([FrameBytes.text("hello")])
        #expect(outcome == StreamedOutcome(events: [.part(.start(.text)), .part(.bytes(buf("hello"))), .part(.end)]))
    }

    @Test func anEmptyMessageIsStartAndEnd() {
        let input = FrameBytes.binary([], fin: false) + FrameBytes.continuation([])
        #expect(StreamerFeeding.feed([input]).events == [.part(.start(.binary)), .part(.end)])
    }

    /// Each read's share of a frame goes out at once: the part does not wait for the frame.
    @Test func bytesArePassedOnBeforeTheFrameIsComplete() {
        let frame = FrameBytes.binary(Array(0..<100))
        let outcome = StreamerFeeding.feed([Array(frame[..<40])])
        #expect(outcome.events == [.part(.start(.binary)), .part(.bytes(buf(Array(0..<34))))])
        #expect(outcome.error == nil)
    }

    /// Random messages (text with multi-byte characters, binary), cut into random fragments
    /// with pings and pongs between them, fed in random pieces: always the same parts.
    @Test(arguments: 0..<40)
    func randomSplitPointsGiveTheSameParts(seed: UInt64) {
        var random = SeededGenerator(seed: seed + 1)
        var input: [UInt8] = []
        var expected: [WebSocketStreamEvent] = []
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let isText = Bool.random(using: &random)
            let payload: [UInt8] = isText
                ? Array(String(repeating: "aκ€𝄞", count: Int.random(in: 0...40, using: &random)).utf8)
                : (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            var cuts = (0..<Int.random(in: 0...3, using: &random)).map { _ in Int.random(in: 0...payload.count, using: &random) }
            cuts.sort()
            let fragments = StreamerFeeding.pieces(payload, cutAt: cuts)
            for (index, fragment) in fragments.enumerated() {
                let opcode: WebSocketOpcode = index > 0 ? .continuation : isText ? .text : .binary
                input += FrameBytes.frame(fin: index == fragments.count - 1, opcode, fragment)
                if index == 0 { expected.append(.part(.start(isText ? .text : .binary))) }
                if !fragment.isEmpty {
                    if case .part(.bytes(var earlier))? = expected.last {
                        earlier.writeBytes(fragment)
                        expected[expected.count - 1] = .part(.bytes(earlier))
                    } else {
                        expected.append(.part(.bytes(buf(fragment))))
                    }
                }
                if index == fragments.count - 1 { expected.append(.part(.end)) }
                if Int.random(in: 0..<3, using: &random) == 0 {
                    input += FrameBytes.frame(.ping, [UInt8(index)])
                    expected.append(.control(.ping(buf([UInt8(index)]))))
                }
            }
        }
        var readCuts = (0..<Int.random(in: 0...12, using: &random)).map { _ in Int.random(in: 0...input.count, using: &random) }
        readCuts.sort()
        let outcome = StreamerFeeding.feed(StreamerFeeding.pieces(input, cutAt: readCuts))
        #expect(outcome == StreamedOutcome(events: expected), "seed \(seed)")
        #expect(StreamerFeeding.feed(input.map { [$0] }) == outcome, "byte by byte, seed \(seed)")
    }

    // MARK: Control frames in a fragmented message

    @Test func aPingInTheMiddleOfAFragmentedMessageComesOutAtOnce() {
        let input = FrameBytes.text("ab", fin: false) + FrameBytes.frame(.ping, [9]) + FrameBytes.continuation(Array("cd".utf8))
        let outcome = StreamerFeeding.feed([input])
        #expect(outcome.events == [.part(.start(.text)), .part(.bytes(buf("ab"))), .control(.ping(buf([9]))),
                                   .part(.bytes(buf("cd"))), .part(.end)])
        // The ping is out before the next fragment has arrived.
        let ping = StreamerFeeding.feed([FrameBytes.text("ab", fin: false) + FrameBytes.frame(.ping, [9])])
        #expect(ping.events.last == .control(.ping(buf([9]))))
    }

    @Test func aCloseInTheMiddleOfAFragmentedMessageIsDelivered() {
        let outcome = StreamerFeeding.feed([FrameBytes.text("a", fin: false) + FrameBytes.close(code: 1000)])
        #expect(outcome.events == [.part(.start(.text)), .part(.bytes(buf("a"))), .control(.close(code: .normalClosure, reason: ""))])
    }

    // MARK: Fragmentation rules (§5.4)

    @Test func aContinuationWithoutAStartFails() {
        let outcome = StreamerFeeding.feed([FrameBytes.continuation([1])])
        #expect(outcome.events.isEmpty)
        #expect(outcome.error == .unexpectedContinuation)
        let afterEnd = StreamerFeeding.feed([FrameBytes.binary([1]) + FrameBytes.continuation([2])])
        #expect(afterEnd.events == [.part(.start(.binary)), .part(.bytes(buf([1]))), .part(.end)])
        #expect(afterEnd.error == .unexpectedContinuation)
    }

    @Test func aNewMessageInsideAFragmentedOneFails() {
        let outcome = StreamerFeeding.feed([FrameBytes.binary([1], fin: false) + FrameBytes.text("x")])
        #expect(outcome.error == .expectedContinuation(.text))
    }

    /// After a failure data is dropped, but a close still comes through (the close handshake).
    @Test func afterAFailureOnlyControlFramesComeOut() throws {
        var streamer = WebSocketMessageStreamer(maxMessageLength: .max)
        let header = WebSocketFrameHeader(fin: true, opcode: .continuation, maskingKey: nil, payloadLength: 1)
        #expect(throws: WebSocketError.unexpectedContinuation) { try streamer.receive(.dataHeader(header)) }
        #expect(try streamer.receive(.dataPayload(buf([1]))) == nil)
        let text = WebSocketFrameHeader(fin: true, opcode: .text, maskingKey: nil, payloadLength: 1)
        #expect(try streamer.receive(.dataHeader(text)) == nil)
        #expect(try streamer.receive(.control(.close, payload: buf([0x03, 0xE8]))) == .control(.close(code: .normalClosure, reason: "")))
    }

    // MARK: UTF-8 (§8.1), as the bytes arrive

    /// "€" is E2 82 AC; a frame ends after E2 82 and the next fragment starts with "A": the
    /// prefix was passed on (it was valid so far), then 1007.
    @Test func invalidUTF8AcrossAFrameBoundaryFailsAfterTheValidPrefix() {
        let input = FrameBytes.frame(fin: false, .text, [0x41, 0xE2, 0x82]) + FrameBytes.continuation([0x41])
        for cut in 0...input.count {
            let outcome = StreamerFeeding.feed(StreamerFeeding.pieces(input, cutAt: [cut]))
            #expect(outcome.error == .invalidUTF8, "cut \(cut)")
            #expect(outcome.error?.closeCode == .invalidFramePayloadData)
            #expect(outcome.events == [.part(.start(.text)), .part(.bytes(buf([0x41, 0xE2, 0x82])))], "cut \(cut)")
        }
    }

    /// Inside one frame, cut between two reads in the middle of a character: the first
    /// read's bytes are passed on, the impossible byte in the second read fails.
    @Test func invalidUTF8AcrossAReadBoundaryFailsAtTheImpossibleByte() {
        let frame = FrameBytes.frame(.text, Array("ok".utf8) + [0xF0, 0x9D, 0x41])
        let headerLength = frame.count - 5
        let outcome = StreamerFeeding.feed(StreamerFeeding.pieces(frame, cutAt: [headerLength + 4]))
        #expect(outcome.events == [.part(.start(.text)), .part(.bytes(buf(Array("ok".utf8) + [0xF0, 0x9D])))])
        #expect(outcome.error == .invalidUTF8)
    }

    @Test func invalidUTF8InTheMiddleOfABigFrameFailsBeforeTheRestArrives() {
        let payload = [UInt8](repeating: 0x61, count: 70_000) + [0xFF] + [UInt8](repeating: 0x61, count: 70_000)
        let frame = FrameBytes.frame(.text, payload)
        let outcome = StreamerFeeding.feed([Array(frame[..<(frame.count - 60_000)])])
        #expect(outcome.error == .invalidUTF8)
        #expect(outcome.passedBytes.count <= 70_000)
    }

    @Test func textEndingInsideACharacterFailsAtItsEnd() {
        let outcome = StreamerFeeding.feed([FrameBytes.frame(.text, [0x41, 0xCE])])
        #expect(outcome.events == [.part(.start(.text)), .part(.bytes(buf([0x41, 0xCE])))])
        #expect(outcome.error == .incompleteUTF8)
    }

    @Test func aCharacterSplitAcrossFragmentsIsValid() {
        let kosme = Array("κόσμε".utf8)
        for cut in 0...kosme.count {
            let input = FrameBytes.frame(fin: false, .text, Array(kosme[..<cut])) + FrameBytes.continuation(Array(kosme[cut...]))
            let outcome = StreamerFeeding.feed([input])
            #expect(outcome.error == nil, "cut \(cut)")
            #expect(outcome.passedBytes == kosme, "cut \(cut)")
        }
    }

    @Test func binaryIsNotValidated() {
        let outcome = StreamerFeeding.feed([FrameBytes.binary([0xFF, 0xC0])])
        #expect(outcome.error == nil)
        #expect(outcome.passedBytes == [0xFF, 0xC0])
    }

    // MARK: The size limit (1009)

    /// A limit counts the whole message: the fragment that would pass it is refused at its
    /// header, after the earlier fragments were passed on.
    @Test func aLimitIsCheckedAcrossFragmentsAtEachHeader() {
        let input = FrameBytes.binary([UInt8](repeating: 1, count: 6), fin: false) + FrameBytes.continuation([2, 2, 2, 2, 2])
        let outcome = StreamerFeeding.feed([input], maxMessageLength: 10)
        #expect(outcome.error == .messageTooBig(limit: 10))
        #expect(outcome.error?.closeCode == .messageTooBig)
        #expect(outcome.passedBytes == [UInt8](repeating: 1, count: 6))
        let exact = StreamerFeeding.feed([FrameBytes.binary([1, 1, 1, 1, 1], fin: false) + FrameBytes.continuation([2, 2, 2, 2, 2])],
                                         maxMessageLength: 10)
        #expect(exact.error == nil)
        #expect(exact.events.last == .part(.end))
    }

    /// The limit starts again with each message.
    @Test func theLimitIsPerMessage() {
        let input = FrameBytes.binary([1, 1, 1]) + FrameBytes.binary([2, 2, 2])
        #expect(StreamerFeeding.feed([input], maxMessageLength: 4).error == nil)
    }

    /// Without a limit a frame may declare 2^63−1 bytes: what arrives is passed on and
    /// nothing is held.
    @Test func withoutALimitAHugeDeclaredFramePassesThrough() throws {
        var streamer = WebSocketMessageStreamer(maxMessageLength: .max)
        let header = WebSocketFrameHeader(fin: true, opcode: .binary, maskingKey: nil, payloadLength: UInt64(Int64.max))
        #expect(try streamer.receive(.dataHeader(header)) == .part(.start(.binary)))
        for _ in 0..<3 {
            #expect(try streamer.receive(.dataPayload(buf([1, 2]))) == .part(.bytes(buf([1, 2]))))
        }
        #expect(streamer.messageLength == 6)
        #expect(streamer.frameRemaining == UInt64(Int64.max) - 6)
    }
}
