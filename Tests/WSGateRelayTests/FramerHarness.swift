import Testing
import WSGateCore
import WSGateRelay

/// A message as plain bytes, so expectations read as literals.
enum Out: Equatable, CustomStringConvertible {
    case text([UInt8])
    case binary([UInt8])

    init(_ message: LineMessage) {
        switch message {
        case .text(let bytes): self = .text(bytes.readableBytesArray)
        case .binary(let bytes): self = .binary(bytes.readableBytesArray)
        }
    }

    static func t(_ string: String) -> Out { .text(Array(string.utf8)) }

    var bytes: [UInt8] {
        switch self {
        case .text(let bytes), .binary(let bytes): return bytes
        }
    }

    var description: String {
        switch self {
        case .text(let bytes): return "text(\(String(decoding: bytes, as: UTF8.self).debugDescription))"
        case .binary(let bytes): return "binary(\(bytes))"
        }
    }
}

/// UTF-8 bytes of a string; raw bytes are concatenated with `+`.
func b(_ string: String) -> [UInt8] { Array(string.utf8) }

/// Feeds `chunks` to a fresh framer (then `finish()` if asked) and returns every message.
/// Checks on the way that each `consume` empties its input and that the framer never holds
/// more than its limit.
func frame(
    _ chunks: [ArraySlice<UInt8>], max: Int, finish: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
) -> [Out] {
    var framer = LineFramer(maxMessageSize: max)
    var out: [Out] = []
    for chunk in chunks {
        var buffer = ByteBuffer(bytes: chunk)
        framer.consume(&buffer) { out.append(Out($0)) }
        #expect(buffer.readableBytes == 0, "consume left bytes", sourceLocation: sourceLocation)
        #expect(framer.bufferedBytes <= framer.maxMessageSize, "buffered \(framer.bufferedBytes)",
                sourceLocation: sourceLocation)
    }
    if finish {
        framer.finish { out.append(Out($0)) }
        #expect(framer.bufferedBytes == 0, sourceLocation: sourceLocation)
    }
    for message in out {
        #expect(message.bytes.count <= framer.maxMessageSize, "message over the limit", sourceLocation: sourceLocation)
    }
    return out
}

/// Feeds `input` in one piece, one byte at a time, and in every split into two pieces; every
/// way must give `expected`.
func expectFraming(
    _ input: [UInt8], max: Int = 1024, finish: Bool = true, _ expected: [Out],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let whole = frame([input[...]], max: max, finish: finish, sourceLocation: sourceLocation)
    #expect(whole == expected, "in one piece", sourceLocation: sourceLocation)
    let bytewise = frame(input.indices.map { input[$0 ... $0] }, max: max, finish: finish, sourceLocation: sourceLocation)
    #expect(bytewise == expected, "one byte at a time", sourceLocation: sourceLocation)
    for split in 0 ... input.count {
        let pieces = frame([input[..<split], input[split...]], max: max, finish: finish, sourceLocation: sourceLocation)
        #expect(pieces == expected, "split at \(split)", sourceLocation: sourceLocation)
    }
}

/// An independent, whole-input model of the framing rules, written for clarity, not speed:
/// split at "\n", drop one "\r" before each "\n", keep a final unterminated line, then cut
/// each line into pieces.
func referenceFraming(_ input: [UInt8], max: Int) -> [Out] {
    var lines: [[UInt8]] = []
    var current: [UInt8] = []
    for byte in input {
        if byte == 0x0A {
            if current.last == 0x0D { current.removeLast() }
            lines.append(current)
            current = []
        } else {
            current.append(byte)
        }
    }
    if !current.isEmpty { lines.append(current) }
    var out: [Out] = []
    for line in lines {
        var rest = line[...]
        while rest.count > max {
            let piece = Array(rest.prefix(max))
            var validator = UTF8Validator()
            let ok = piece.withUnsafeBytes { validator.validate($0) }
            var cut = max
            var isText = ok && validator.isAtCharacterBoundary
            if ok && !validator.isAtCharacterBoundary {
                // Valid up to an unfinished character: end before its lead byte, if any room.
                let lead = piece.lastIndex { $0 & 0xC0 != 0x80 }!
                if lead > 0 {
                    cut = lead
                    isText = true
                }
            }
            let emitted = Array(rest.prefix(cut))
            #expect(isText == isValidUTF8(emitted))
            out.append(isText ? .text(emitted) : .binary(emitted))
            rest = rest.dropFirst(cut)
        }
        let last = Array(rest)
        out.append(isValidUTF8(last) ? .text(last) : .binary(last))
    }
    return out
}

/// `bytes` is, by itself, complete and valid UTF-8.
func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { UTF8Validator.isValid($0) }
}
