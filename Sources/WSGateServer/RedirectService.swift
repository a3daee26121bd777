import WSGateBackends
import WSGateHTTP

/// `--redirport=N`: the plain-HTTP listener's one answer, a 301 to the same host, path and
/// query on the gateway's own port (`https://` with `--ssl`).
///
/// Why it exists: browsers and links reach `http://host/…` first; the redirect sends them to
/// the real listener without an nginx in front. websocketd answers the same 301 but drops the
/// path and query, and 0.4.1 panics on a Host header without a port; here the path and query
/// are kept (`return 301 https://$host$request_uri` in nginx terms) and any Host works.
struct RedirectService: Sendable {
    /// "https" with `--ssl`, else "http".
    let scheme: String
    /// The gateway's `--port`.
    let port: Int
    static let logMessage = "REDIRECT"

    /// The 301 for `head`; `localHost` names this server when the request has no usable Host.
    func respond(to head: HTTPRequestHead, localHost: () -> String, extraHeaders: [(name: String, value: String)],
                 date: String) -> PlainHTTPResponse {
        let target = location(for: head, localHost: localHost)
        let body = Array("<a href=\"\(HTMLText.escaped(target))\">Moved Permanently</a>.\n\n".utf8)
        var headers = HTTPHeaders()
        headers.reserveCapacity(5 + extraHeaders.count)
        headers.add(name: "Date", value: date)
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        headers.add(name: "Location", value: target)
        headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.count))
        return PlainHTTPResponse(head: HTTPResponseHead(status: .movedPermanently, headers: headers),
                                 body: head.method == "HEAD" ? .none : .bytes(body), logMessage: Self.logMessage)
    }

    /// `scheme://host[:port]/path?query`: the host of the request's authority (an
    /// absolute-form target's, else the Host header), its port replaced by ours and left out
    /// when it is the scheme's default; `localHost()` when the request names no usable host.
    func location(for head: HTTPRequestHead, localHost: () -> String) -> String {
        let authority = head.requestTarget.authority ?? head.headers.first("Host") ?? ""
        var host: String
        switch HostPortSplitter.split(authority) {
        case .split(let name, _): host = name
        case .missingPort: host = authority
        case .invalid: host = ""
        }
        if host.isEmpty || !host.utf8.allSatisfy(Self.isHostByte) { host = localHost() }
        if host.contains(":") && !host.hasPrefix("[") { host = "[" + host + "]" }
        let defaultPort = scheme == "https" ? 443 : 80
        let hostAndPort = port == defaultPort ? host : host + ":" + String(port)
        let path = head.path.hasPrefix("/") ? head.path : "/"
        return scheme + "://" + hostAndPort + path + (head.query.isEmpty ? "" : "?" + head.query)
    }

    /// What a host may hold (RFC 3986 §3.2.2: reg-name, an IPv4 or a bracketed IP literal);
    /// anything else in a Host header is not sent back to the browser.
    private static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "-._~%!$&'()*+,;=:[]".utf8.contains(byte)
        }
    }
}
