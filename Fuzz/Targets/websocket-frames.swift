import WSGateCore
import WSGateWebSocket

/// The client-frame pipeline (frame decoder → message assembler, UTF-8 checked as it arrives):
/// the same messages and the same error however the bytes are cut; never more payload out
/// than came in; every message it yields, encoded again, decodes to itself; and the message
/// streamer's parts, joined, are the assembler's messages, with the same error.
struct FramesOutcome: Equatable {
    var messages: [WebSocketMessageEvent] = []
    var error: WebSocketError?
    var payloadBytes = 0
}

/// Joins a streamer's parts into the messages an assembler makes.
struct PartJoiner {
    var opcode: WebSocketOpcode?
    var payload = ByteBuffer()

    mutating func take(_ event: WebSocketStreamEvent) -> WebSocketMessageEvent? {
        switch event {
        case .control(let control):
            return control
        case .part(.start(let opcode)):
            FuzzCheck.require(self.opcode == nil, "a start inside a message")
            self.opcode = opcode
            return nil
        case .part(.bytes(let bytes)):
            FuzzCheck.require(opcode != nil && bytes.readableBytes > 0, "bytes outside a message, or empty")
            payload.writeBuffer(bytes)
            return nil
        case .part(.end):
            guard let opcode else {
                FuzzCheck.require(false, "an end outside a message")
                return nil
            }
            let message = WebSocketMessageEvent.message(opcode: opcode, payload: payload)
            self.opcode = nil
            payload = ByteBuffer()
            return message
        }
    }
}

/// The same input through decoder → streamer, parts joined.
func streamFrames(_ input: [UInt8]) -> FramesOutcome {
    var decoder = WebSocketFrameDecoder(role: .server, maxPayloadLength: UInt64(frameLimit))
    var streamer = WebSocketMessageStreamer(maxMessageLength: UInt64(frameLimit))
    var joiner = PartJoiner()
    var buffer = ByteBuffer(bytes: input)
    var outcome = FramesOutcome()
    do {
        while let event = try decoder.next(&buffer) {
            guard let streamed = try streamer.receive(event), let message = joiner.take(streamed) else { continue }
            if case .message(_, let payload) = message { outcome.payloadBytes += payload.readableBytes }
            outcome.messages.append(message)
        }
    } catch {
        outcome.error = error
    }
    return outcome
}

let frameLimit = 1 << 16

func decodeFrames(_ pieces: [ArraySlice<UInt8>]) -> FramesOutcome {
    var decoder = WebSocketFrameDecoder(role: .server, maxPayloadLength: UInt64(frameLimit))
    var assembler = WebSocketMessageAssembler(maxMessageLength: frameLimit)
    var buffer = ByteBuffer()
    var outcome = FramesOutcome()
    for piece in pieces {
        buffer.writeBytes(piece)
        do {
            while let event = try decoder.next(&buffer) {
                guard let message = try assembler.receive(event) else { continue }
                if case .message(_, let payload) = message { outcome.payloadBytes += payload.readableBytes }
                outcome.messages.append(message)
            }
        } catch {
            outcome.error = error
            return outcome
        }
        buffer.discardReadBytes()
    }
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebSocketFrames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    let whole = FuzzCheck.sameWholeAndInPieces(input, decodeFrames)
    FuzzCheck.require(whole.payloadBytes <= input.count, "\(whole.payloadBytes) payload bytes out of \(input.count) in")
    let streamed = streamFrames(Array(input))
    FuzzCheck.require(streamed == whole, "streamed \(streamed) but assembled \(whole)")
    for message in whole.messages {
        let again = decodeFrames([encodeAsClient(message)[...]])
        FuzzCheck.require(again.error == nil && again.messages == [message], "\(message) re-encoded decodes to \(again)")
    }
    return 0
}
