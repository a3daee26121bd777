/// The INFO lines printed once the listeners are bound, in websocketd's order, wording and
/// columns.
///
/// Why it exists: people and scripts read these lines (the port with `--port=0`, which
/// application is served), so a drop-in replacement prints websocketd's, byte for byte: every
/// label padded so the colons line up, `Serving using application   : CMD ARGS` with the
/// space websocketd prints even without arguments, the backend before the listeners. wsgate's
/// own backends and features get lines in the same column style.
struct StartupLines {
    /// One listener: its `ws://` URL and its `http://` URL (the dev console's, the files').
    struct Listener {
        var webSocketURL: String
        var webURL: String
    }

    var backend: ServerSettings.BackendKind?
    var staticDir: String?
    var cgiDir: String?
    var devConsole: Bool
    var listeners: [Listener]
    /// `--redirport`'s listeners' URLs.
    var redirectURLs: [String]
    var metricsPath: String?
    /// `--health`'s path.
    var healthPath: String? = nil

    /// The messages, in the order they are logged.
    var messages: [String] {
        var lines: [String] = []
        if let backend { lines.append(Self.backendLine(backend)) }
        if let staticDir { lines.append("Serving static content from : " + staticDir) }
        if let cgiDir { lines.append("Serving CGI scripts from    : " + cgiDir) }
        for listener in listeners {
            lines.append("Starting WebSocket server   : " + listener.webSocketURL)
            if devConsole {
                lines.append("Developer console enabled   : " + listener.webURL)
            } else if staticDir != nil || cgiDir != nil {
                lines.append("Serving CGI or static files : " + listener.webURL)
            }
        }
        // websocketd's own label is one column short; kept as it is.
        for url in redirectURLs { lines.append("Starting redirect server   : " + url) }
        if let metricsPath { lines.append("Serving Prometheus metrics  : " + metricsPath) }
        if let healthPath { lines.append("Serving health check        : " + healthPath) }
        return lines
    }

    /// websocketd's line for COMMAND and `--dir`; the same column for wsgate's backends.
    static func backendLine(_ backend: ServerSettings.BackendKind) -> String {
        switch backend {
        case .program(let path, let arguments):
            // websocketd formats "%s %s" with the arguments joined: a trailing space without any.
            return "Serving using application   : " + path + " " + arguments.joined(separator: " ")
        case .directory(let resolver):
            return "Serving from directory      : " + resolver.root
        case .echo:
            return "Serving using built-in      : echo"
        case .socket(let kind, _):
            let target = SocketBackendTarget(kind: kind, addresses: []).description
            switch kind {
            case .tcp: return "Serving using TCP backend   : " + target
            case .unix: return "Serving using Unix socket   : " + target
            }
        }
    }
}
