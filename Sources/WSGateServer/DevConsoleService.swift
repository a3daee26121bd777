import WSGateHTTP

/// `--devconsole`: answers every plain-HTTP request with the developer console page.
///
/// Why it exists: websocketd's console lets a developer try a program from a browser with no
/// page of their own: every path that is not an upgrade gets the console, which connects back
/// to that same path. What it answers:
/// - GET and HEAD: 200, the page (`DevConsolePage`) with its URL box prefilled from `Host` and
///   the request-target, `Last-Modified` = the server's start (as websocketd),
///   `Cache-Control: no-cache`, and a `Content-Security-Policy` that allows nothing but the
///   page's own inline style and script and WebSocket connections (no 304: the page is a few
///   KiB and carries the request's URL);
/// - other methods: 405 with `Allow: GET, HEAD` (websocketd serves the page to any method).
struct DevConsoleService: Sendable {
    /// The server's start (Unix seconds): the page's `Last-Modified`.
    let startedAt: Int
    /// `--ssl`: the prefilled URL is `wss://`.
    var isTLS = false
    /// The log message of every answer, as websocketd's.
    static let logMessage = "DEVCONSOLE"
    /// Inline style and script only; `connect-src` lets the URL box point at any WebSocket.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        + "connect-src ws: wss:; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    func respond(to head: HTTPRequestHead, extraHeaders: [(name: String, value: String)], now: Int) -> PlainHTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Date", value: HTTPDate(unixSeconds: now).imfFixdate)
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        guard head.method == "GET" || head.method == "HEAD" else {
            let body = Array("405 Method Not Allowed\n".utf8)
            headers.add(name: "Allow", value: "GET, HEAD")
            headers.add(name: "Content-Type", value: HTTPResponseHead.plainTextContentType)
            headers.add(name: "Content-Length", value: String(body.count))
            return PlainHTTPResponse(head: HTTPResponseHead(status: .methodNotAllowed, headers: headers), body: .bytes(body),
                                     logMessage: "\(Self.logMessage) refused (405): method \(head.method)")
        }
        let page = DevConsolePage.html(prefilledURL: Self.webSocketURL(for: head, isTLS: isTLS))
        headers.add(name: "Content-Type", value: DevConsolePage.contentType)
        headers.add(name: "Content-Length", value: String(page.count))
        // Never in the future (RFC 9110 §8.8.2.1), should the clock have been set back.
        headers.add(name: "Last-Modified", value: HTTPDate(unixSeconds: min(startedAt, now)).imfFixdate)
        headers.add(name: "Cache-Control", value: "no-cache")
        headers.add(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        return PlainHTTPResponse(head: HTTPResponseHead(status: .ok, headers: headers),
                                 body: head.method == "HEAD" ? .none : .bytes(page), logMessage: Self.logMessage)
    }

    /// `ws://` (`wss://` with `--ssl`) + the request's authority (an absolute-form target's,
    /// else `Host`) + path and query: where the page's socket goes. Unescaped:
    /// `DevConsolePage` escapes it.
    static func webSocketURL(for head: HTTPRequestHead, isTLS: Bool = false) -> String {
        let authority = head.requestTarget.authority ?? head.headers.first("Host") ?? ""
        return (isTLS ? "wss://" : "ws://") + authority + head.path + (head.query.isEmpty ? "" : "?" + head.query)
    }
}
