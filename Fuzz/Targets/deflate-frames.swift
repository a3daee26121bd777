import WSGateCompression
import WSGateCore
import WSGateWebSocket

/// The client-frame pipeline with permessage-deflate (frame decoder with RSV1 allowed →
/// inflation → message assembler): the same messages and the same error however the bytes
/// are cut and however often inflation is asked to wait; never a message above the limit
/// (1009 instead); and every message it yields, compressed and sent again, decodes to itself.
struct DeflateFramesOutcome: Equatable {
    var messages: [WebSocketMessageEvent] = []
    var error: WebSocketError?
}

let deflateFrameLimit = 1 << 16

/// Feeds `pieces` as reads; with `pausing`, every event is first asked for with output held
/// back and no new bytes, as a session whose backend is full does.
func inflateFrames(_ pieces: [ArraySlice<UInt8>], pausing: Bool = false) -> DeflateFramesOutcome {
    var decoder = WebSocketFrameDecoder(role: .server, maxPayloadLength: UInt64(deflateFrameLimit), allowsCompressedMessages: true)
    var reader = PerMessageDeflateReader(windowBits: 15, noContextTakeover: false)
    var assembler = WebSocketMessageAssembler(maxMessageLength: deflateFrameLimit)
    var buffer = ByteBuffer()
    var outcome = DeflateFramesOutcome()
    for piece in pieces {
        buffer.writeBytes(piece)
        do {
            while true {
                if pausing {
                    var nothing = ByteBuffer()
                    if let held = try reader.next(from: &decoder, &nothing, produceOutput: false) {
                        if case .dataPayload = held { FuzzCheck.require(false, "payload came out while output was held back") }
                        if let message = try assembler.receive(held) { outcome.messages.append(message) }
                        continue
                    }
                }
                guard let event = try reader.next(from: &decoder, &buffer, produceOutput: true) else { break }
                guard let message = try assembler.receive(event) else { continue }
                if case .message(_, let payload) = message {
                    FuzzCheck.require(payload.readableBytes <= deflateFrameLimit, "a message of \(payload.readableBytes) bytes")
                }
                outcome.messages.append(message)
            }
        } catch {
            reader.stop()
            outcome.error = error
            return outcome
        }
        buffer.discardReadBytes()
    }
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeflateFrames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(FuzzCheck.input(data, size))
    let whole = FuzzCheck.sameWholeAndInPieces(input) { inflateFrames($0) }
    let paused = inflateFrames(FuzzCheck.pieces(of: input), pausing: true)
    FuzzCheck.require(paused == whole, "paused \(paused) but straight \(whole)")
    let deflater = MessageDeflater(windowBits: 15, noContextTakeover: false)
    let again = inflateFrames([whole.messages.flatMap { encodeAsClient($0, deflater: deflater) }[...]])
    FuzzCheck.require(again.error == nil && again.messages == whole.messages, "recompressed: \(again), first: \(whole)")
    return 0
}
