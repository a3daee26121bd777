import WSGateCore
import WSGateTestSupport
import WSGateWebSocket

/// What a decoder + streamer pipeline made of some input, independent of how it was cut:
/// adjacent `.bytes` parts are merged into one.
struct StreamedOutcome: Equatable, CustomStringConvertible {
    var events: [WebSocketStreamEvent] = []
    var error: WebSocketError?

    var description: String { "StreamedOutcome(events: \(events), error: \(String(describing: error)))" }

    /// The bytes the parts carried, all messages joined.
    var passedBytes: [UInt8] {
        events.flatMap { event -> [UInt8] in
            if case .part(.bytes(let bytes)) = event { return bytes.readableBytesArray }
            return []
        }
    }
}

/// Runs `WebSocketFrameDecoder` → `WebSocketMessageStreamer` over input fed in pieces.
///
/// Why it exists: the streamer's output must not depend on how TCP chops the stream, except
/// for where its `.bytes` parts are cut; these helpers feed any cut and merge the parts.
enum StreamerFeeding {
    /// Feeds `pieces` one after another into a fresh pipeline; stops at the first error.
    static func feed(_ pieces: [[UInt8]], maxMessageLength: UInt64 = .max) -> StreamedOutcome {
        var decoder = WebSocketFrameDecoder(role: .server, maxPayloadLength: maxMessageLength)
        var streamer = WebSocketMessageStreamer(maxMessageLength: maxMessageLength)
        var input = ByteBuffer()
        var outcome = StreamedOutcome()
        for piece in pieces {
            input.writeBytes(piece)
            do throws(WebSocketError) {
                while let frame = try decoder.next(&input) {
                    guard let event = try streamer.receive(frame) else { continue }
                    append(event, to: &outcome.events)
                }
            } catch {
                outcome.error = error
                return outcome
            }
        }
        return outcome
    }

    /// `input` cut at `cuts` (sorted offsets).
    static func pieces(_ input: [UInt8], cutAt cuts: [Int]) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var start = 0
        for cut in cuts where cut > start && cut < input.count {
            pieces.append(Array(input[start..<cut]))
            start = cut
        }
        pieces.append(Array(input[start...]))
        return pieces
    }

    private static func append(_ event: WebSocketStreamEvent, to events: inout [WebSocketStreamEvent]) {
        if case .part(.bytes(let more)) = event, case .part(.bytes(var earlier))? = events.last {
            earlier.writeBuffer(more)
            events[events.count - 1] = .part(.bytes(earlier))
        } else {
            events.append(event)
        }
    }
}

/// A small deterministic generator (xorshift64*), so a failing random case can be repeated.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
