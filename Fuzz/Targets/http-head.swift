import WSGateCore
import WSGateHTTP

/// The HTTP request-head parser: the same answer whether the bytes arrive at once, byte by byte
/// or in random pieces; a head never larger than the limit; nothing consumed until a head is
/// complete, exactly the head once it is.
enum HTTPHeadOutcome: Equatable {
    case head(HTTPRequestHead, consumed: Int)
    case incomplete
    case failed(HTTPParseError)
}

func parseHead(_ pieces: [ArraySlice<UInt8>]) -> HTTPHeadOutcome {
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer()
    var appended = 0
    for piece in pieces {
        buffer.writeBytes(piece)
        appended += piece.count
        do {
            let before = buffer.readableBytes
            if let head = try parser.parse(&buffer) {
                let consumed = before - buffer.readableBytes
                FuzzCheck.require(consumed <= parser.maxHeadBytes, "a head of \(consumed) bytes passed the limit")
                FuzzCheck.require(head.headers.count <= parser.maxHeaderCount, "\(head.headers.count) header lines")
                return .head(head, consumed: appended - buffer.readableBytes)
            }
            FuzzCheck.require(buffer.readableBytes == before, "an incomplete head consumed bytes")
        } catch {
            return .failed(error)
        }
    }
    return .incomplete
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPHead(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    _ = FuzzCheck.sameWholeAndInPieces(input, byteByByteUpTo: 2048, parseHead)
    return 0
}
