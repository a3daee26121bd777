import WSGateHTTP
import WSGatePosix

/// `--metrics=PATH`: the Prometheus text exposition of the gateway's counts and the process's
/// figures, at one exact URL path.
///
/// Why it exists: neither websocketd nor websockify tells how many sessions are open, how many
/// upgrades were refused or how programs end; this answers a scraper with that, from counters
/// the loops keep anyway (`GatewayMetrics`). It is the last plain-HTTP service
/// (`RequestRouter`): a file of the same name in `--staticdir` wins. It takes every request
/// whose path is PATH (the query is ignored): GET and HEAD get the metrics, other methods 405
/// with `Allow: GET, HEAD` (the resource exists; only reading it is allowed).
///
/// Runs on the loop: a scrape sums a few thousand relaxed loads and reads three small /proc
/// files.
struct MetricsService: Sendable {
    let path: String
    let metrics: GatewayMetrics

    /// The log message of every answer.
    static let logMessage = "METRICS"

    func takes(_ head: HTTPRequestHead) -> Bool {
        head.path == path
    }

    func respond(to head: HTTPRequestHead, extraHeaders: [(name: String, value: String)], now: Int) -> PlainHTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Date", value: HTTPDate(unixSeconds: now).imfFixdate)
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        let status: HTTPStatus
        let body: [UInt8]
        if head.method == "GET" || head.method == "HEAD" {
            status = .ok
            body = Array(MetricsExposition.text(metrics.families(process: ProcessStats.current())).utf8)
            headers.add(name: "Content-Type", value: MetricsExposition.contentType)
            headers.add(name: "Cache-Control", value: "no-store")
        } else {
            status = .methodNotAllowed
            body = Array("405 Method Not Allowed\n".utf8)
            headers.add(name: "Allow", value: "GET, HEAD")
            headers.add(name: "Content-Type", value: HTTPResponseHead.plainTextContentType)
        }
        headers.add(name: "Content-Length", value: String(body.count))
        let message = status == .ok ? Self.logMessage : "\(Self.logMessage) refused (\(status.code)): method \(head.method)"
        return PlainHTTPResponse(head: HTTPResponseHead(status: status, headers: headers),
                                 body: head.method == "HEAD" ? .none : .bytes(body), logMessage: message)
    }
}
