public import WSGateCore

/// An incremental (push) parser of the header section a CGI script writes on its stdout before
/// the body (RFC 3875 §6), as Go's net/http/cgi reads it, but stricter.
///
/// Why it exists: `--cgidir` runs a script per request and must turn its output into an HTTP
/// response. The output arrives from a pipe in arbitrary pieces, its header section must be
/// found, bounded and checked before anything is sent, and the body bytes after it must be
/// left untouched. It performs no I/O and never crashes on what a script writes.
///
/// Use: append the bytes read from the pipe to a buffer and call `parse(_:)` after each append.
/// Each complete line is checked and consumed at once (its field kept in the parser); an
/// incomplete line stays in the buffer, and the parser remembers how far it scanned it, so
/// between calls the caller may only append. At the empty line ending the section it returns
/// the classified head and leaves the body bytes in the buffer; later calls return the same
/// head and consume nothing. At the end of the output, `finish()` says whether it ended too
/// early. After it has thrown, every later call throws the same error.
///
/// Rules: a line ends with LF or CRLF (Go's reader accepts both, and scripts write both); each
/// line is `field-name ":" [ field-value ]` with a token name and no whitespace before the
/// colon; the value is trimmed of SP and HTAB. Go logs and skips a line it cannot read; this
/// parser refuses it, as it refuses a continuation line (RFC 3875 §6.3: "CGI/1.1 does not
/// support continuation lines") and any control byte but HTAB in a value (RFC 9110 §5.5),
/// which could split the response. See `CGIResponseHead+Classification.swift` for what the
/// fields mean.
///
/// Limits: a header section (its final empty line included) of at most `maxHeadBytes` bytes,
/// and at most `maxFieldCount` lines; nothing beyond the limit is examined. Memory held is
/// bounded by the head limit.
public struct CGIResponseParser: Sendable {
    /// Default limit on the size of the header section: 32 KiB.
    public static let defaultMaxHeadBytes = 32 * 1024
    /// Default limit on the number of header lines.
    public static let defaultMaxFieldCount = 100

    /// The largest header section accepted, in bytes.
    public let maxHeadBytes: Int
    /// The largest number of header lines accepted.
    public let maxFieldCount: Int

    /// The fields of the lines consumed so far (empty values left out).
    private var fields = HTTPHeaders()
    /// Header lines consumed so far.
    private var fieldLineCount = 0
    /// Bytes of complete lines consumed so far.
    private var consumedBytes = 0
    /// Bytes at the start of the buffer (the line being received) known to hold no LF.
    private var scannedLineBytes = 0
    private var head: CGIResponseHead?
    private var failure: CGIResponseError?

    /// A parser enforcing the given limits (negative limits count as 0).
    public init(maxHeadBytes: Int = defaultMaxHeadBytes, maxFieldCount: Int = defaultMaxFieldCount) {
        self.maxHeadBytes = Swift.max(0, maxHeadBytes)
        self.maxFieldCount = Swift.max(0, maxFieldCount)
    }

    /// Consumes the complete lines of the header section in `input` and returns the head once
    /// its empty line has been consumed, or nil while more output is needed.
    public mutating func parse(_ input: inout ByteBuffer) throws(CGIResponseError) -> CGIResponseHead? {
        if let failure { throw failure }
        if let head { return head }
        do throws(CGIResponseError) {
            return try parseUnlessFailed(&input)
        } catch {
            failure = error
            throw error
        }
    }

    /// Called when the script's output has ended: throws unless the whole header section has
    /// been parsed (`noHeaderSection` when there was no output at all, `truncatedHeaderSection`
    /// otherwise), and the error `parse(_:)` threw if it did.
    public func finish() throws(CGIResponseError) {
        if let failure { throw failure }
        if head != nil { return }
        throw consumedBytes == 0 && scannedLineBytes == 0 ? .noHeaderSection : .truncatedHeaderSection
    }

    private mutating func parseUnlessFailed(_ input: inout ByteBuffer) throws(CGIResponseError) -> CGIResponseHead? {
        let available = input.readableBytes
        if available < scannedLineBytes { scannedLineBytes = 0 }
        // Never look past the limit: a section that ends later is too large anyway.
        let scanLimit = Swift.min(available, maxHeadBytes - consumedBytes)
        let consumed = try input.withUnsafeReadableBytes { (bytes) throws(CGIResponseError) -> Int in
            var lineStart = 0
            var index = scannedLineBytes
            while index < scanLimit && head == nil {
                if bytes[index] == HTTPGrammar.lf {
                    var lineEnd = index
                    if lineEnd > lineStart && bytes[lineEnd - 1] == HTTPGrammar.cr { lineEnd -= 1 }
                    try handleLine(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd]))
                    lineStart = index + 1
                }
                index += 1
            }
            scannedLineBytes = index - lineStart
            return lineStart
        }
        input.moveReaderIndex(forwardBy: consumed)
        consumedBytes += consumed
        if let head { return head }
        if consumedBytes + input.readableBytes > maxHeadBytes { throw .headerSectionTooLarge(limit: maxHeadBytes) }
        return nil
    }

    /// Handles one complete line (without its LF or CRLF).
    private mutating func handleLine(_ line: UnsafeRawBufferPointer) throws(CGIResponseError) {
        if line.isEmpty {
            // RFC 3875 §6.2: every response has at least one header field, then an empty line.
            guard fieldLineCount > 0 else { throw .noHeaderSection }
            head = try CGIResponseHead(classifying: fields)
            return
        }
        guard fieldLineCount < maxFieldCount else { throw .tooManyFields(limit: maxFieldCount) }
        fieldLineCount += 1
        let field = try Self.parseFieldLine(line)
        // RFC 3875 §6.3: "A NULL field value is equivalent to a field not being sent."
        if !field.value.isEmpty { fields.add(name: field.name, value: field.value) }
    }
}
