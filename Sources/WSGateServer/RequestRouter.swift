import WSGateHTTP

/// A service that can answer a request.
enum RequestRoute: Equatable, Sendable {
    /// The upgrade to a WebSocket session with the backend.
    case webSocket
    /// `--devconsole`.
    case devConsole
    /// `--cgidir`.
    case cgi
    /// `--staticdir`.
    case staticFiles
    /// `--metrics=PATH`.
    case metrics
    /// `--redirport`'s 301 (its listeners answer nothing else).
    case redirect
    /// `--health=PATH`.
    case health
}

/// Picks the services for each request head, in websocketd's order: an upgrade goes to the
/// WebSocket backend; anything else to the dev console, then CGI (an exact file path), then
/// static files, then metrics, else 404. `--health`'s exact path comes before all of them,
/// upgrades included: a balancer's check must not depend on what else is served.
///
/// Why it exists: the order is a compatibility contract, so it lives in one table tested on
/// request heads without sockets, and `ClientConnection` only dispatches. A plain-HTTP service
/// may answer "not found here" (`PlainHTTPResponse.isNotFound`): the next one in the list is
/// asked, and the first such 404 is sent if none answers.
struct RequestRouter: Sendable {
    /// The plain-HTTP services configured, in the order they are asked.
    private let plainServices: [PlainService]
    private let hasWebSocketBackend: Bool
    private let healthPath: String?

    /// A plain-HTTP service and whether it takes a request.
    private struct PlainService: Sendable {
        let route: RequestRoute
        let takes: @Sendable (HTTPRequestHead) -> Bool
    }

    init(hasWebSocketBackend: Bool, servesDevConsole: Bool = false, servesCGI: Bool = false, servesStaticFiles: Bool,
         metricsPath: String? = nil, healthPath: String? = nil) {
        self.hasWebSocketBackend = hasWebSocketBackend
        self.healthPath = healthPath
        var services: [PlainService] = []
        // The console answers every path (websocketd's order: it comes first).
        if servesDevConsole { services.append(PlainService(route: .devConsole) { _ in true }) }
        // Whether the path names a script is the file system's answer (`CGIService`).
        if servesCGI { services.append(PlainService(route: .cgi) { _ in true }) }
        // Go's http.FileServer is asked for every path (a missing file is its 404).
        if servesStaticFiles { services.append(PlainService(route: .staticFiles) { _ in true }) }
        // Last: its exact path only, any method (405 for all but GET and HEAD), query ignored.
        if let metricsPath { services.append(PlainService(route: .metrics) { $0.path == metricsPath }) }
        plainServices = services
    }

    /// The services to ask, in order: `[.health]` for `--health`'s path (any method, query
    /// ignored); `[.webSocket]` for an upgrade to a gateway with a backend; else the plain-HTTP
    /// services that take the request (none: 404).
    func routes(for head: HTTPRequestHead) -> [RequestRoute] {
        if let healthPath, head.path == healthPath { return Self.healthOnly }
        if hasWebSocketBackend && head.headers.containsToken("websocket", in: "Upgrade") { return [.webSocket] }
        return plainServices.filter { $0.takes(head) }.map(\.route)
    }

    /// Made once: a check allocates no route list.
    private static let healthOnly: [RequestRoute] = [.health]
}
