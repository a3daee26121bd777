import WSGateCore
import WSGateHTTP

/// `--health=PATH`: a load balancer's check, `200 ok` while the gateway accepts and `503
/// draining` from the moment a drain has begun (`DrainState`).
///
/// Why it exists: behind a balancer, an instance that is about to stop must leave the rotation
/// before it refuses connections; `--drain-delay` keeps it accepting while the checks fail.
/// Checks come every second or so from every balancer, so each answer is bytes made once at
/// start: only the `Date` (the loop's cached one) and `Connection` fields are added per check.
/// It takes its exact path before every other service, upgrades included (`RequestRouter`);
/// the query is ignored; GET and HEAD are answered, other methods 405 with `Allow: GET, HEAD`.
struct HealthService: Sendable {
    let path: String
    let drain: DrainState
    private let ok: Answer
    private let draining: Answer
    private let notAllowed: Answer

    /// The log message of every answer (logged at debug level only).
    static let logMessage = "HEALTH"

    /// One precomputed answer: the head without `Date`, `Connection` and the final empty line,
    /// then the body.
    struct Answer: Sendable {
        let status: HTTPStatus
        let head: [UInt8]
        let body: [UInt8]
    }

    init(path: String, drain: DrainState, extraHeaders: [(name: String, value: String)]) {
        self.path = path
        self.drain = drain
        ok = Self.answer(.ok, body: "ok\n", extraHeaders: extraHeaders)
        draining = Self.answer(.serviceUnavailable, body: "draining\n", extraHeaders: extraHeaders)
        notAllowed = Self.answer(.methodNotAllowed, body: "405 Method Not Allowed\n",
                                 extraHeaders: extraHeaders + [("Allow", "GET, HEAD")])
    }

    /// The answer to `head` now.
    func answer(to head: HTTPRequestHead) -> Answer {
        guard head.method == "GET" || head.method == "HEAD" else { return notAllowed }
        return drain.isDraining ? draining : ok
    }

    private static func answer(_ status: HTTPStatus, body: String,
                               extraHeaders: [(name: String, value: String)]) -> Answer {
        var headers = HTTPHeaders()
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        headers.add(name: "Content-Type", value: HTTPResponseHead.plainTextContentType)
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        var buffer = ByteBuffer()
        HTTPResponseHead(status: status, headers: headers).write(into: &buffer)
        // Without the empty line that ends the head: Date and Connection go after the fields.
        let bytes = buffer.readBytes(buffer.readableBytes) ?? []
        return Answer(status: status, head: Array(bytes.dropLast(2)), body: Array(body.utf8))
    }
}
