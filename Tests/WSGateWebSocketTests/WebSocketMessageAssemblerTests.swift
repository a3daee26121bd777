import Testing
import WSGateCore
import WSGateTestSupport
import WSGateWebSocket

@Suite(.timeLimit(.minutes(10))) struct WebSocketMessageAssemblerTests {
    // MARK: Declared lengths are promises, not bytes

    /// Without a limit, a frame declaring 2^63−1 bytes whose payload arrives in pieces: the
    /// message buffer grows with what arrived (it once tried to allocate the declared size).
    @Test func aHugeDeclaredLengthReservesOnlyWhatArrivesAndABoundedMargin() throws {
        var assembler = WebSocketMessageAssembler(maxMessageLength: Int.max)
        let header = WebSocketFrameHeader(fin: true, opcode: .binary, maskingKey: nil, payloadLength: UInt64(Int64.max))
        #expect(try assembler.receive(.dataHeader(header)) == nil)
        for piece in 0..<4 {
            #expect(try assembler.receive(.dataPayload(buf([UInt8](repeating: UInt8(piece), count: 3)))) == nil)
        }
        #expect(assembler.bufferedBytes == 12)
        #expect(assembler.bufferedCapacity <= 12 + WebSocketMessageAssembler.maxReservationAhead + 64)
    }

    // MARK: Fragmentation (§5.4)

    @Test func fragmentedTextIsJoined() {
        let outcome = DecoderVerifier.verify(FrameBytes.text("Hel", fin: false) + FrameBytes.continuation(Array("lo".utf8)))
        #expect(outcome.messages == [.message(opcode: .text, payload: buf("Hello"))])
        #expect(outcome.error == nil)
    }

    @Test func controlFramesBetweenFragmentsComeOutFirst() {
        let input = FrameBytes.binary([1], fin: false) + FrameBytes.frame(.ping, [7])
            + FrameBytes.continuation([2], fin: false) + FrameBytes.frame(.pong, [8])
            + FrameBytes.continuation([3]) + FrameBytes.text("after")
        let outcome = DecoderVerifier.verify(input)
        #expect(outcome.messages == [.ping(buf([7])), .pong(buf([8])),
                                     .message(opcode: .binary, payload: buf([1, 2, 3])),
                                     .message(opcode: .text, payload: buf("after"))])
    }

    @Test func closeBetweenFragmentsIsDelivered() {
        let outcome = DecoderVerifier.verify(FrameBytes.text("a", fin: false) + FrameBytes.close(code: 1000))
        #expect(outcome.messages == [.close(code: .normalClosure, reason: "")])
    }

    @Test func emptyFragments() {
        let input = FrameBytes.text("", fin: false) + FrameBytes.continuation([], fin: false) + FrameBytes.continuation([])
        #expect(DecoderVerifier.verify(input).messages == [.message(opcode: .text, payload: buf([]))])
    }

    @Test func continuationWithoutAMessageFails() {
        let alone = DecoderVerifier.verify(FrameBytes.continuation(Array("x".utf8)))
        #expect(alone.error == .unexpectedContinuation)
        #expect(alone.error?.closeCode == .protocolError)
        let afterComplete = DecoderVerifier.verify(FrameBytes.text("done") + FrameBytes.continuation([1]))
        #expect(afterComplete.messages == [.message(opcode: .text, payload: buf("done"))])
        #expect(afterComplete.error == .unexpectedContinuation)
    }

    @Test(arguments: [WebSocketOpcode.text, .binary])
    func newMessageDuringAFragmentedOneFails(_ opcode: WebSocketOpcode) {
        let outcome = DecoderVerifier.verify(FrameBytes.binary([1], fin: false) + FrameBytes.frame(opcode, [2]))
        #expect(outcome.error == .expectedContinuation(opcode))
        #expect(outcome.error?.closeCode == .protocolError)
        #expect(outcome.messages == [])
    }

    // MARK: UTF-8 (§8.1)

    @Test func utf8CharacterSplitAcrossFragmentsIsValid() {
        let kosme = Array("κόσμε".utf8)
        for cut in 0 ... kosme.count {
            let input = FrameBytes.frame(fin: false, .text, Array(kosme[..<cut])) + FrameBytes.continuation(Array(kosme[cut...]))
            #expect(DecoderVerifier.verify(input).messages == [.message(opcode: .text, payload: buf("κόσμε"))], "cut \(cut)")
        }
    }

    @Test func textEndingInsideACharacterFails() {
        let outcome = DecoderVerifier.verify(FrameBytes.frame(.text, [0x41, 0xCE]))
        #expect(outcome.error == .incompleteUTF8)
        #expect(outcome.error?.closeCode == .invalidFramePayloadData)
        let fragmented = DecoderVerifier.verify(FrameBytes.frame(fin: false, .text, [0xCE]) + FrameBytes.continuation([]))
        #expect(fragmented.error == .incompleteUTF8)
    }

    @Test func binaryIsNotValidated() {
        let outcome = DecoderVerifier.verify(FrameBytes.binary([0xFF, 0xC0, 0xED, 0xA0, 0x80]))
        #expect(outcome.messages == [.message(opcode: .binary, payload: buf([0xFF, 0xC0, 0xED, 0xA0, 0x80]))])
    }

    /// Autobahn 6.4.x: the first bytes of a text frame contain an impossible byte; the rest of
    /// the frame has not been sent. The failure must happen now, not when the frame completes.
    @Test func invalidUTF8FailsInsideAnIncompleteFrame() {
        let kosme: [UInt8] = [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5]
        let payload = kosme + [0xF4, 0x90, 0x80, 0x80] + Array("edited".utf8)
        let frame = FrameBytes.frame(.text, payload)
        let headerLength = 6
        let badByte = headerLength + 12 // the 0x90 after F4
        // Only the frame up to and including the bad byte has arrived.
        let outcome = DecoderVerifier.verify(Array(frame[...badByte]))
        #expect(outcome.error == .invalidUTF8)
        #expect(outcome.error?.closeCode == .invalidFramePayloadData)
        // Fed one byte at a time, the error comes with exactly that byte.
        let run = DecoderVerifier.feed(pieces: frame.map { [$0] })
        #expect(run.error == .invalidUTF8)
        #expect(run.eventsPerPiece.count == badByte + 1)
        // Up to the byte before, nothing was wrong.
        let before = DecoderVerifier.verify(Array(frame[..<badByte]))
        #expect(before.error == nil)
    }

    @Test func invalidUTF8InALaterFragmentFailsAtItsFirstByte() {
        let input = FrameBytes.frame(fin: false, .text, [0x61, 0xCE]) + FrameBytes.continuation([0x41, 0x42, 0x43])
        let run = DecoderVerifier.feed(pieces: input.map { [$0] })
        #expect(run.error == .invalidUTF8)
        #expect(run.eventsPerPiece.count == 8 + 6 + 1) // first frame, next header, then the 0x41
        #expect(DecoderVerifier.verify(input).error == .invalidUTF8)
    }

    // MARK: Size limit

    @Test func messageOverTheLimitFailsAtTheHeaderBeforeBuffering() {
        let outcome = DecoderVerifier.verify(FrameBytes.binary([UInt8](repeating: 1, count: 11)), maxMessageLength: 10)
        #expect(outcome.error == .messageTooBig(limit: 10))
        #expect(outcome.error?.closeCode == .messageTooBig)
        #expect(outcome.frameEvents == [.dataHeader(clientHeader(.binary, length: 11))])
        let exact = DecoderVerifier.verify(FrameBytes.binary([UInt8](repeating: 1, count: 10)), maxMessageLength: 10)
        #expect(exact.error == nil)
    }

    @Test func fragmentedMessageOverTheLimitFailsAtTheFragmentThatExceedsIt() {
        let input = FrameBytes.binary([UInt8](repeating: 1, count: 6), fin: false)
            + FrameBytes.continuation([UInt8](repeating: 2, count: 5))
        let outcome = DecoderVerifier.verify(input, maxMessageLength: 10)
        #expect(outcome.error == .messageTooBig(limit: 10))
        #expect(outcome.frameEvents == dataFrameEvents(fin: false, .binary, [UInt8](repeating: 1, count: 6))
            + [.dataHeader(clientHeader(.continuation, length: 5))])
        let fits = DecoderVerifier.verify(FrameBytes.binary([1, 1, 1, 1, 1, 1], fin: false) + FrameBytes.continuation([2, 2, 2, 2]),
                                          maxMessageLength: 10)
        #expect(fits.messages == [.message(opcode: .binary, payload: buf([1, 1, 1, 1, 1, 1, 2, 2, 2, 2]))])
    }

    /// The limit is enforced on the header's announced length: the throw comes with the
    /// header event, before any payload of the frame is handed over.
    @Test func sizeIsCheckedAtTheHeaderEvent() throws {
        var single = WebSocketMessageAssembler(maxMessageLength: 10)
        #expect(throws: WebSocketError.messageTooBig(limit: 10)) {
            try single.receive(.dataHeader(clientHeader(.binary, length: 11)))
        }
        var fragmented = WebSocketMessageAssembler(maxMessageLength: 10)
        #expect(try fragmented.receive(.dataHeader(clientHeader(fin: false, .text, length: 6))) == nil)
        #expect(try fragmented.receive(.dataPayload(buf("abcdef"))) == nil)
        #expect(try fragmented.receive(.dataEnd) == nil)
        #expect(throws: WebSocketError.messageTooBig(limit: 10)) {
            try fragmented.receive(.dataHeader(clientHeader(.continuation, length: 5)))
        }
    }

    @Test func sizeIsCheckedBeforeAppendingAChunk() {
        var assembler = WebSocketMessageAssembler(maxMessageLength: 4)
        let header = clientHeader(.binary, length: 3)
        #expect(throws: Never.self) { try assembler.receive(.dataHeader(header)) }
        // A chunk larger than the header announced (a decoder bug) still cannot overflow.
        #expect(throws: WebSocketError.messageTooBig(limit: 4)) { try assembler.receive(.dataPayload(buf([1, 2, 3, 4, 5]))) }
    }

    // MARK: Failure state

    @Test func afterADataErrorDataIsDroppedButControlFramesStillCome() throws {
        var assembler = WebSocketMessageAssembler(maxMessageLength: 100)
        #expect(throws: WebSocketError.unexpectedContinuation) {
            try assembler.receive(.dataHeader(clientHeader(.continuation, length: 1)))
        }
        #expect(try assembler.receive(.dataHeader(clientHeader(.text, length: 1))) == nil)
        #expect(try assembler.receive(.dataPayload(buf([0xFF]))) == nil)
        #expect(try assembler.receive(.dataEnd) == nil)
        #expect(try assembler.receive(.control(.ping, payload: buf([1]))) == .ping(buf([1])))
        #expect(try assembler.receive(.control(.close, payload: buf([0x03, 0xE8]))) == .close(code: .normalClosure, reason: ""))
    }

    // MARK: Copies

    @Test func singleChunkMessageIsTheDecodersSlice() throws {
        var input = ByteBuffer(bytes: FrameBytes.binary(Array(1 ... 30)))
        let payloadAddress = address(of: input) + 6
        var decoder = WebSocketFrameDecoder(role: .server, maxPayloadLength: 100)
        var assembler = WebSocketMessageAssembler(maxMessageLength: 100)
        var messages: [WebSocketMessageEvent] = []
        while let event = try decoder.next(&input) {
            if let message = try assembler.receive(event) { messages.append(message) }
        }
        guard case .message(_, let payload)? = messages.first else {
            Issue.record("no message")
            return
        }
        #expect(payload.readableBytesArray == Array(1 ... 30))
        #expect(address(of: payload) == payloadAddress)
    }

    @Test func multiChunkMessageIsJoinedInOrder() {
        let payload = (0 ..< 300).map { UInt8(truncatingIfNeeded: $0) }
        let input = FrameBytes.binary(Array(payload[..<100]), fin: false) + FrameBytes.continuation(Array(payload[100...]))
        let run = DecoderVerifier.feed(pieces: stride(from: 0, to: input.count, by: 7).map { Array(input[$0 ..< min($0 + 7, input.count)]) })
        #expect(run.messages == [.message(opcode: .binary, payload: buf(payload))])
    }
}
