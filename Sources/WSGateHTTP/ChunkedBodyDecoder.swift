public import WSGateCore

/// An incremental decoder of the chunked transfer coding of a request body (RFC 9112 §7.1).
///
/// Why it exists: a CGI script reads the request body on its stdin, and a client may send that
/// body chunked. The gateway must pass the data on as it arrives, without holding the body and
/// without trusting the sizes a peer declares, and must find exactly where the body ends so that
/// no byte of a next request is taken for body (or the other way round: request smuggling).
/// It does no I/O and never crashes on peer input.
///
/// Use: append received bytes to a buffer and call `decode(_:data:)` after each append. It
/// consumes every byte it can: chunk data is handed to `data` as slices of the input (no copy),
/// a chunk split over many calls comes out in as many pieces, and the framing (chunk-size lines,
/// CRLFs, trailer fields) is read one byte at a time into a few integers, so nothing is buffered
/// and nothing is allocated from a declared size. It returns true once the last chunk and the
/// trailer section are consumed; the bytes after the body stay in the input. After it has
/// thrown, every later call throws the same error: the connection must be closed.
///
/// Strictness: a line must end in CRLF (RFC 9112 §2.2 lets a recipient accept a bare LF; this
/// decoder does not, as the head parser does not: a lone LF or CR read differently by a proxy in
/// front is how chunked smuggling works). Chunk extensions are checked against their grammar
/// and ignored; trailer fields are checked as field lines (the head's errors) and discarded.
///
/// Limits: a chunk-size line (size, extensions and CRLF) of at most `maxChunkLineBytes` bytes,
/// a chunk-size of at most `maxChunkSizeDigits` hex digits, and a trailer section (its field
/// lines and the final CRLF) of at most `maxTrailerSectionBytes` bytes.
public struct ChunkedBodyDecoder: Sendable {
    /// The longest chunk-size line accepted, in bytes, CRLF included.
    public static let maxChunkLineBytes = 4096
    /// The longest trailer section accepted, in bytes, the final CRLF included.
    public static let maxTrailerSectionBytes = 16384
    /// The most hex digits a chunk-size may have: enough for any `Int` (leading zeros included).
    public static let maxChunkSizeDigits = 16

    /// Where in the chunked grammar the next byte belongs.
    enum State: Equatable, Sendable {
        /// `chunk-size = 1*HEXDIG`.
        case chunkSize
        /// BWS after the size or after an extension value: only ";" may follow.
        case spaceBeforeSemicolon
        /// After ";": BWS, then a `chunk-ext-name`.
        case extensionNameStart
        /// `chunk-ext-name = token`.
        case extensionName
        /// BWS after a name: "=" or ";" may follow.
        case spaceAfterExtensionName
        /// After "=": BWS, then a token or a quoted-string.
        case extensionValueStart
        /// A value that is a token.
        case extensionToken
        /// Inside a quoted-string value (RFC 9110 §5.6.4).
        case extensionQuotedString
        /// After a backslash in a quoted-string.
        case extensionQuotedPair
        /// After the closing quote.
        case afterExtensionQuotedString
        /// The CR of the chunk-size line has been read.
        case chunkLineLF
        /// This many bytes of chunk data are still to come.
        case data(remaining: Int)
        /// The chunk data is complete: CR LF must follow.
        case dataCR
        /// The CR after the chunk data has been read.
        case dataLF
        /// At the start of a trailer field line, or of the empty line ending the section.
        case trailerLineStart
        /// `field-name = token`.
        case trailerName
        /// SP or HTAB after (part of) a trailer field name: no valid line continues here.
        case trailerSpaceAfterName
        /// After the colon: the field value, up to CR.
        case trailerValue
        /// The CR of a trailer field line has been read.
        case trailerLineLF
        /// The CR of the empty line ending the trailer section has been read.
        case finalLF
        /// The whole body has been consumed.
        case complete
    }

    var state = State.chunkSize
    /// The chunk-size read so far.
    var chunkSize = 0
    /// Hex digits of the chunk-size read so far.
    var chunkSizeDigits = 0
    /// Bytes of the current chunk-size line read so far.
    var chunkLineBytes = 0
    /// Bytes of the trailer section read so far.
    var trailerSectionBytes = 0
    private var failure: HTTPParseError?

    /// A decoder at the start of a chunked body.
    public init() {}

    /// Whether the last chunk and the trailer section have been consumed.
    public var isComplete: Bool { state == .complete }

    /// Consumes what it can of `input`, handing each piece of chunk data to `data` as a slice
    /// of `input` (sharing its storage), and returns true once the body is complete; the bytes
    /// after the body stay in `input`. Once complete, it consumes nothing and returns true.
    public mutating func decode(_ input: inout ByteBuffer, data: (ByteBuffer) -> Void) throws(HTTPParseError) -> Bool {
        if let failure { throw failure }
        do throws(HTTPParseError) {
            try decodeUnlessFailed(&input, data: data)
        } catch {
            failure = error
            throw error
        }
        return isComplete
    }

    private mutating func decodeUnlessFailed(_ input: inout ByteBuffer, data: (ByteBuffer) -> Void) throws(HTTPParseError) {
        while !input.isEmpty && state != .complete {
            if case .data(let remaining) = state {
                let count = Swift.min(remaining, input.readableBytes)
                data(input.readSlice(count)!)
                state = count == remaining ? .dataCR : .data(remaining: remaining - count)
                continue
            }
            let consumed = try input.withUnsafeReadableBytes { (bytes) throws(HTTPParseError) -> Int in
                var index = 0
                while index < bytes.count {
                    try readFramingByte(bytes[index])
                    index += 1
                    if case .data = state { break }
                    if state == .complete { break }
                }
                return index
            }
            input.moveReaderIndex(forwardBy: consumed)
        }
    }

    /// Advances the state by one byte outside chunk data.
    private mutating func readFramingByte(_ byte: UInt8) throws(HTTPParseError) {
        switch state {
        case .data, .complete:
            preconditionFailure("chunk data and the end of the body are not read byte by byte")
        case .dataCR:
            // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF.
            guard byte == HTTPGrammar.cr else { throw .invalidChunkedBody }
            state = .dataLF
        case .dataLF:
            guard byte == HTTPGrammar.lf else { throw .invalidChunkedBody }
            startChunkLine()
        case .trailerLineStart, .trailerName, .trailerSpaceAfterName, .trailerValue, .trailerLineLF, .finalLF:
            trailerSectionBytes += 1
            guard trailerSectionBytes <= Self.maxTrailerSectionBytes else { throw .trailerSectionTooLarge }
            try readTrailerByte(byte)
        default:
            chunkLineBytes += 1
            guard chunkLineBytes <= Self.maxChunkLineBytes else { throw .chunkLineTooLong }
            try readChunkLineByte(byte)
        }
    }

    /// Gets ready for the next chunk-size line.
    private mutating func startChunkLine() {
        state = .chunkSize
        chunkSize = 0
        chunkSizeDigits = 0
        chunkLineBytes = 0
    }

    /// Called at the LF of a chunk-size line: data follows, or the trailer section after the
    /// last chunk (RFC 9112 §7.1: last-chunk = 1*("0") [ chunk-ext ] CRLF).
    mutating func endChunkLine() {
        if chunkSize == 0 {
            state = .trailerLineStart
            trailerSectionBytes = 0
        } else {
            state = .data(remaining: chunkSize)
        }
    }
}
