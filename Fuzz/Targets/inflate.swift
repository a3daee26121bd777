import WSGateCompression
import WSGateCore

/// permessage-deflate (RFC 7692): (a) messages deflated and then inflated in pieces come back
/// unchanged, under context takeover with the earlier messages' window; (b) any bytes inflated
/// as a message give pieces no larger than the cap, fail only as `.corruptData`, and give the
/// same outcome whole and cut into pieces.
///
/// Input: byte 0 chooses the window bits (low 3 bits + 8), takeover (bit 3) and the level
/// (high 4 bits); byte 1 the piece cap; the rest, cut at 0xFF, are the messages (a) and, whole,
/// the compressed data (b).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInflate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    guard input.count >= 2 else { return 0 }
    let windowBits = 8 + Int(input[0] & 7)
    let takeover = input[0] & 8 != 0
    let level = Int(input[0] >> 4) % 10
    let cap = input[1] < 128 ? Int(input[1] % 16) + 1 : Int(input[1]) * 64
    let body = Array(input.dropFirst(2))
    roundTrip(body.split(separator: 0xFF, maxSplits: 7, omittingEmptySubsequences: false),
              windowBits: windowBits, takeover: takeover, level: level, cap: cap)
    let whole = inflateAny([body[...]], windowBits: windowBits, cap: cap)
    let inPieces = inflateAny(FuzzCheck.pieces(of: body), windowBits: windowBits, cap: cap)
    if whole != .tooLarge && inPieces != .tooLarge {
        FuzzCheck.require(whole == inPieces, "whole: \(whole), in pieces: \(inPieces)")
    }
    return 0
}

/// Takes every piece of the message fed so far, checking the cap.
private func drain(_ inflater: MessageInflater, cap: Int, limit: Int, into output: inout [UInt8]) throws(InflateError) {
    while output.count <= limit, let piece = try inflater.nextPiece(maxBytes: cap) {
        FuzzCheck.require(piece.readableBytes > 0 && piece.readableBytes <= cap, "a piece of \(piece.readableBytes) bytes, cap \(cap)")
        output += piece.readableBytesArray
    }
}

private func roundTrip(_ messages: [ArraySlice<UInt8>], windowBits: Int, takeover: Bool, level: Int, cap: Int) {
    let deflater = MessageDeflater(windowBits: windowBits, level: level, noContextTakeover: !takeover)
    let inflater = MessageInflater(windowBits: windowBits, noContextTakeover: !takeover)
    for message in messages {
        guard let compressed = deflater.compress(ByteBuffer(bytes: message)) else {
            FuzzCheck.require(false, "out of memory")
            return
        }
        var output: [UInt8] = []
        do {
            for chunk in FuzzCheck.pieces(of: compressed.readableBytesArray) {
                inflater.feed(ByteBuffer(bytes: chunk))
                try drain(inflater, cap: cap, limit: Int.max, into: &output)
            }
            inflater.finishMessage()
            try drain(inflater, cap: cap, limit: Int.max, into: &output)
        } catch {
            FuzzCheck.require(false, "our own deflate output failed: \(error)")
        }
        FuzzCheck.require(output == Array(message), "inflated \(output), deflated \(Array(message))")
        FuzzCheck.require(!inflater.hasQueuedInput, "input left after the message")
    }
}

/// What inflating arbitrary bytes as one message gave.
private enum Outcome: Equatable {
    case bytes([UInt8])
    case corrupt
    /// Stopped after more than 1 MiB, as a caller at its limit would (the inflater is then
    /// dropped in the middle of the message).
    case tooLarge
}

private func inflateAny(_ chunks: [ArraySlice<UInt8>], windowBits: Int, cap: Int) -> Outcome {
    let limit = 1 << 20
    let inflater = MessageInflater(windowBits: windowBits, noContextTakeover: false)
    var output: [UInt8] = []
    do throws(InflateError) {
        for chunk in chunks {
            inflater.feed(ByteBuffer(bytes: chunk))
            try drain(inflater, cap: cap, limit: limit, into: &output)
            if output.count > limit { return .tooLarge }
        }
        inflater.finishMessage()
        try drain(inflater, cap: cap, limit: limit, into: &output)
        if output.count > limit { return .tooLarge }
    } catch {
        FuzzCheck.require(error == .corruptData, "inflate failed with \(error)")
        return .corrupt
    }
    FuzzCheck.require(!inflater.hasQueuedInput, "input left after the message")
    return .bytes(output)
}
