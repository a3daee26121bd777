import Testing
import WSGateCore
import WSGateTestSupport
import WSGateWebSocket

@Suite(.timeLimit(.minutes(10))) struct WebSocketFrameDecoderTests {
    // MARK: RFC 6455 §5.7 examples

    @Test func rfcMaskedTextFromClient() {
        let input: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        let outcome = DecoderVerifier.verify(input)
        #expect(outcome.frameEvents == dataFrameEvents(.text, Array("Hello".utf8)))
        #expect(outcome.messages == [.message(opcode: .text, payload: buf("Hello"))])
        #expect(outcome.error == nil)
        #expect(outcome.unconsumedBytes == 0)
    }

    @Test func rfcUnmaskedTextInClientRole() {
        let outcome = DecoderVerifier.verify([0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F], role: .client)
        #expect(outcome.frameEvents == dataFrameEvents(.text, Array("Hello".utf8), key: nil))
        #expect(outcome.messages == [.message(opcode: .text, payload: buf("Hello"))])
    }

    @Test func rfcFragmentedUnmaskedTextInClientRole() {
        let outcome = DecoderVerifier.verify([0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F], role: .client)
        #expect(outcome.frameEvents
            == dataFrameEvents(fin: false, .text, Array("Hel".utf8), key: nil) + dataFrameEvents(.continuation, Array("lo".utf8), key: nil))
        #expect(outcome.messages == [.message(opcode: .text, payload: buf("Hello"))])
    }

    @Test func rfcPingUnmaskedAndPongMasked() {
        let ping = DecoderVerifier.verify([0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F], role: .client)
        #expect(ping.frameEvents == [.control(.ping, payload: buf("Hello"))])
        #expect(ping.messages == [.ping(buf("Hello"))])
        let pong = DecoderVerifier.verify([0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
        #expect(pong.frameEvents == [.control(.pong, payload: buf("Hello"))])
        #expect(pong.messages == [.pong(buf("Hello"))])
    }

    // MARK: Lengths

    @Test func emptyDataFrameGivesHeaderAndEnd() {
        let outcome = DecoderVerifier.verify(FrameBytes.binary([]))
        #expect(outcome.frameEvents == [.dataHeader(clientHeader(.binary, length: 0)), .dataEnd])
        #expect(outcome.messages == [.message(opcode: .binary, payload: buf([]))])
    }

    @Test func emptyControlFrames() {
        let outcome = DecoderVerifier.verify(FrameBytes.frame(.ping, []) + FrameBytes.frame(.pong, []))
        #expect(outcome.frameEvents == [.control(.ping, payload: buf([])), .control(.pong, payload: buf([]))])
        #expect(outcome.messages == [.ping(buf([])), .pong(buf([]))])
    }

    @Test(arguments: [1, 125, 126, 127, 1000, 65535, 65536])
    func minimalLengthEncodings(_ length: Int) {
        let payload = (0 ..< length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let input = FrameBytes.binary(payload)
        let outcome = DecoderVerifier.verify(input, splitStride: max(1, length / 40))
        #expect(outcome.frameEvents == dataFrameEvents(.binary, payload))
        #expect(outcome.messages == [.message(opcode: .binary, payload: buf(payload))])
    }

    @Test(arguments: [FrameBytes.LengthEncoding.sixteenBit, .sixtyFourBit])
    func nonMinimalLengthEncodingsAreAccepted(_ encoding: FrameBytes.LengthEncoding) {
        let input = FrameBytes.frame(.text, Array("Hello".utf8), lengthEncoding: encoding)
        #expect(input.count == (encoding == .sixteenBit ? 13 : 19))
        let outcome = DecoderVerifier.verify(input)
        #expect(outcome.frameEvents == dataFrameEvents(.text, Array("Hello".utf8)))
        #expect(outcome.error == nil)
        let empty = DecoderVerifier.verify(FrameBytes.frame(.binary, [], lengthEncoding: encoding))
        #expect(empty.frameEvents == dataFrameEvents(.binary, []))
        // A control frame's length can only be in the 7-bit field (§5.5 and the minimal
        // encoding rule of §5.2), so an extended length is refused even when it is small.
        let ping = DecoderVerifier.verify(FrameBytes.frame(.ping, [], lengthEncoding: encoding))
        #expect(ping.error == .controlFrameTooLong(.ping))
    }

    @Test func controlFrameOf125BytesIsAccepted() {
        let payload = [UInt8](repeating: 0x2A, count: 125)
        let outcome = DecoderVerifier.verify(FrameBytes.frame(.ping, payload))
        #expect(outcome.messages == [.ping(buf(payload))])
    }

    // MARK: Header rules (each must fail with the header alone, before any payload)

    @Test(arguments: UInt8(1) ... 7)
    func reservedBitsFail(_ rsv: UInt8) {
        for opcode in [WebSocketOpcode.text, .binary, .continuation, .ping, .close] {
            let outcome = DecoderVerifier.verify(FrameBytes.frame(rsv: rsv, opcode: opcode.rawValue, payload: Array("Hello".utf8)))
            #expect(outcome == DecoderOutcome(error: .reservedBitsSet(rsv), unconsumedBytes: nil), "\(opcode)")
            #expect(outcome.error?.closeCode == .protocolError)
        }
    }

    @Test(arguments: [UInt8(3), 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF])
    func unknownOpcodesFail(_ opcode: UInt8) {
        let outcome = DecoderVerifier.verify(FrameBytes.frame(opcode: opcode, payload: [1, 2, 3]))
        #expect(outcome == DecoderOutcome(error: .unknownOpcode(opcode), unconsumedBytes: nil))
        #expect(outcome.error?.closeCode == .protocolError)
    }

    @Test(arguments: [WebSocketOpcode.ping, .pong, .close])
    func fragmentedControlFramesFail(_ opcode: WebSocketOpcode) {
        let outcome = DecoderVerifier.verify(FrameBytes.frame(fin: false, opcode, [0x03, 0xE8]))
        #expect(outcome == DecoderOutcome(error: .fragmentedControlFrame(opcode), unconsumedBytes: nil))
    }

    @Test(arguments: [WebSocketOpcode.ping, .pong, .close])
    func controlFramesLongerThan125BytesFail(_ opcode: WebSocketOpcode) {
        let payload = [UInt8](repeating: 0x2A, count: 126)
        let expected = DecoderOutcome(error: .controlFrameTooLong(opcode), unconsumedBytes: nil)
        #expect(DecoderVerifier.verify(FrameBytes.frame(opcode, payload)) == expected)
        // Known from the 7-bit length marker alone (126 or 127), before the extended length.
        #expect(DecoderVerifier.verify(Array(FrameBytes.frame(opcode, payload)[..<2])) == expected)
        #expect(DecoderVerifier.verify(FrameBytes.header(opcode: opcode.rawValue, declaredLength: 5, lengthEncoding: .sixtyFourBit)[..<2].map { $0 })
            == expected)
    }

    @Test func unmaskedFrameFromClientFails() {
        for frame in [FrameBytes.frame(.text, Array("Hello".utf8), maskingKey: nil), FrameBytes.frame(.ping, [], maskingKey: nil)] {
            let outcome = DecoderVerifier.verify(frame)
            #expect(outcome == DecoderOutcome(error: .unmaskedFrame, unconsumedBytes: nil))
            #expect(outcome.error?.closeCode == .protocolError)
        }
    }

    @Test func maskedFrameFromServerFailsInClientRole() {
        let outcome = DecoderVerifier.verify(FrameBytes.text("Hello"), role: .client)
        #expect(outcome == DecoderOutcome(error: .maskedFrame, unconsumedBytes: nil))
    }

    @Test func sixtyFourBitLengthWithTopBitSetFails() {
        let header = FrameBytes.header(opcode: 2, declaredLength: 1 << 63, lengthEncoding: .sixtyFourBit)
        let expected = DecoderOutcome(error: .payloadLengthTooLong, unconsumedBytes: nil)
        #expect(DecoderVerifier.verify(header) == expected)
        // Fails on the first length byte, without waiting for the other seven.
        #expect(DecoderVerifier.verify(Array(header[..<3])) == expected)
        #expect(DecoderVerifier.verify(FrameBytes.header(opcode: 2, declaredLength: UInt64.max)) == expected)
    }

    @Test func frameLongerThanTheLimitFailsAtTheHeader() {
        let header = FrameBytes.header(opcode: 1, declaredLength: 101)
        let expected = DecoderOutcome(error: .frameTooBig(length: 101, limit: 100), unconsumedBytes: nil)
        #expect(DecoderVerifier.verify(header, maxPayloadLength: 100) == expected)
        #expect(DecoderVerifier.verify(header + [1, 2, 3], maxPayloadLength: 100) == expected)
        #expect(expected.error?.closeCode == .messageTooBig)
        // Huge 64-bit lengths too (nothing is allocated for them).
        let huge = FrameBytes.header(opcode: 2, declaredLength: 1 << 62)
        #expect(DecoderVerifier.verify(huge).error == .frameTooBig(length: 1 << 62, limit: 1 << 24))
    }

    @Test func frameOfExactlyTheLimitIsAccepted() {
        let payload = [UInt8](repeating: 0x41, count: 100)
        let outcome = DecoderVerifier.verify(FrameBytes.binary(payload), maxPayloadLength: 100)
        #expect(outcome.error == nil)
        #expect(outcome.messages == [.message(opcode: .binary, payload: buf(payload))])
    }

    @Test func controlFramesAreNotSubjectToTheDataLimit() {
        let outcome = DecoderVerifier.verify(FrameBytes.frame(.ping, [UInt8](repeating: 1, count: 20)), maxPayloadLength: 10)
        #expect(outcome.error == nil)
        #expect(outcome.messages == [.ping(buf([UInt8](repeating: 1, count: 20)))])
    }

    // MARK: Frame boundaries

    @Test func severalFramesInOneInput() {
        let input = FrameBytes.text("Hi") + FrameBytes.frame(.ping, [9]) + FrameBytes.binary([1, 2]) + FrameBytes.close(code: 1000)
        let outcome = DecoderVerifier.verify(input)
        #expect(outcome.frameEvents == dataFrameEvents(.text, Array("Hi".utf8)) + [.control(.ping, payload: buf([9]))]
            + dataFrameEvents(.binary, [1, 2]) + [.control(.close, payload: buf([0x03, 0xE8]))])
        #expect(outcome.messages == [.message(opcode: .text, payload: buf("Hi")), .ping(buf([9])),
                                     .message(opcode: .binary, payload: buf([1, 2])), .close(code: .normalClosure, reason: "")])
    }

    @Test func neverConsumesBytesOfTheNextFrame() {
        let next = FrameBytes.text("next")
        for partial in 1 ..< 6 {
            let outcome = DecoderVerifier.verify(FrameBytes.text("Hello") + next[..<partial])
            #expect(outcome.messages == [.message(opcode: .text, payload: buf("Hello"))])
            #expect(outcome.unconsumedBytes == partial, "partial header of \(partial) bytes stays unconsumed")
        }
    }

    @Test func incompleteControlFrameIsNotConsumed() {
        let ping = FrameBytes.frame(.ping, Array("Hello".utf8))
        for length in 1 ..< ping.count {
            let outcome = DecoderVerifier.verify(Array(ping[..<length]))
            #expect(outcome == DecoderOutcome(unconsumedBytes: length))
        }
    }

    @Test func incompleteDataFrameStreamsWhatArrived() {
        let frame = FrameBytes.binary(Array(1 ... 10))
        let outcome = DecoderVerifier.verify(Array(frame[..<10]))  // header (6) + 4 payload bytes
        #expect(outcome.frameEvents == [.dataHeader(clientHeader(.binary, length: 10)), .dataPayload(buf([1, 2, 3, 4]))])
        #expect(outcome.messages == [])
        #expect(outcome.unconsumedBytes == 0)
    }

    // MARK: Streaming and copies

    /// A 70 000-byte frame fed in 4 KiB reads comes out as one chunk per read, and nothing is
    /// left buffered in the input between reads.
    @Test func largeFrameStreamsInTheChunksItArrivesIn() {
        let payload = (0 ..< 70_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
        let input = FrameBytes.binary(payload)
        #expect(input.count == 70_014)
        let pieces = stride(from: 0, to: input.count, by: 4096).map { Array(input[$0 ..< min($0 + 4096, input.count)]) }
        let run = DecoderVerifier.feed(pieces: pieces)
        #expect(run.error == nil)
        #expect(run.unconsumedPerPiece.allSatisfy { $0 == 0 })
        var streamed: [UInt8] = []
        for (index, events) in run.eventsPerPiece.enumerated() {
            let chunks = events.compactMap { event -> ByteBuffer? in
                if case .dataPayload(let chunk) = event { return chunk }
                return nil
            }
            #expect(chunks.count == 1, "piece \(index) yields exactly one chunk")
            let expectedSize = index == 0 ? 4096 - 14 : pieces[index].count
            #expect(chunks.first?.readableBytes == expectedSize, "piece \(index)")
            streamed += chunks.flatMap(\.readableBytesArray)
        }
        #expect(streamed == payload)
        #expect(run.eventsPerPiece.last?.last == .dataEnd)
        #expect(run.messages == [.message(opcode: .binary, payload: buf(payload))])
        // And the usual every-way check, at a stride.
        let outcome = DecoderVerifier.verify(input, splitStride: 997)
        #expect(outcome.messages == run.messages)
    }

    /// When the caller owns the input buffer alone, the payload chunk is the input's own
    /// storage, unmasked in place.
    @Test func payloadIsUnmaskedInPlaceWithoutACopy() throws {
        let frame = FrameBytes.binary(Array(1 ... 20))
        var input = ByteBuffer(bytes: frame)
        let payloadAddress = address(of: input) + 6
        var decoder = WebSocketFrameDecoder(role: .server, maxPayloadLength: 100)
        #expect(try decoder.next(&input) == .dataHeader(clientHeader(.binary, length: 20)))
        let event = try decoder.next(&input)
        guard case .dataPayload(let chunk)? = event else {
            Issue.record("expected a payload chunk, got \(String(describing: event))")
            return
        }
        #expect(chunk.readableBytesArray == Array(1 ... 20))
        #expect(address(of: chunk) == payloadAddress)
        #expect(try decoder.next(&input) == .dataEnd)
        #expect(try decoder.next(&input) == nil)
    }

    /// When an earlier chunk still shares the input, only the new chunk is copied (not the
    /// rest of the input, which stays where it was).
    @Test func sharedInputCopiesOnlyTheChunk() throws {
        let input0 = FrameBytes.binary([1, 2, 3]) + FrameBytes.binary([4, 5, 6]) + FrameBytes.binary([7, 8, 9])
        var input = ByteBuffer(bytes: input0)
        var decoder = WebSocketFrameDecoder(role: .server, maxPayloadLength: 100)
        var kept: [ByteBuffer] = []
        while true {
            let before = address(of: input)
            guard let event = try decoder.next(&input) else { break }
            if case .dataPayload(let chunk) = event {
                // The input was not moved (copied) to unmask this chunk: it was only advanced.
                #expect(address(of: input) == before + UInt(chunk.readableBytes))
                kept.append(chunk)
            }
        }
        #expect(kept.map(\.readableBytesArray) == [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        #expect(input.readableBytes == 0)
    }

    // MARK: After a failure

    @Test func failedDecoderRethrowsOnMoreBytesAndDiscardsThem() {
        var decoder = WebSocketFrameDecoder(role: .server, maxPayloadLength: 100)
        var input = ByteBuffer(bytes: FrameBytes.frame(rsv: 4, opcode: 1, payload: [1]) + FrameBytes.text("ok"))
        #expect(throws: WebSocketError.reservedBitsSet(4)) { try decoder.next(&input) }
        #expect(input.readableBytes == 0)
        #expect(throws: Never.self) { try decoder.next(&input) }
        input.writeBytes(FrameBytes.close(code: 1000))
        #expect(throws: WebSocketError.reservedBitsSet(4)) { try decoder.next(&input) }
        #expect(input.readableBytes == 0)
    }
}
