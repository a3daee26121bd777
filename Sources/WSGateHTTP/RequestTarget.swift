/// A request-target split into the parts the gateway routes on: path and raw query.
///
/// Why it exists: websocketd-style routing looks at the path (which script to run) and hands the
/// query to the script untouched (`QUERY_STRING`), so the split must be exact and must never
/// decode percent-escapes. Only the two forms a WebSocket client may send are accepted
/// (RFC 9112 §3.2): origin-form (`/chat?x=1`) and absolute-form (`ws://host/chat?x=1`,
/// also http, https and wss). It does not normalise the path (no dot-segment removal, no
/// decoding): whoever maps a path to a file must do that safely.
public struct RequestTarget: Equatable, Hashable, Sendable {
    /// Which request-target form was sent (RFC 9112 §3.2).
    public enum Form: Equatable, Hashable, Sendable {
        /// `absolute-path [ "?" query ]` (RFC 9112 §3.2.1).
        case origin
        /// `absolute-URI` (RFC 9112 §3.2.2).
        case absolute
    }

    /// URI schemes accepted in absolute-form: HTTP's own (RFC 9110 §4.2) and WebSocket's
    /// (RFC 6455 §3).
    public static let absoluteFormSchemes = ["http", "https", "ws", "wss"]

    /// The request-target exactly as sent.
    public let raw: String
    /// The form it was sent in.
    public let form: Form
    /// The scheme, lowercased, in absolute-form; nil in origin-form.
    public let scheme: String?
    /// The authority (`host[:port]`) in absolute-form; nil in origin-form.
    public let authority: String?
    /// The path: everything before the first "?" (from the first "/" after the authority in
    /// absolute-form, and "/" when that form has an empty path, RFC 9112 §3.2.1).
    public let path: String
    /// The raw text after the first "?", "" when there is none; never decoded.
    public let query: String

    /// Splits `raw`, or throws `invalidTarget` when it is not an acceptable request-target.
    public init(parsing raw: String) throws(HTTPParseError) {
        let bytes = raw.utf8
        // RFC 9112 §3.2: "A recipient [...] SHOULD respond with a 400 (Bad Request) [...] if the
        // request-target contains whitespace"; CTLs and non-ASCII bytes are not URI characters
        // either (RFC 3986 §2), and a request-target never carries a "#fragment".
        guard !bytes.isEmpty,
              bytes.allSatisfy({ HTTPGrammar.isTargetByte($0) && $0 != HTTPGrammar.numberSign })
        else { throw .invalidTarget }

        self.raw = raw
        if bytes.first == HTTPGrammar.slash {
            // origin-form = absolute-path [ "?" query ]  (RFC 9112 §3.2.1)
            form = .origin
            scheme = nil
            authority = nil
            (path, query) = Self.splitQuery(raw[...])
            return
        }

        // absolute-form = absolute-URI, with hier-part = "//" authority path-abempty
        // (RFC 9112 §3.2.2, RFC 3986 §3). Anything else (asterisk-form "*", authority-form
        // "host:port", relative or other-scheme URIs) is refused.
        guard let colon = bytes.firstIndex(of: HTTPGrammar.colon) else { throw .invalidTarget }
        let schemeText = String(raw[..<colon]).lowercased()
        guard Self.absoluteFormSchemes.contains(schemeText) else { throw .invalidTarget }
        let afterColon = raw[raw.utf8.index(after: colon)...]
        guard afterColon.utf8.starts(with: "//".utf8) else { throw .invalidTarget }
        let rest = afterColon.dropFirst(2)
        let authorityEnd = rest.utf8.firstIndex {
            $0 == HTTPGrammar.slash || $0 == HTTPGrammar.questionMark
        } ?? rest.endIndex
        let authorityText = rest[..<authorityEnd]
        // RFC 9110 §4.2.4: "a recipient SHOULD parse for userinfo and treat its presence as an
        // error"; and the "http" scheme requires a non-empty host (RFC 9110 §4.2.1).
        guard !authorityText.isEmpty, !authorityText.utf8.contains(HTTPGrammar.atSign) else {
            throw .invalidTarget
        }
        form = .absolute
        scheme = schemeText
        authority = String(authorityText)
        let (splitPath, splitQuery) = Self.splitQuery(rest[authorityEnd...])
        path = splitPath.isEmpty ? "/" : splitPath
        query = splitQuery
    }

    /// Splits at the first "?" (RFC 3986 §3.4: the query starts at the first question mark).
    private static func splitQuery(_ text: Substring) -> (path: String, query: String) {
        guard let mark = text.utf8.firstIndex(of: HTTPGrammar.questionMark) else {
            return (String(text), "")
        }
        return (String(text[..<mark]), String(text[text.utf8.index(after: mark)...]))
    }
}
