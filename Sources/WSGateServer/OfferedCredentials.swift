import WSGateHTTP

/// What a request offered to `--auth-token-key` / `--auth-basic`, and the request without it.
///
/// Why it exists: browsers cannot set headers on a WebSocket, so a token may come in the
/// `Authorization` header, a cookie or a query parameter (RFC 6750 §2); wherever it came, it
/// must then reach no program, log line or CGI variable. Taking every credential out of the
/// head once, before anything else reads the head, keeps that true downstream: the
/// `Authorization` header, the token cookie and every token parameter are removed even when
/// another credential is the one used.
struct OfferedCredentials {
    /// One credential and where it came from.
    struct Credential: Equatable {
        enum Kind: Equatable {
            case bearer
            case basic
        }

        enum Source: String, Equatable {
            case header = "Authorization header"
            case cookie
            case query = "query parameter"
        }

        let kind: Kind
        /// The token, or for Basic the whole `Authorization` value (`BasicCredentials` reads it).
        let value: String
        let source: Source
    }

    /// The credential used: the `Authorization` header's (Bearer or Basic), else the token
    /// cookie, else the token parameter; nil when none came (or the header has another scheme).
    let credential: Credential?
    /// The request without any of them; nil only if the shortened request-target would not
    /// parse (it always does: removing whole query items keeps a valid target).
    let head: HTTPRequestHead?

    init(from head: HTTPRequestHead, cookie: String?, parameter: String?) {
        var found: Credential?
        if let authorization = head.headers.first("Authorization") {
            found = Self.authorization(authorization)
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(head.headers.count)
        for (name, value) in head.headers {
            if name.lowercased() == "authorization" { continue }
            if let cookie, name.lowercased() == "cookie" {
                let (token, rest) = Self.takeCookie(cookie, from: value)
                if found == nil, let token { found = Credential(kind: .bearer, value: token, source: .cookie) }
                if let rest { headers.add(name: name, value: rest) }
                continue
            }
            headers.add(name: name, value: value)
        }
        var target = head.target
        if let parameter, !head.query.isEmpty {
            let (token, query) = Self.takeParameter(parameter, from: head.query)
            if found == nil, let token { found = Credential(kind: .bearer, value: token, source: .query) }
            let base = head.target.prefix { $0 != "?" }
            target = query.isEmpty ? String(base) : base + "?" + query
        }
        credential = found
        self.head = Self.rebuilt(head, target: target, headers: headers)
    }

    /// `Bearer TOKEN` or `Basic BASE64` (the scheme in any case, RFC 9110 §11.1); nil for
    /// another scheme.
    static func authorization(_ value: String) -> Credential? {
        let trimmed = value.drop { $0 == " " || $0 == "\t" }
        let scheme = trimmed.prefix { $0 != " " && $0 != "\t" }
        let rest = String(trimmed.dropFirst(scheme.count).drop { $0 == " " || $0 == "\t" })
        switch scheme.lowercased() {
        case "bearer": return Credential(kind: .bearer, value: rest, source: .header)
        case "basic": return Credential(kind: .basic, value: String(trimmed), source: .header)
        default: return nil
        }
    }

    /// The named cookie's value (quotes removed, RFC 6265 §4.1.1) and the header's other
    /// cookies (nil when none is left).
    static func takeCookie(_ name: String, from header: String) -> (token: String?, rest: String?) {
        var token: String?
        var kept: [Substring] = []
        for pair in header.split(separator: ";", omittingEmptySubsequences: true) {
            let item = pair.drop { $0 == " " || $0 == "\t" }
            let equals = item.firstIndex(of: "=") ?? item.endIndex
            guard item[..<equals].elementsEqual(name) else {
                if !item.isEmpty { kept.append(item) }
                continue
            }
            var value = equals == item.endIndex ? "" : item[item.index(after: equals)...]
            while value.last == " " || value.last == "\t" { value.removeLast() }
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            if token == nil { token = String(value) }
        }
        return (token, kept.isEmpty ? nil : kept.joined(separator: "; "))
    }

    /// The named parameter's first value (as sent: a JWT needs no percent-encoding) and the
    /// query without any item of that name.
    static func takeParameter(_ name: String, from query: String) -> (token: String?, query: String) {
        var token: String?
        var kept: [Substring] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: false) {
            let equals = item.firstIndex(of: "=") ?? item.endIndex
            guard item[..<equals].elementsEqual(name) else {
                kept.append(item)
                continue
            }
            if token == nil { token = equals == item.endIndex ? "" : String(item[item.index(after: equals)...]) }
        }
        return (token, kept.joined(separator: "&"))
    }

    private static func rebuilt(_ head: HTTPRequestHead, target: String, headers: HTTPHeaders) -> HTTPRequestHead? {
        do {
            return try HTTPRequestHead(method: head.method, target: RequestTarget(parsing: target), version: head.version,
                                       headers: headers)
        } catch {
            return nil
        }
    }
}
