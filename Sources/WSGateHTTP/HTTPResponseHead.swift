public import WSGateCore

/// The status-line and header fields of a response the gateway sends.
///
/// Why it exists: the gateway writes two kinds of answers itself (the 101 that completes a
/// WebSocket upgrade and short plain-text refusals), and their bytes must be exact:
/// `HTTP/1.1 <code> <reason>` CRLF, each field as `Name: value` CRLF in order, then CRLF
/// (RFC 9112 §4, §5). It writes no body and decides no policy (which headers to send is the
/// caller's choice), but it never lets a bad name or value split the response: see
/// `write(into:)`.
public struct HTTPResponseHead: Equatable, Sendable {
    /// The version every response carries: the gateway speaks HTTP/1.1 (RFC 9112 §2.3).
    public static let version = HTTPVersion.http1_1
    /// "HTTP/1.1 ", made once.
    private static let statusLinePrefix = "\(version) "

    /// The status of the response.
    public var status: HTTPStatus
    /// The fields, written in this order.
    public var headers: HTTPHeaders

    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.headers = headers
    }

    /// Appends the serialized head to `buffer`.
    ///
    /// A field whose name is not a token is skipped. In values and in the reason phrase, every
    /// control byte other than HTAB (CR, LF, NUL, ...) and DEL is written as SP, as RFC 9110 §5.5
    /// allows ("replace each of those characters with SP"), so no value can inject a line.
    public func write(into buffer: inout ByteBuffer) {
        // status-line = HTTP-version SP status-code SP [ reason-phrase ]  (RFC 9112 §4)
        buffer.writeString(Self.statusLinePrefix)
        if (100...999).contains(status.code) {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(status.code / 100))
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(status.code / 10 % 10))
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(status.code % 10))
        } else {
            buffer.writeString(String(status.code))
        }
        buffer.writeInteger(HTTPGrammar.sp)
        Self.writeSanitized(status.reasonPhrase, into: &buffer)
        Self.writeLineEnd(into: &buffer)
        for (name, value) in headers where HTTPHeaders.isValidName(name) {
            // field-line = field-name ":" OWS field-value OWS  (RFC 9112 §5); one SP as OWS.
            buffer.writeString(name)
            buffer.writeInteger(HTTPGrammar.colon)
            buffer.writeInteger(HTTPGrammar.sp)
            Self.writeSanitized(value, into: &buffer)
            Self.writeLineEnd(into: &buffer)
        }
        // RFC 9112 §2.1: the field lines end with an empty line.
        Self.writeLineEnd(into: &buffer)
    }

    private static func writeLineEnd(into buffer: inout ByteBuffer) {
        buffer.writeInteger(HTTPGrammar.cr)
        buffer.writeInteger(HTTPGrammar.lf)
    }

    private static func writeSanitized(_ text: String, into buffer: inout ByteBuffer) {
        if text.utf8.allSatisfy(HTTPGrammar.isFieldValueByte) {
            buffer.writeString(text)
        } else {
            buffer.writeBytes(text.utf8.map { HTTPGrammar.isFieldValueByte($0) ? $0 : HTTPGrammar.sp })
        }
    }
}
