import WSGateCore
import WSGateHTTP

/// The two codecs of `--cgidir`: the chunked request-body decoder and the CGI response parser.
///
/// Input: the first byte chooses the check (its value mod 3), the rest is its material.
/// - 0: REST is a payload, encoded as chunks of sizes, hex spellings, extensions and trailers
///   drawn from the input; decoding it whole and in pieces gives the payload back, complete,
///   with the bytes after the body left in the buffer.
/// - 1: REST is a chunked body as a peer may send it; the same verdict, data and leftover
///   whole, in pieces and byte by byte; never more data than the input, nor more than a call
///   consumed; a call that does not complete consumes everything.
/// - 2: REST is a script's output, with a head limit of `first / 3 * 16` bytes (0: the
///   default); the same verdict whole, in pieces and byte by byte; a head never takes more than
///   the limit and ends with a LF; no field holds CR, LF, NUL or another control byte; no
///   hop-by-hop field or Status is passed on; statuses are final; a local redirect carries
///   nothing else; error descriptions are single lines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCGICodecs(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    guard let first = input.first else { return 0 }
    let rest = Array(input.dropFirst())
    switch first % 3 {
    case 0: checkChunkedRoundTrip(rest)
    case 1: checkChunkedBody(rest)
    default: checkCGIOutput(rest, maxHeadBytes: first / 3 == 0 ? CGIResponseParser.defaultMaxHeadBytes : Int(first / 3) * 16)
    }
    return 0
}

// MARK: - Chunked bodies

struct ChunkedRun: Equatable {
    var data: [UInt8] = []
    var complete = false
    /// What stayed in the buffer at the end (not compared after an error).
    var rest: [UInt8] = []
    var error: HTTPParseError?
}

func decodeChunked(_ pieces: [ArraySlice<UInt8>]) -> ChunkedRun {
    var decoder = ChunkedBodyDecoder()
    var buffer = ByteBuffer()
    var run = ChunkedRun()
    for piece in pieces {
        buffer.writeBytes(piece)
        guard run.error == nil, !run.complete else { continue }
        let before = buffer.readableBytes
        var delivered = 0
        do {
            run.complete = try decoder.decode(&buffer) { slice in
                delivered += slice.readableBytes
                run.data += slice.readableBytesArray
            }
            FuzzCheck.require(run.complete || buffer.isEmpty, "an incomplete body left \(buffer.readableBytes) bytes")
            FuzzCheck.require(run.complete == decoder.isComplete, "isComplete disagrees")
            FuzzCheck.require(delivered <= before - buffer.readableBytes, "delivered \(delivered) bytes of \(before - buffer.readableBytes) consumed")
        } catch {
            run.error = error
            FuzzCheck.require(delivered <= before, "delivered \(delivered) bytes of \(before)")
        }
    }
    if run.error == nil { run.rest = buffer.readableBytesArray }
    return run
}

private func checkChunkedBody(_ body: [UInt8]) {
    let whole = FuzzCheck.sameWholeAndInPieces(body, byteByByteUpTo: 4096, decodeChunked)
    FuzzCheck.require(whole.data.count <= body.count, "\(whole.data.count) bytes of data from \(body.count)")
    if whole.complete {
        // The shortest framing is "0\r\n\r\n".
        FuzzCheck.require(whole.data.count + whole.rest.count + 5 <= body.count, "data and rest exceed the input")
        FuzzCheck.require(body.suffix(whole.rest.count).elementsEqual(whole.rest), "the rest is not the end of the input")
    }
}

/// A xorshift generator seeded from the payload, so that the encoding depends on the input only.
private struct InputDerivedGenerator {
    var state: UInt64
    init(_ bytes: [UInt8]) {
        state = bytes.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x1000_0000_01B3 } | 1
    }
    mutating func next(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(bound))
    }
}

private let validExtensions = [";a", ";name=value", " ; q=\"x \\\" y\"", ";e=\"\"", "\t;n\t=\tv", ";a;b=c;d=\"e\""]
private let validTrailers = ["X-Sum: abc\r\n", "Expires:0\r\n", "A: b \t c \r\n", "E:\r\n"]

private func checkChunkedRoundTrip(_ payload: [UInt8]) {
    var random = InputDerivedGenerator(payload)
    var encoded: [UInt8] = []
    func sizeLine(_ size: Int) {
        var hex = String(size, radix: 16, uppercase: random.next(2) == 0)
        hex = String(repeating: "0", count: random.next(ChunkedBodyDecoder.maxChunkSizeDigits - hex.utf8.count + 1)) + hex
        encoded += hex.utf8
        if random.next(3) == 0 { encoded += validExtensions[random.next(validExtensions.count)].utf8 }
        encoded += "\r\n".utf8
    }
    var start = 0
    while start < payload.count {
        let size = Swift.min(payload.count - start, 1 + random.next(random.next(2) == 0 ? 8 : 600))
        sizeLine(size)
        encoded += payload[start..<(start + size)]
        encoded += "\r\n".utf8
        start += size
    }
    sizeLine(0)
    for _ in 0..<random.next(3) { encoded += validTrailers[random.next(validTrailers.count)].utf8 }
    encoded += "\r\n".utf8
    let after = Array("GET / HTTP/1.1\r\n".utf8)
    let whole = FuzzCheck.sameWholeAndInPieces(encoded + after, decodeChunked)
    FuzzCheck.require(whole == ChunkedRun(data: payload, complete: true, rest: after), "\(payload.count) bytes encoded as \(encoded) decode to \(whole)")
}

// MARK: - CGI output

enum CGIRun: Equatable {
    case head(CGIResponseHead, consumed: Int)
    case failed(CGIResponseError)
}

func parseCGIOutput(_ pieces: [ArraySlice<UInt8>], maxHeadBytes: Int) -> CGIRun {
    var parser = CGIResponseParser(maxHeadBytes: maxHeadBytes)
    var buffer = ByteBuffer()
    var appended = 0
    for piece in pieces {
        buffer.writeBytes(piece)
        appended += piece.count
        do {
            let head = try parser.parse(&buffer)
            let consumed = appended - buffer.readableBytes
            FuzzCheck.require(consumed <= maxHeadBytes, "\(consumed) bytes consumed, limit \(maxHeadBytes)")
            if let head { return .head(head, consumed: consumed) }
        } catch {
            return .failed(error)
        }
    }
    do {
        try parser.finish()
    } catch {
        return .failed(error)
    }
    FuzzCheck.require(false, "finish accepted an output without a head")
    return .failed(.truncatedHeaderSection)
}

private let fieldsNeverPassedOn = ["Status", "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade"]

private func checkCGIOutput(_ output: [UInt8], maxHeadBytes: Int) {
    let whole = FuzzCheck.sameWholeAndInPieces(output, byteByByteUpTo: 4096) { parseCGIOutput($0, maxHeadBytes: maxHeadBytes) }
    switch whole {
    case .failed(let error):
        FuzzCheck.require(!error.description.utf8.contains { $0 < 0x20 || $0 == 0x7F }, "control byte in \(error)")
    case .head(let head, let consumed):
        FuzzCheck.require(consumed > 0 && output[consumed - 1] == 0x0A, "the head does not end with a LF")
        FuzzCheck.require((200...599).contains(head.status.code), "status \(head.status)")
        FuzzCheck.require(!head.status.reasonPhrase.utf8.contains { isControl($0) }, "reason \(head.status)")
        for (name, value) in head.headers {
            FuzzCheck.require(!name.isEmpty && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x3A }, "field name \(name.utf8.map { $0 })")
            FuzzCheck.require(!value.isEmpty && !value.utf8.contains { isControl($0) }, "value of \(name): \(value.utf8.map { $0 })")
            FuzzCheck.require(!fieldsNeverPassedOn.contains { $0.lowercased() == name.lowercased() }, "\(name) passed on")
        }
        if let length = head.contentLength {
            FuzzCheck.require(length >= 0 && head.headers.contains("Content-Length"), "length \(length) without its field")
        }
        if case .localRedirect(let target) = head.kind {
            FuzzCheck.require(target.hasPrefix("/") && !target.hasPrefix("//"), "local redirect to \(target)")
            FuzzCheck.require(head.headers.isEmpty && head.contentLength == nil, "a local redirect with fields")
        }
    }
}

/// CR, LF, NUL, the other C0 controls except HTAB, and DEL: what a field must never carry.
private func isControl(_ byte: UInt8) -> Bool {
    (byte < 0x20 && byte != 0x09) || byte == 0x7F
}
