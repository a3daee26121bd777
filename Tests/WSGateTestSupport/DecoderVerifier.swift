public import Testing
import WSGateCore
public import WSGateWebSocket

/// What a decoder + assembler pipeline made of some input, in a form that does not depend on
/// how the input was split into reads.
public struct DecoderOutcome: Equatable, Sendable, CustomStringConvertible {
    /// Frame events, with adjacent payload chunks of one frame merged into one. When the run
    /// ended in an error, the payload of the frame being read at that point is left out (how
    /// much of it was read before the failure depends on the split).
    public var frameEvents: [WebSocketFrameEvent]
    /// The assembler's output, in order.
    public var messages: [WebSocketMessageEvent]
    /// The first error thrown by the decoder or the assembler; the run stops there.
    public var error: WebSocketError?
    /// Bytes left unconsumed in the input buffer at the end (nil after an error).
    public var unconsumedBytes: Int?

    public init(frameEvents: [WebSocketFrameEvent] = [], messages: [WebSocketMessageEvent] = [],
                error: WebSocketError? = nil, unconsumedBytes: Int? = 0) {
        self.frameEvents = frameEvents
        self.messages = messages
        self.error = error
        self.unconsumedBytes = unconsumedBytes
    }

    public var description: String {
        "DecoderOutcome(frames: \(frameEvents), messages: \(messages), error: \(String(describing: error)), unconsumed: \(String(describing: unconsumedBytes)))"
    }
}

/// The raw record of one run: every event as produced, grouped by the piece of input after
/// which it came out.
public struct DecoderRun: Sendable {
    /// `eventsPerPiece[i]` are the frame events produced after piece `i` was appended.
    public var eventsPerPiece: [[WebSocketFrameEvent]] = []
    /// Readable bytes left in the input buffer after each piece was processed.
    public var unconsumedPerPiece: [Int] = []
    public var messages: [WebSocketMessageEvent] = []
    public var error: WebSocketError?

    /// Every frame event, in order.
    public var frameEvents: [WebSocketFrameEvent] { eventsPerPiece.flatMap { $0 } }
}

/// Runs a `WebSocketFrameDecoder` + `WebSocketMessageAssembler` pipeline over an input fed
/// whole, one byte at a time, and split into two pieces at every position, and checks (with
/// `#expect`) that every way gives the same `DecoderOutcome`.
///
/// Why it exists: a push parser's result must not depend on how TCP chops the stream; every
/// decoder test goes through this so that property is tested for every rule.
public enum DecoderVerifier {
    /// Feeds `pieces` one after another into a fresh pipeline.
    public static func feed(
        pieces: [[UInt8]],
        role: WebSocketFrameDecoder.Role = .server,
        maxPayloadLength: UInt64 = 1 << 24,
        maxMessageLength: Int = 1 << 24
    ) -> DecoderRun {
        var decoder = WebSocketFrameDecoder(role: role, maxPayloadLength: maxPayloadLength)
        var assembler = WebSocketMessageAssembler(maxMessageLength: maxMessageLength)
        var input = ByteBuffer()
        var run = DecoderRun()
        for piece in pieces {
            input.writeBytes(piece)
            var events: [WebSocketFrameEvent] = []
            do throws(WebSocketError) {
                while let event = try decoder.next(&input) {
                    events.append(event)
                    if let message = try assembler.receive(event) {
                        run.messages.append(message)
                    }
                }
            } catch {
                run.error = error
            }
            run.eventsPerPiece.append(events)
            run.unconsumedPerPiece.append(input.readableBytes)
            if run.error != nil { break }
        }
        return run
    }

    /// The split-independent summary of a run.
    public static func outcome(of run: DecoderRun) -> DecoderOutcome {
        var merged: [WebSocketFrameEvent] = []
        for event in run.frameEvents {
            if case .dataPayload(let chunk) = event, case .dataPayload(var previous)? = merged.last {
                previous.writeBuffer(chunk)
                merged[merged.count - 1] = .dataPayload(previous)
            } else {
                merged.append(event)
            }
        }
        if run.error != nil, case .dataPayload? = merged.last {
            merged.removeLast()
        }
        return DecoderOutcome(
            frameEvents: merged,
            messages: run.messages,
            error: run.error,
            unconsumedBytes: run.error == nil ? (run.unconsumedPerPiece.last ?? 0) : nil)
    }

    /// Runs `input` whole, byte by byte, and split in two at every `splitStride`-th position
    /// (1: every position), expects every outcome to equal the whole-input one, and returns it.
    @discardableResult
    public static func verify(
        _ input: [UInt8],
        role: WebSocketFrameDecoder.Role = .server,
        maxPayloadLength: UInt64 = 1 << 24,
        maxMessageLength: Int = 1 << 24,
        splitStride: Int = 1,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> DecoderOutcome {
        func outcome(_ pieces: [[UInt8]]) -> DecoderOutcome {
            Self.outcome(of: feed(pieces: pieces, role: role, maxPayloadLength: maxPayloadLength,
                                  maxMessageLength: maxMessageLength))
        }
        let whole = outcome([input])
        let bytewise = outcome(input.map { [$0] })
        #expect(bytewise == whole, "one byte at a time differs from whole input", sourceLocation: sourceLocation)
        var split = 1
        while split < input.count {
            let result = outcome([Array(input[..<split]), Array(input[split...])])
            #expect(result == whole, "split at \(split) differs from whole input", sourceLocation: sourceLocation)
            if result != whole { break }
            split += splitStride
        }
        return whole
    }
}
