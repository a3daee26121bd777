import WSGateHTTP

/// Which service answers a request.
enum RequestRoute: Equatable, Sendable {
    /// The upgrade to a WebSocket session with the backend.
    case webSocket
    /// `--staticdir`.
    case staticFiles
    /// Nothing serves this request: 404.
    case notFound
}

/// Picks the service for each request head, in websocketd's order: an upgrade goes to the
/// WebSocket backend; anything else to the dev console, then CGI (an exact file path), then
/// static files, then metrics, else 404.
///
/// Why it exists: the order is a compatibility contract, so it lives in one table tested on
/// request heads without sockets, and `ClientConnection` only dispatches.
struct RequestRouter: Sendable {
    /// The plain-HTTP services configured, in the order they are asked.
    private let plainServices: [PlainService]
    private let hasWebSocketBackend: Bool

    /// A plain-HTTP service and whether it takes a request.
    private struct PlainService: Sendable {
        let route: RequestRoute
        let takes: @Sendable (HTTPRequestHead) -> Bool
    }

    init(hasWebSocketBackend: Bool, servesStaticFiles: Bool) {
        self.hasWebSocketBackend = hasWebSocketBackend
        var services: [PlainService] = []
        // Go's http.FileServer answers every path (404 for a missing file).
        if servesStaticFiles { services.append(PlainService(route: .staticFiles) { _ in true }) }
        plainServices = services
    }

    func route(_ head: HTTPRequestHead) -> RequestRoute {
        if hasWebSocketBackend && head.headers.containsToken("websocket", in: "Upgrade") { return .webSocket }
        return plainServices.first { $0.takes(head) }?.route ?? .notFound
    }
}
