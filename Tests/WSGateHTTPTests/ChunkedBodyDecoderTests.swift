import Testing
import WSGateCore
import WSGateHTTP

/// What feeding some bytes to a fresh `ChunkedBodyDecoder` led to.
struct ChunkedOutcome: Equatable, CustomStringConvertible {
    /// The chunk data delivered, concatenated.
    var data: [UInt8] = []
    var complete = false
    /// What stayed in the buffer once every piece was appended (not compared after an error).
    var rest: [UInt8] = []
    var error: HTTPParseError?

    var description: String {
        "data: \(data.count) bytes, complete: \(complete), rest: \(rest.count) bytes, error: \(error.map(String.init(describing:)) ?? "none")"
    }
}

/// Appends `pieces` one after the other to one buffer, calling `decode` after each append
/// until it completes or throws. Checks that a call that does not complete consumes everything.
func decodeChunked(_ pieces: [ArraySlice<UInt8>], sourceLocation: SourceLocation = #_sourceLocation) -> ChunkedOutcome {
    var decoder = ChunkedBodyDecoder()
    var buffer = ByteBuffer()
    var outcome = ChunkedOutcome()
    for piece in pieces {
        buffer.writeBytes(piece)
        guard outcome.error == nil, !outcome.complete else { continue }
        do {
            outcome.complete = try decoder.decode(&buffer) { outcome.data += $0.readableBytesArray }
            #expect(outcome.complete || buffer.isEmpty, "an incomplete body left bytes", sourceLocation: sourceLocation)
            #expect(decoder.isComplete == outcome.complete, sourceLocation: sourceLocation)
        } catch {
            outcome.error = error
        }
    }
    if outcome.error == nil { outcome.rest = buffer.readableBytesArray }
    return outcome
}

/// A deterministic generator (xorshift64*), so that a failing split pattern can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}

/// `input` cut into random pieces of 1...`maxPiece` bytes.
func randomPieces(of input: [UInt8], maxPiece: Int, using generator: inout SeededGenerator) -> [ArraySlice<UInt8>] {
    var pieces: [ArraySlice<UInt8>] = []
    var start = 0
    while start < input.count {
        let end = Swift.min(input.count, start + Int.random(in: 1...maxPiece, using: &generator))
        pieces.append(input[start..<end])
        start = end
    }
    return pieces
}

/// Feeds `input` whole, byte by byte, in random pieces and (when short) split in two at every
/// position; expects the same outcome every time and returns it.
func decodeChunkedAllWays(_ input: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> ChunkedOutcome {
    let whole = decodeChunked([input[...]], sourceLocation: sourceLocation)
    let byteByByte = decodeChunked(input.indices.map { input[$0...$0] }, sourceLocation: sourceLocation)
    #expect(byteByByte == whole, "byte by byte", sourceLocation: sourceLocation)
    var generator = SeededGenerator(seed: UInt64(input.count))
    for round in 0..<20 {
        let pieces = randomPieces(of: input, maxPiece: 1 + round * 3, using: &generator)
        let outcome = decodeChunked(pieces, sourceLocation: sourceLocation)
        if outcome != whole {
            Issue.record("random pieces \(pieces.map(\.count)): \(outcome) instead of \(whole)", sourceLocation: sourceLocation)
            break
        }
    }
    guard input.count <= 600 else { return whole }
    for split in 0...input.count {
        let outcome = decodeChunked([input[..<split], input[split...]], sourceLocation: sourceLocation)
        if outcome != whole {
            Issue.record("split at \(split): \(outcome) instead of \(whole)", sourceLocation: sourceLocation)
            break
        }
    }
    return whole
}

/// `data` in the chunked coding, cut into chunks of the given sizes (the last one takes what
/// is left), then the last chunk and an empty trailer section.
func chunkedEncoding(_ data: [UInt8], sizes: [Int]) -> [UInt8] {
    var encoded: [UInt8] = []
    var start = 0
    for size in sizes + [data.count] where start < data.count {
        let end = Swift.min(data.count, start + size)
        encoded += bytes(String(end - start, radix: 16) + "\r\n") + data[start..<end] + bytes("\r\n")
        start = end
    }
    return encoded + bytes("0\r\n\r\n")
}

@Suite(.timeLimit(.minutes(10))) struct ChunkedBodyDecoderTests {
    // MARK: Well-formed bodies

    @Test func decodesChunksAndTheLastChunk() {
        let body = bytes("4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n")
        #expect(decodeChunkedAllWays(body) == ChunkedOutcome(data: bytes("Wiki" + "pedia" + " in\r\n\r\nchunks."), complete: true))
    }

    @Test func anEmptyBodyIsOnlyTheLastChunk() {
        #expect(decodeChunkedAllWays(bytes("0\r\n\r\n")) == ChunkedOutcome(complete: true))
        #expect(decodeChunkedAllWays(bytes("000\r\n\r\n")) == ChunkedOutcome(complete: true))
    }

    @Test func bytesAfterTheBodyStayInTheInput() {
        let next = bytes("POST /next HTTP/1.1\r\nHost: a\r\n\r\n")
        let outcome = decodeChunkedAllWays(bytes("3\r\nabc\r\n0\r\n\r\n") + next)
        #expect(outcome == ChunkedOutcome(data: bytes("abc"), complete: true, rest: next))
    }

    @Test func sizesAreHexInAnyCaseWithLeadingZeros() {
        let ten = bytes("0123456789")
        let body = bytes("a\r\n") + ten + bytes("\r\nA\r\n") + ten + bytes("\r\n000000000000000a\r\n") + ten
            + bytes("\r\n1F\r\n") + [UInt8](repeating: 0x41, count: 31) + bytes("\r\n0\r\n\r\n")
        let outcome = decodeChunkedAllWays(body)
        #expect(outcome == ChunkedOutcome(data: ten + ten + ten + [UInt8](repeating: 0x41, count: 31), complete: true))
    }

    @Test func extensionsAreCheckedAndIgnored() {
        let body = bytes("5;name=value;flag;q=\"a \\\"b\\\" c\" ; x = y\t;z=\"\"\r\nhello\r\n0;last=\"yes\"\r\n\r\n")
        #expect(decodeChunkedAllWays(body) == ChunkedOutcome(data: bytes("hello"), complete: true))
    }

    @Test func trailerFieldsAreConsumedAndDiscarded() {
        let body = bytes("2\r\nhi\r\n0\r\nExpires: Wed, 21 Oct 2015 07:28:00 GMT\r\nX-Checksum:abc \r\nX-Empty:\r\n\r\nNEXT")
        #expect(decodeChunkedAllWays(body) == ChunkedOutcome(data: bytes("hi"), complete: true, rest: bytes("NEXT")))
    }

    @Test func randomBodiesInRandomChunksAndPiecesDecodeToTheirData() {
        var generator = SeededGenerator(seed: 2024)
        for _ in 0..<20 {
            let data = (0..<Int.random(in: 0...3000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let sizes = (0..<40).map { _ in Int.random(in: 1...400, using: &generator) }
            let encoded = chunkedEncoding(data, sizes: sizes) + bytes("rest")
            for maxPiece in [1, 7, 64, 1000] {
                let outcome = decodeChunked(randomPieces(of: encoded, maxPiece: maxPiece, using: &generator))
                #expect(outcome == ChunkedOutcome(data: data, complete: true, rest: bytes("rest")))
            }
        }
    }

    // MARK: Delivery and memory

    @Test func dataIsDeliveredAsItArrivesAsSlicesOfTheInput() throws {
        var decoder = ChunkedBodyDecoder()
        var buffer = ByteBuffer(bytes: bytes("a\r\n0123"))
        var pieces: [ByteBuffer] = []
        #expect(try decoder.decode(&buffer) { pieces.append($0) } == false)
        #expect(pieces.map(\.readableBytesArray) == [bytes("0123")])
        #expect(pieces[0].sharesStorage(with: buffer))
        buffer.writeBytes(bytes("45"))
        #expect(try decoder.decode(&buffer) { pieces.append($0) } == false)
        buffer.writeBytes(bytes("6789\r\n0\r\n\r\n"))
        #expect(try decoder.decode(&buffer) { pieces.append($0) } == true)
        #expect(pieces.map(\.readableBytesArray) == [bytes("0123"), bytes("45"), bytes("6789")])
        #expect(buffer.isEmpty)
    }

    @Test func aHugeDeclaredChunkAllocatesNothingAndDeliversWhatIsThere() throws {
        // 1 GiB declared, 10 bytes present: the 10 bytes come out as a view of the input.
        var decoder = ChunkedBodyDecoder()
        var buffer = ByteBuffer(bytes: bytes("40000000\r\n0123456789"))
        let capacity = buffer.capacity
        var delivered: [ByteBuffer] = []
        #expect(try decoder.decode(&buffer) { delivered.append($0) } == false)
        #expect(delivered.map(\.readableBytesArray) == [bytes("0123456789")])
        #expect(delivered.allSatisfy { $0.sharesStorage(with: buffer) })
        #expect(buffer.isEmpty && buffer.capacity == capacity)
        // The decoder's whole state is a few integers.
        #expect(MemoryLayout<ChunkedBodyDecoder>.size <= 64)
        // The largest size an Int holds is accepted too.
        var largest = ChunkedBodyDecoder()
        var input = ByteBuffer(bytes: bytes("7fffffffffffffff;x=y\r\nabc"))
        var count = 0
        #expect(try largest.decode(&input) { count += $0.readableBytes } == false)
        #expect(count == 3)
    }

    @Test func onceCompleteItConsumesNothingMore() throws {
        var decoder = ChunkedBodyDecoder()
        var buffer = ByteBuffer(bytes: bytes("0\r\n\r\n"))
        #expect(try decoder.decode(&buffer) { _ in Issue.record("data") } == true)
        buffer.writeBytes(bytes("1\r\nx\r\n0\r\n\r\n"))
        #expect(try decoder.decode(&buffer) { _ in Issue.record("data") } == true)
        #expect(buffer.readableBytes == 11)
    }

    @Test func afterAnErrorEveryCallThrowsTheSameError() {
        var decoder = ChunkedBodyDecoder()
        var buffer = ByteBuffer(bytes: bytes("zz\r\n"))
        #expect(throws: HTTPParseError.invalidChunkSize) { try decoder.decode(&buffer) { _ in } }
        var valid = ByteBuffer(bytes: bytes("0\r\n\r\n"))
        #expect(throws: HTTPParseError.invalidChunkSize) { try decoder.decode(&valid) { _ in } }
        #expect(!decoder.isComplete)
    }

    // MARK: Limits

    @Test func aChunkLineOfExactlyTheLimitIsAccepted() {
        // "1;" + name + CRLF = the limit.
        let name = String(repeating: "n", count: ChunkedBodyDecoder.maxChunkLineBytes - 4)
        let atLimit = bytes("1;" + name + "\r\nx\r\n0\r\n\r\n")
        #expect(decodeChunkedAllWays(atLimit) == ChunkedOutcome(data: bytes("x"), complete: true))
        let overLimit = bytes("1;" + name + "n\r\nx\r\n0\r\n\r\n")
        #expect(decodeChunkedAllWays(overLimit).error == .chunkLineTooLong)
        // Refused as soon as the limit is passed, without waiting for the line end.
        #expect(decodeChunked([bytes("1;" + name + "nnn")[...]]).error == .chunkLineTooLong)
        #expect(decodeChunked([bytes("1;" + name + "nn")[...]]).error == nil)
    }

    @Test func aTrailerSectionOfExactlyTheLimitIsAccepted() {
        // "X: " + value + CRLF + CRLF = the limit.
        let value = String(repeating: "v", count: ChunkedBodyDecoder.maxTrailerSectionBytes - 7)
        let atLimit = bytes("0\r\nX: " + value + "\r\n\r\n")
        #expect(decodeChunkedAllWays(atLimit) == ChunkedOutcome(complete: true))
        let overLimit = bytes("0\r\nX: " + value + "v\r\n\r\n")
        #expect(decodeChunkedAllWays(overLimit).error == .trailerSectionTooLarge)
        // Many small trailer lines count together.
        let manyLines = bytes("0\r\n" + String(repeating: "A: b\r\n", count: 3000) + "\r\n")
        #expect(decodeChunked([manyLines[...]]).error == .trailerSectionTooLarge)
    }

    // MARK: Malformed bodies

    @Test(arguments: malformedChunkedBodies)
    func malformedBodyIsRefusedWithItsError(_ body: MalformedRequest) {
        #expect(decodeChunkedAllWays(body.input).error == body.error)
    }

    @Test func dataBeforeTheErrorIsDelivered() {
        let outcome = decodeChunkedAllWays(bytes("3\r\nabc\r\n2\r\nde!!"))
        #expect(outcome == ChunkedOutcome(data: bytes("abcde"), error: .invalidChunkedBody))
    }

    @Test func theMalformedTableCoversEveryBodyError() {
        let covered = Set(malformedChunkedBodies.map(\.error))
        let expected: Set<HTTPParseError> = [
            .invalidChunkSize, .invalidChunkExtension, .invalidChunkedBody, .bareLineFeed,
            .obsoleteLineFolding, .malformedHeaderLine, .whitespaceBeforeColon, .invalidHeaderName,
            .invalidHeaderValue,
        ]
        // The two limits have their own tests above.
        #expect(covered == expected)
    }
}

/// Malformed chunked bodies (`MalformedRequest` names an input and the error it must give).
let malformedChunkedBodies: [MalformedRequest] = [
    // chunk-size
    .init("non-hex size", "g\r\nx\r\n0\r\n\r\n", .invalidChunkSize),
    .init("empty size", "\r\n0\r\n\r\n", .invalidChunkSize),
    .init("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .init("negative size", "-5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .init("plus sign", "+5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .init("leading space", " 5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .init("leading tab", "\t5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .init("trailing junk", "5x\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .init("space inside size", "1 0\r\n", .invalidChunkExtension),
    .init("NUL after size", [UInt8(ascii: "5"), 0, 0x0D, 0x0A], .invalidChunkSize),
    .init("size past Int.max", "8000000000000000\r\nx", .invalidChunkSize),
    .init("size far past Int.max", "ffffffffffffffffffff\r\nx", .invalidChunkSize),
    .init("17 hex digits", "00000000000000001\r\nx\r\n0\r\n\r\n", .invalidChunkSize),
    .init("extension without size", ";a\r\n", .invalidChunkSize),
    // chunk-ext
    .init("trailing space after size", "5 \r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
    .init("semicolon without name", "5;\r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
    .init("value without name", "5;=v\r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
    .init("equals without value", "5;a=\r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
    .init("space inside name", "5;a b\r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
    .init("space after name", "5;a \r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
    .init("space after value", "5;a=b \r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
    .init("non-token value", "5;a=b/c\r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
    .init("unterminated quoted value", "5;a=\"x\r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
    .init("text after quoted value", "5;a=\"x\"y\r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
    .init("control byte in quoted value", bytes("5;a=\"x") + [0x01] + bytes("\"\r\nhello\r\n0\r\n\r\n"), .invalidChunkExtension),
    .init("NUL in quoted pair", bytes("5;a=\"\\") + [0x00] + bytes("\"\r\nhello\r\n0\r\n\r\n"), .invalidChunkExtension),
    .init("non-token name", "5;a(b)\r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
    // CRLF after the size and after the data
    .init("data not followed by CRLF", "3\r\nabcX\r\n0\r\n\r\n", .invalidChunkedBody),
    .init("data longer than declared", "3\r\nabcd\r\n0\r\n\r\n", .invalidChunkedBody),
    .init("data followed by LF only", "3\r\nabc\n0\r\n\r\n", .invalidChunkedBody),
    .init("data followed by CR only", "3\r\nabc\r0\r\n\r\n", .invalidChunkedBody),
    .init("CR without LF after size", "3\rabc\r\n0\r\n\r\n", .invalidChunkedBody),
    .init("CR CR LF after size", "3\r\r\nabc\r\n0\r\n\r\n", .invalidChunkedBody),
    .init("CR without LF at the end", "0\r\n\rX", .invalidChunkedBody),
    // bare LF (RFC 9112 §2.2 allows accepting it; this decoder does not)
    .init("bare LF after size", "5\nhello\r\n0\r\n\r\n", .bareLineFeed),
    .init("bare LF after extension name", "5;a\nhello\r\n0\r\n\r\n", .bareLineFeed),
    .init("bare LF after extension value", "5;a=b\nhello\r\n0\r\n\r\n", .bareLineFeed),
    .init("bare LF after last chunk", "0\n\r\n", .bareLineFeed),
    .init("bare LF ending the body", "0\r\n\n", .bareLineFeed),
    .init("bare LF after trailer", "0\r\nX: y\n\r\n", .bareLineFeed),
    .init("bare LF inside trailer name", "0\r\nX\n", .bareLineFeed),
    // trailer section
    .init("obs-fold in trailers", "0\r\nX: y\r\n z\r\n\r\n", .obsoleteLineFolding),
    .init("trailer without colon", "0\r\nX\r\n\r\n", .malformedHeaderLine),
    .init("space before colon in trailer", "0\r\nX : y\r\n\r\n", .whitespaceBeforeColon),
    .init("space inside trailer name", "0\r\nX Y: z\r\n\r\n", .invalidHeaderName),
    .init("non-token trailer name", "0\r\nX(y): z\r\n\r\n", .invalidHeaderName),
    .init("empty trailer name", "0\r\n: z\r\n\r\n", .invalidHeaderName),
    .init("NUL in trailer value", bytes("0\r\nX: a") + [0x00] + bytes("\r\n\r\n"), .invalidHeaderValue),
    .init("bare CR in trailer value", "0\r\nX: a\rb\r\n\r\n", .invalidHeaderValue),
    .init("DEL in trailer value", bytes("0\r\nX: a") + [0x7F] + bytes("\r\n\r\n"), .invalidHeaderValue),
]
