public import WSGateCore

/// An incremental (push) parser for one HTTP/1.1 request head.
///
/// Why it exists: a WebSocket connection starts with an HTTP/1.1 upgrade request that arrives
/// in arbitrary pieces, possibly followed at once by the first WebSocket frames. This parser
/// finds the end of the head, enforces the strict RFC 9112 grammar and the size limits on
/// peer input, and leaves every byte after the head where it is. It reads no body, performs
/// no I/O and never crashes on peer input.
///
/// Use: append received bytes to a buffer and call `parse(_:)` after each append. While the
/// head is incomplete it returns nil and consumes nothing; it remembers how far it scanned,
/// so each byte is examined a bounded number of times however finely the head is split.
/// Between calls the caller may only append to the buffer. (If it then holds fewer readable
/// bytes than were already scanned, the scan restarts from the reader index; any other change
/// to bytes already scanned cannot be detected and is not supported.) When the head is complete it consumes exactly the head
/// (through the final CRLF CRLF), returns it, and is ready for a next head. After it has thrown,
/// every later call throws the same error: the connection must be answered with
/// `error.status` and closed. To parse afresh, use a fresh instance.
///
/// Limits: a head of up to `maxHeadBytes` bytes (counting any ignored leading empty lines and
/// the final CRLF CRLF) is accepted; once more than `maxHeadBytes` bytes are buffered without
/// the end of the head among the first `maxHeadBytes`, `headTooLarge` is thrown and nothing
/// beyond that limit is examined. More than `maxHeaderCount` field lines throw `tooManyHeaders`.
/// Memory held is bounded by the head limit.
public struct HTTPRequestParser: Sendable {
    /// Default limit on the head size: 16 KiB.
    public static let defaultMaxHeadBytes = 16384
    /// Default limit on the number of field lines.
    public static let defaultMaxHeaderCount = 100
    /// RFC 9112 §2.2: "a server that is expecting to receive and parse a request-line SHOULD
    /// ignore at least one empty line (CRLF) received prior to the request-line". We ignore two.
    static let maxLeadingEmptyLines = 2

    /// The largest head accepted, in bytes.
    public let maxHeadBytes: Int
    /// The largest number of field lines accepted.
    public let maxHeaderCount: Int

    /// What has been learned about the head being received; offsets are relative to the
    /// buffer's reader index, which does not move until the head is complete.
    private struct Progress: Sendable {
        /// Offset of the next byte not yet examined.
        var scanned = 0
        /// Offset of the first byte of the line being received.
        var lineStart = 0
        /// Empty lines ignored before the request-line.
        var emptyLinesSkipped = 0
        /// The request-line, once its line is complete.
        var requestLine: RequestLine?
        /// Spaces in the request-line received so far (0: in the method, 1: in the target).
        var requestLineSpaces = 0
        /// The field lines completed so far.
        var headers = HTTPHeaders()
    }

    private var progress = Progress()
    private var failure: HTTPParseError?

    /// How many bytes this parser has looked at in total (scanning for line ends plus parsing
    /// complete lines). Exposed to the package's tests to prove the scan is linear.
    package private(set) var bytesExamined = 0

    /// A parser enforcing the given limits (negative limits count as 0).
    public init(maxHeadBytes: Int = defaultMaxHeadBytes, maxHeaderCount: Int = defaultMaxHeaderCount) {
        self.maxHeadBytes = Swift.max(0, maxHeadBytes)
        self.maxHeaderCount = Swift.max(0, maxHeaderCount)
    }

    /// Returns the head once `buffer` holds all of it (consuming exactly the head), or nil
    /// (consuming nothing) while more bytes are needed.
    public mutating func parse(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> HTTPRequestHead? {
        if let failure { throw failure }
        do throws(HTTPParseError) {
            return try parseUnlessFailed(&buffer)
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func parseUnlessFailed(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> HTTPRequestHead? {
        let available = buffer.readableBytes
        if available < progress.scanned { progress = Progress() }
        // Never look past the limit: a head that ends later is too large anyway.
        let scanLimit = Swift.min(available, maxHeadBytes)
        let found = try buffer.withUnsafeReadableBytes { (bytes) throws(HTTPParseError) -> (head: HTTPRequestHead, length: Int)? in
            try scan(UnsafeRawBufferPointer(rebasing: bytes[..<scanLimit]))
        }
        if let found {
            buffer.moveReaderIndex(forwardBy: found.length)
            progress = Progress()
            return found.head
        }
        if available > maxHeadBytes { throw .headTooLarge }
        return nil
    }

    /// Examines the bytes not yet seen, handling each line as soon as its CRLF arrives.
    /// Returns the head and its length in bytes when the empty line ending it is found.
    private mutating func scan(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (head: HTTPRequestHead, length: Int)? {
        let start = progress.scanned
        var index = start
        defer {
            bytesExamined += index - start
            progress.scanned = index
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            guard byte == HTTPGrammar.lf else {
                if progress.requestLine == nil { try checkRequestLineByte(byte) }
                continue
            }
            // RFC 9112 §2.2: "Although the line terminator for the start-line and fields is the
            // sequence CRLF, a recipient MAY recognize a single LF as a line terminator" — this
            // gateway does not: a bare LF is how request smuggling hides, so it is an error.
            let lfOffset = index - 1
            guard lfOffset > progress.lineStart, bytes[lfOffset - 1] == HTTPGrammar.cr else {
                throw .bareLineFeed
            }
            let line = UnsafeRawBufferPointer(rebasing: bytes[progress.lineStart..<(lfOffset - 1)])
            progress.lineStart = index
            bytesExamined += line.count
            if let head = try handleLine(line) { return (head, index) }
        }
        return nil
    }

    /// Fails fast on a request-line that cannot become valid, instead of waiting up to 16 KiB
    /// (or the head timeout) for its end: binary junk, a TLS ClientHello sent to a plain port.
    /// Only bytes no valid request-line contains are refused here; the full grammar is checked
    /// once the line is complete.
    private mutating func checkRequestLineByte(_ byte: UInt8) throws(HTTPParseError) {
        let isControl = byte < 0x20 || byte == 0x7F
        if byte == HTTPGrammar.sp {
            progress.requestLineSpaces += 1
            return
        }
        if byte == HTTPGrammar.cr { return }
        switch progress.requestLineSpaces {
        case 0:
            // RFC 9112 §3.1: method = token.
            if isControl { throw .malformedRequestLine }
            if !HTTPGrammar.isTokenChar(byte) { throw .invalidMethod }
        case 1:
            // RFC 9112 §3.2: the target is visible ASCII.
            if byte == HTTPGrammar.htab { throw .malformedRequestLine }
            if isControl || byte >= 0x7F { throw .invalidTarget }
        default:
            if isControl || byte >= 0x7F { throw .malformedRequestLine }
        }
    }

    /// Handles one complete line (without its CRLF); returns the head at the final empty line.
    private mutating func handleLine(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPRequestHead? {
        guard let requestLine = progress.requestLine else {
            if line.isEmpty {
                guard progress.emptyLinesSkipped < Self.maxLeadingEmptyLines else { throw .malformedRequestLine }
                progress.emptyLinesSkipped += 1
            } else {
                progress.requestLine = try RequestLine(parsing: line)
            }
            return nil
        }
        if line.isEmpty {
            // RFC 9112 §2.1: the head ends with the empty line after the field lines.
            return try HTTPRequestHead(
                method: requestLine.method, target: requestLine.target,
                version: requestLine.version, headers: progress.headers)
        }
        guard progress.headers.count < maxHeaderCount else { throw .tooManyHeaders }
        let field = try Self.parseFieldLine(line)
        // Room for a browser's usual dozen fields at once instead of growing four times.
        if progress.headers.isEmpty { progress.headers.reserveCapacity(16) }
        progress.headers.add(name: field.name, value: field.value)
        return nil
    }
}
