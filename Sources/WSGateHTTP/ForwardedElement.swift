/// Reads one element of a `Forwarded` header (RFC 7239 §4) down to the hop its `for` names.
///
/// Why it exists: RFC 7239 packs several parameters into an element ("forwarded-element =
/// [ forwarded-pair ] *( ";" [ forwarded-pair ] )", "forwarded-pair = token "=" value",
/// "value = token / quoted-string"), and only `for` says where the request came from. The
/// grammar is applied strictly, because a lenient reading of a malformed element could name an
/// address its writer never meant: an element that does not parse, repeats a parameter ("Each
/// parameter MUST NOT occur more than once per forwarded-element", §5) or has no `for` is
/// `.unusable`. An IPv6 `for` must be quoted and bracketed, as §6 requires; spaces around `;`
/// are tolerated.
enum ForwardedElement {
    /// The hop named by `element`'s `for` parameter.
    static func hop(_ element: ArraySlice<UInt8>) -> ForwardedHop {
        var scanner = ElementScanner(element)
        var names: [[UInt8]] = []
        var forValue: [UInt8]?
        while !scanner.isAtEnd {
            scanner.skipWhitespace()
            if scanner.skip(UInt8(ascii: ";")) { continue }
            if scanner.isAtEnd { break }
            // "The parameter names are case-insensitive." (RFC 7239 §4)
            let name = scanner.take(while: HTTPGrammar.isTokenChar).map(HTTPGrammar.lowercased)
            guard !name.isEmpty, scanner.skip(UInt8(ascii: "=")), let value = scanner.value(),
                  !names.contains(name) else {
                return .unusable
            }
            names.append(name)
            if name == Array("for".utf8) { forValue = value }
            scanner.skipWhitespace()
            guard scanner.isAtEnd || scanner.skip(UInt8(ascii: ";")) else { return .unusable }
        }
        guard let forValue else { return .unusable }
        return ForwardedNode.hop(forValue[...], allowsBareIPv6: false)
    }
}

/// A cursor over one `Forwarded` element.
private struct ElementScanner {
    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    var isAtEnd: Bool { index == bytes.endIndex }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard index < bytes.endIndex, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func skipWhitespace() {
        while index < bytes.endIndex, HTTPGrammar.isWhitespace(bytes[index]) { index += 1 }
    }

    mutating func take(while belongs: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let start = index
        while index < bytes.endIndex, belongs(bytes[index]) { index += 1 }
        return bytes[start..<index]
    }

    /// `value = token / quoted-string`, unescaped; nil if neither comes next.
    mutating func value() -> [UInt8]? {
        guard skip(UInt8(ascii: "\"")) else {
            let token = take(while: HTTPGrammar.isTokenChar)
            return token.isEmpty ? nil : Array(token)
        }
        // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 §5.6.4)
        var result: [UInt8] = []
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return result
            case UInt8(ascii: "\\"):
                guard index < bytes.endIndex, Self.isQuotable(bytes[index]) else { return nil }
                result.append(bytes[index])
                index += 1
            default:
                guard Self.isQuotable(byte) else { return nil }
                result.append(byte)
            }
        }
        return nil // no closing quote
    }

    /// HTAB / SP / VCHAR / obs-text: what qdtext and quoted-pair may carry (DQUOTE and `\`
    /// are handled before this is asked).
    private static func isQuotable(_ byte: UInt8) -> Bool {
        byte == HTTPGrammar.htab || (byte >= 0x20 && byte != 0x7F)
    }
}
