/// Reads one `Sec-WebSocket-Extensions` field value element by element (RFC 6455 §9.1):
///
///     extension-list = 1#extension
///     extension = extension-token *( ";" extension-param )
///     extension-param = token [ "=" (token | quoted-string) ]
///
/// Why it exists: the list syntax (OWS, empty elements, quoted strings) is the only part of
/// extension negotiation that deals with bytes; keeping it here lets the offer type and the
/// negotiations stay plain values. §9.1 uses RFC 2616's "implied *LWS rule", so optional
/// whitespace may stand around `,`, `;` and `=`.
struct WebSocketExtensionListReader {
    enum Element {
        case offer(WebSocketExtensionOffer)
        /// Well-formed, but with more than `WebSocketExtensionOffer.maximumParameters` parameters.
        case tooManyParameters
        /// Not an `extension`: what follows can no longer be split reliably.
        case malformed
    }

    private let bytes: [UInt8]
    private var position = 0

    init(_ value: String) {
        bytes = Array(value.utf8)
    }

    /// The next non-empty element, or nil at the end of the value. RFC 9110 §5.6.1: "a recipient
    /// MUST accept empty list elements ... and ignore them".
    mutating func next() -> Element? {
        skipWhitespace()
        while peek(",") {
            position += 1
            skipWhitespace()
        }
        guard position < bytes.count else { return nil }
        guard let element = readExtension() else { return .malformed }
        skipWhitespace()
        if position < bytes.count {
            guard peek(",") else { return .malformed }
            position += 1
        }
        return element
    }

    private mutating func readExtension() -> Element? {
        guard let name = readToken() else { return nil }
        var parameters: [WebSocketExtensionOffer.Parameter] = []
        var tooMany = false
        skipWhitespace()
        while peek(";") {
            position += 1
            skipWhitespace()
            guard let parameterName = readToken() else { return nil }
            skipWhitespace()
            var value: String?
            if peek("=") {
                position += 1
                skipWhitespace()
                guard let read = peek("\"") ? readQuotedToken() : readToken() else { return nil }
                value = read
                skipWhitespace()
            }
            if parameters.count < WebSocketExtensionOffer.maximumParameters {
                parameters.append(.init(name: parameterName, value: value))
            } else {
                tooMany = true
            }
        }
        return tooMany ? .tooManyParameters : .offer(WebSocketExtensionOffer(name: name, parameters: parameters))
    }

    /// `token = 1*tchar` (RFC 9110 §5.6.2).
    private mutating func readToken() -> String? {
        let start = position
        while position < bytes.count, Self.isTokenByte(bytes[position]) { position += 1 }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// A quoted-string whose unescaped value is a token. §9.1: "When using the quoted-string
    /// syntax variant, the value after quoted-string unescaping MUST conform to the 'token'
    /// ABNF." So every byte inside, bare or after a backslash (`quoted-pair`), must be a tchar.
    private mutating func readQuotedToken() -> String? {
        position += 1
        var value: [UInt8] = []
        while position < bytes.count, !peek("\"") {
            if peek("\\") { position += 1 }
            guard position < bytes.count, Self.isTokenByte(bytes[position]) else { return nil }
            value.append(bytes[position])
            position += 1
        }
        guard position < bytes.count, !value.isEmpty else { return nil }
        position += 1
        return String(decoding: value, as: UTF8.self)
    }

    /// `OWS = *( SP / HTAB )` (RFC 9110 §5.6.3).
    private mutating func skipWhitespace() {
        while peek(" ") || peek("\t") { position += 1 }
    }

    private func peek(_ character: Unicode.Scalar) -> Bool {
        position < bytes.count && bytes[position] == UInt8(ascii: character)
    }

    /// `tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" /
    /// "|" / "~" / DIGIT / ALPHA` (RFC 9110 §5.6.2).
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
