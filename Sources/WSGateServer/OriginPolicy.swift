import WSGateBackends
/// Decides whether an upgrade request's Origin is allowed: websocketd's `--origin=LIST` and
/// `--sameorigin` rules (docs/behaviour.md, 'Origin', with the observed cases). A refused
/// request gets 403.
///
/// Why it exists: a WebSocket is not covered by the browser's same-origin policy (RFC 6455
/// §10.2: "servers that are not intended to process input from any web page but only for
/// certain sites SHOULD verify the |Origin| field is an origin they expect"), so any page on
/// the web could drive a local program through wsgate unless the operator restricts origins.
///
/// Rules (websocketd's, with the differences listed below):
/// - Without `--origin` and `--sameorigin` every request is allowed, Origin or not.
/// - When restricted, a missing, empty or "null" Origin is refused, and so is one that is not
///   `scheme://host[:port]` (RFC 6454 §7; a path after the authority is ignored).
/// - `--origin` entries: `host`, `host:port`, `scheme://host[:port]`. No port ⇒ any port;
///   a scheme ⇒ the Origin's scheme must be the same. The Origin's port defaults to 443 for
///   https/wss and 80 otherwise.
/// - `--sameorigin`: the Origin's host and port must equal the Host header's; the scheme is
///   ignored (an https page on the same host:port is accepted, as observed). The Host header
///   is the browser's, so DNS rebinding passes (the attacker's name is both Origin and Host);
///   only an `--origin` list names who may connect.
/// - Both may be given: both must pass.
///
/// Decisions where websocketd is odd (all recorded for the README):
/// - Host names compare case-insensitively and IPv6 brackets are ignored on both sides
///   (websocketd compares Go strings: "[::1]" without a port keeps its brackets and then
///   never equals "::1").
/// - A Host header without a port takes the ORIGIN scheme's default port (websocketd uses
///   the connection's: 80 on plain, 443 on TLS). So behind a TLS-terminating proxy that
///   forwards `Host: example.com`, the page `https://example.com` is same-origin; websocketd
///   refuses it.
/// - Entries are trimmed of spaces, may carry a path ("https://a.example/"), which is
///   ignored, and an empty port ("host:") counts as no port; empty or unparsable entries
///   match nothing (but still make the policy restrictive). An Origin with user info is
///   refused. websocketd refuses an unparsable Origin even without restrictions; wsgate
///   allows every request when unrestricted.
public struct OriginPolicy: Sendable {
    /// One parsed `--origin` entry.
    struct Entry: Equatable, Sendable {
        /// Lowercased scheme the Origin must have, or nil for any.
        var scheme: String?
        /// Lowercased host without brackets.
        var host: String
        /// Required port, or nil for any.
        var port: String?
    }

    /// A parsed Origin header (RFC 6454 §7.1 serialisation).
    struct Origin: Equatable, Sendable {
        var scheme: String
        var host: String
        /// Explicit or default port.
        var port: String
    }

    /// Port of an origin whose scheme is https or wss and that names no port (RFC 9110 §4.2.2).
    public static let defaultSecurePort = "443"
    /// Port of any other origin that names no port (RFC 9110 §4.2.1).
    public static let defaultPort = "80"

    /// `--sameorigin`.
    public let sameOrigin: Bool
    /// The usable `--origin` entries.
    let entries: [Entry]
    /// `--origin` was given (even if none of its entries is usable).
    let hasList: Bool

    /// `allowed`: the `--origin` list split at commas, or [] when the flag is absent or
    /// empty (websocketd: `--origin=` means no restriction).
    public init(allowed: [String], sameOrigin: Bool) {
        self.sameOrigin = sameOrigin
        hasList = !allowed.isEmpty
        entries = allowed.compactMap(Self.parseEntry)
    }

    /// Whether any check is active (otherwise `allows` is always true).
    public var isRestricted: Bool { sameOrigin || hasList }

    /// `origin`: the Origin header (nil if absent); `host`: the Host header (nil if absent).
    public func allows(origin: String?, host: String?) -> Bool {
        refusal(origin: origin, host: host) == nil
    }

    /// Why the request is refused, in websocketd's log words (`--sameorigin` is checked
    /// first), or nil when it is allowed.
    public func refusal(origin: String?, host: String?) -> String? {
        guard isRestricted else { return nil }
        let sameOriginMismatch = "Same origin policy mismatch"
        let notListed = "Origin is not listed in allowed list"
        guard let origin, origin != "null", let parsed = Self.parseOrigin(origin) else {
            return sameOrigin ? sameOriginMismatch : notListed
        }
        if sameOrigin && !Self.isSameOrigin(parsed, host: host) { return sameOriginMismatch }
        if hasList && !entries.contains(where: { Self.matches($0, parsed) }) { return notListed }
        return nil
    }

    // MARK: - Matching

    static func matches(_ entry: Entry, _ origin: Origin) -> Bool {
        if let scheme = entry.scheme, !sameBytes(scheme, origin.scheme) { return false }
        if let port = entry.port, !sameBytes(port, origin.port) { return false }
        return sameBytes(entry.host, origin.host)
    }

    /// Byte equality, as websocketd's Go strings compare. String's `==` is canonical
    /// equivalence: "e\u{301}" equals "\u{E9}", which no browser-sent origin means.
    static func sameBytes(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    static func isSameOrigin(_ origin: Origin, host: String?) -> Bool {
        guard let host, !host.isEmpty else { return false }
        let hostName: String, port: String
        switch HostPortSplitter.split(host) {
        case .split(let name, let explicitPort):
            hostName = name
            port = explicitPort.isEmpty ? defaultPort(forScheme: origin.scheme) : explicitPort
        case .missingPort:
            hostName = host
            port = defaultPort(forScheme: origin.scheme)
        case .invalid:
            return false
        }
        return sameBytes(normalizedHost(hostName), origin.host) && sameBytes(port, origin.port)
    }

    static func defaultPort(forScheme scheme: String) -> String {
        scheme == "https" || scheme == "wss" ? defaultSecurePort : defaultPort
    }

    // MARK: - Parsing

    static func containsSchemeSeparator(_ text: Substring) -> Bool {
        schemeSeparatorOffset(Array(text.utf8)) != nil
    }

    /// Offset of the first "://" in `bytes`.
    private static func schemeSeparatorOffset(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 3 else { return nil }
        return (0 ... bytes.count - 3).first {
            bytes[$0] == UInt8(ascii: ":") && bytes[$0 + 1] == UInt8(ascii: "/") && bytes[$0 + 2] == UInt8(ascii: "/")
        }
    }

    /// `scheme://authority[/…]` as (lowercased scheme, authority, rest ignored), or nil.
    static func splitScheme(_ text: Substring) -> (scheme: String, authority: Substring)? {
        let bytes = Array(text.utf8)
        guard let start = schemeSeparatorOffset(bytes), start > 0 else { return nil }
        let scheme = String(decoding: bytes[..<start], as: UTF8.self).lowercased()
        guard isValidScheme(scheme) else { return nil }
        let afterScheme = text.utf8.index(text.utf8.startIndex, offsetBy: start + 3)
        let rest = text[afterScheme...]
        // On bytes: a combining mark after "/" makes one Character that is not "/".
        let authorityEnd = rest.utf8.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
            ?? rest.endIndex
        return (scheme, rest[..<authorityEnd])
    }

    /// RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
    static func isValidScheme(_ scheme: String) -> Bool {
        guard let first = scheme.utf8.first, isASCIILetter(first) else { return false }
        return scheme.utf8.allSatisfy { isASCIILetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func parseOrigin(_ text: String) -> Origin? {
        guard let (scheme, authority) = splitScheme(text[...]), !authority.isEmpty,
              !authority.utf8.contains(UInt8(ascii: "@"))
        else { return nil }
        switch HostPortSplitter.split(String(authority)) {
        case .split(let host, let port):
            guard !host.isEmpty else { return nil }
            return Origin(scheme: scheme, host: normalizedHost(host),
                          port: port.isEmpty ? defaultPort(forScheme: scheme) : port)
        case .missingPort:
            return Origin(scheme: scheme, host: normalizedHost(String(authority)), port: defaultPort(forScheme: scheme))
        case .invalid:
            return nil
        }
    }

    static func parseEntry(_ raw: String) -> Entry? {
        let text = trimmedSpaces(raw)
        guard !text.isEmpty else { return nil }
        let scheme: String?
        let hostPort: Substring
        if containsSchemeSeparator(text) {
            // websocketd skips an entry whose URL does not parse.
            guard let (parsedScheme, authority) = splitScheme(text) else { return nil }
            scheme = parsedScheme
            hostPort = authority
        } else {
            scheme = nil
            hostPort = text[..<(text.utf8.firstIndex(of: UInt8(ascii: "/")) ?? text.endIndex)]
        }
        guard !hostPort.isEmpty else { return nil }
        switch HostPortSplitter.split(String(hostPort)) {
        case .split(let host, let port):
            guard !host.isEmpty else { return nil }
            return Entry(scheme: scheme, host: normalizedHost(host), port: port.isEmpty ? nil : port)
        case .missingPort:
            return Entry(scheme: scheme, host: normalizedHost(String(hostPort)), port: nil)
        case .invalid:
            return nil
        }
    }

    /// Lowercased, without the brackets of an IPv6 literal (RFC 3986 §3.2.2).
    static func normalizedHost(_ host: String) -> String {
        var name = host[...]
        if name.utf8.first == UInt8(ascii: "["), name.utf8.last == UInt8(ascii: "]"), name.utf8.count >= 2 {
            name = Substring(name.utf8.dropFirst().dropLast())
        }
        return name.lowercased()
    }

    private static func trimmedSpaces(_ text: String) -> Substring {
        var slice = text[...]
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return slice
    }
}
