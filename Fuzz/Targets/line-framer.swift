import WSGateCore
import WSGateRelay

/// The line framer (a program's output to messages): the same messages however the output is
/// cut; never a message or a held line above the limit; text messages are valid UTF-8; and the
/// messages hold exactly the output's bytes minus its line ends.
func frameLines(_ pieces: [ArraySlice<UInt8>], limit: Int) -> [LineMessage] {
    var framer = LineFramer(maxMessageSize: limit)
    var messages: [LineMessage] = []
    for piece in pieces {
        var buffer = ByteBuffer(bytes: piece)
        framer.consume(&buffer) { messages.append($0) }
        FuzzCheck.require(buffer.readableBytes == 0, "consume left \(buffer.readableBytes) bytes")
        FuzzCheck.require(framer.bufferedBytes <= limit, "the framer holds \(framer.bufferedBytes) bytes, limit \(limit)")
    }
    framer.finish { messages.append($0) }
    return messages
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLineFramer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    guard let first = input.first else { return 0 }
    let limit = Int(first % 64) + 1
    let output = Array(input.dropFirst())
    let whole = FuzzCheck.sameWholeAndInPieces(output) { frameLines($0, limit: limit) }
    var content: [UInt8] = []
    for message in whole {
        let bytes = message.payload.readableBytesArray
        FuzzCheck.require(bytes.count <= limit, "a message of \(bytes.count) bytes, limit \(limit)")
        if case .text = message {
            FuzzCheck.require(String(validating: bytes, as: UTF8.self) != nil, "a text message that is not UTF-8: \(bytes)")
        }
        content += bytes
    }
    // Line ends ("\n", and a "\r" right before one) are the only bytes that disappear.
    var expected: [UInt8] = []
    for (index, byte) in output.enumerated() {
        if byte == 0x0A { continue }
        if byte == 0x0D && index + 1 < output.count && output[index + 1] == 0x0A { continue }
        expected.append(byte)
    }
    FuzzCheck.require(content == expected, "messages hold \(content), expected \(expected)")
    return 0
}
