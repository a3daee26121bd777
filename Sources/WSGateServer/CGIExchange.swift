import WSGateBackends
import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGateHTTP
import WSGatePosix
import WSGateRelay

/// What a CGI exchange asks of the connection it answers on.
///
/// - Warning: loop-confined; calls may come re-entrantly from calls the connection made.
protocol CGIExchangeOwner: AnyObject {
    /// Counts, logs and sends the response head; returns whether the connection may stay open
    /// after this response (`canKeepAlive`: its framing allows it).
    func cgiExchange(_ exchange: CGIExchange, sends head: HTTPResponseHead, canKeepAlive: Bool) -> Bool
    /// The whole response is queued: read the next request (`keepAlive`) or close.
    func cgiExchangeDidRespond(_ exchange: CGIExchange, keepAlive: Bool)
    /// The script asked for a local redirect (RFC 3875 §6.2.2): answer as if the client had
    /// asked for `target` with a GET.
    func cgiExchange(_ exchange: CGIExchange, redirectsTo target: String)
    /// Nothing was sent yet and the exchange cannot go on: answer `status` and close.
    func cgiExchange(_ exchange: CGIExchange, failedWith status: HTTPStatus)
}

/// One `--cgidir` request, from the script's start to the last of its processes: the request
/// body to its stdin, its header section parsed, its body to the client.
///
/// Why it exists: a CGI script is a program like the WebSocket backends (same process group,
/// kill sequence and reaping, through `ProgramProcess`), but its stdout is an HTTP response
/// (RFC 3875 §6), not messages. Both directions are relayed with backpressure: the client is
/// read only while the script's stdin takes bytes, and the script's stdout only while the client
/// takes them, so neither a huge upload nor a huge download is held in memory.
///
/// Framing: the script's `Content-Length` is kept (bytes beyond it are dropped; too few and the
/// connection closes, so the client sees a short body, never a wrong next response); without
/// it, HTTP/1.1 gets a chunked body and HTTP/1.0 one ended by the close. HEAD, 204 and 304 get
/// no body (the script's output is read and dropped). Malformed output before the body → 502;
/// a script that cannot start → 500; a request body over the limit → 413.
///
/// The exchange keeps itself alive until its process is gone, since a connection may move on
/// (keep-alive, a local redirect, a client that left) while the script is still winding down;
/// its `--maxforks` lease goes back then (at a local redirect: at once).
///
/// - Warning: loop-confined.
final class CGIExchange: RelayEndpointDelegate {
    weak var owner: (any CGIExchangeOwner)?
    private let process: ProgramProcess
    private let client: StreamTransport
    private let context: ConnectionContext
    /// The request being answered.
    let request: HTTPRequestHead
    private let maxBodyBytes: Int
    /// The log line's fields (url, id, remote, cgiscript, pid).
    private let fields: [(key: String, value: String)]
    private var lease: SessionLease?
    /// Itself, until nothing of the script is left.
    private var retained: CGIExchange?
    private var body: RequestBody
    private var bodyBytesReceived = 0
    private var response = ResponseState.awaitingHead(CGIResponseParser())
    /// Whether the connection may read another request after this response.
    private var keepAlive = false
    private var closesAfterResponse = false
    private var stderrLines = LineFramer(maxMessageSize: 64 * 1024)
    /// The owner was told the response is complete (or failed): it is told nothing more.
    private var responded = false
    /// The kill sequence was started here, so the way the script ended is no news.
    private var stopped = false

    /// What is left of the request body.
    private enum RequestBody {
        case complete
        case remaining(Int)
        case chunked(ChunkedBodyDecoder)
    }

    private enum ResponseState {
        case awaitingHead(CGIResponseParser)
        case streaming(BodyFraming)
        /// The response is complete (or never will be): the script's output is read and dropped.
        case discarding
    }

    private enum BodyFraming {
        case length(remaining: Int)
        case chunked
        case untilClose
    }

    init(process: ProgramProcess, client: StreamTransport, context: ConnectionContext, request: HTTPRequestHead,
         maxBodyBytes: Int, lease: SessionLease, fields: [(key: String, value: String)]) {
        self.process = process
        self.client = client
        self.context = context
        self.request = request
        self.maxBodyBytes = maxBodyBytes
        self.lease = lease
        self.fields = fields
        if request.hasChunkedBody {
            body = .chunked(ChunkedBodyDecoder())
        } else if let length = request.contentLength, length > 0 {
            body = .remaining(length)
        } else {
            body = .complete
        }
    }

    /// Starts relaying; `leftover` holds the bytes that came after the request head.
    func start(leftover: inout ByteBuffer) {
        retained = self
        process.delegate = self
        process.start()
        if case .complete = body {
            process.finishInput()
            // A pipelined request waits for this response. Otherwise reading goes on, so that
            // a client that leaves is seen (its EOF) even while the script is silent.
            if leftover.readableBytes > 0 { client.pauseReading() }
        } else {
            clientDidRead(&leftover)
        }
    }

    // MARK: - Client side (called by the connection)

    /// Request body bytes; what follows the body stays in `buffer`.
    func clientDidRead(_ buffer: inout ByteBuffer) {
        switch body {
        case .complete:
            if buffer.readableBytes > 0 { client.pauseReading() }
            return
        case .remaining(let count):
            let taken = min(count, buffer.readableBytes)
            guard deliver(buffer.readSlice(taken)!) else { return }
            body = taken == count ? .complete : .remaining(count - taken)
        case .chunked(var decoder):
            var withinLimit = true
            let finished: Bool
            do {
                finished = try decoder.decode(&buffer) { piece in
                    guard withinLimit else { return }
                    withinLimit = deliver(piece)
                }
            } catch {
                fail(.badRequest, "malformed chunked request body: \(error)")
                return
            }
            guard withinLimit else { return }
            body = finished ? .complete : .chunked(decoder)
        }
        if case .complete = body {
            process.finishInput()
            if buffer.readableBytes > 0 { client.pauseReading() }
        } else if !process.isWritable {
            client.pauseReading()
        }
    }

    /// The connection closes after this response (the gateway is shutting down).
    func closeAfterResponse() {
        closesAfterResponse = true
        keepAlive = false
    }

    /// The client's queue fell to its low watermark: read the script's output again.
    func clientDidDrain() {
        if case .streaming = response { process.resumeOutput() }
    }

    /// The client connection closed: the script's output is no longer wanted.
    func clientIsGone() {
        responded = true
        stop()
    }

    // MARK: - Request body

    /// Queues body bytes for the script's stdin; false (and the exchange failed) once the body
    /// is over the limit.
    private func deliver(_ piece: ByteBuffer) -> Bool {
        bodyBytesReceived += piece.readableBytes
        guard bodyBytesReceived <= maxBodyBytes else {
            fail(.contentTooLarge, "request body over \(maxBodyBytes) bytes")
            return false
        }
        if piece.readableBytes > 0 { process.write(piece) }
        return true
    }

    // MARK: - Response

    private func begin(_ head: CGIResponseHead) {
        if case .localRedirect(let target) = head.kind {
            responded = true
            stop()
            lease?.release()
            owner?.cgiExchange(self, redirectsTo: target)
            return
        }
        var responseHead = HTTPResponseHead(status: head.status, headers: head.headers)
        for (name, value) in context.settings.headersForPlainAnswers { responseHead.headers.add(name: name, value: value) }
        if !head.headers.contains("Date") {
            responseHead.headers.add(name: "Date", value: context.httpDate(unixSeconds: Int(SystemClock.unixNanoseconds() / 1_000_000_000)))
        }
        let framing: BodyFraming?
        if request.method == "HEAD" || head.status.code == 204 || head.status.code == 304 {
            framing = nil
        } else if let length = head.contentLength {
            framing = .length(remaining: length)
        } else if request.version >= HTTPVersion(major: 1, minor: 1) {
            responseHead.headers.add(name: "Transfer-Encoding", value: "chunked")
            framing = .chunked
        } else {
            framing = .untilClose
        }
        let canKeepAlive = if case .untilClose = framing { false } else { !closesAfterResponse }
        keepAlive = owner?.cgiExchange(self, sends: responseHead, canKeepAlive: canKeepAlive) ?? false
        guard let framing else {
            respond()
            return
        }
        response = .streaming(framing)
        if case .length(0) = framing { respond() }
    }

    private func relayBody(_ buffer: inout ByteBuffer) {
        guard case .streaming(let framing) = response else { return }
        switch framing {
        case .length(let remaining):
            let taken = min(remaining, buffer.readableBytes)
            client.write(buffer.readSlice(taken)!)
            response = .streaming(.length(remaining: remaining - taken))
            if taken == remaining {
                if buffer.readableBytes > 0 {
                    keepAlive = false
                    context.logger.log(.error, "http", fields, "CGI script wrote more than its Content-Length: rest dropped")
                }
                respond()
            }
        case .chunked:
            let count = buffer.readableBytes
            client.write(minimumCapacity: 18) { $0.writeString(String(count, radix: 16) + "\r\n") }
            client.write(buffer.readSlice(count)!)
            client.write(minimumCapacity: 2) { $0.writeString("\r\n") }
        case .untilClose:
            client.write(buffer.readSlice(buffer.readableBytes)!)
        }
        if case .streaming = response, !client.isWritable { process.pauseOutput() }
    }

    /// The response is queued in full. The script has nothing more to say to this client: an
    /// unread rest of the body is not sent to it, and a script still running gets the kill
    /// sequence (its output after a satisfied `Content-Length` is dropped anyway).
    private func respond() {
        guard !responded else { return }
        responded = true
        if case .complete = body {} else {
            body = .complete
            process.finishInput()
        }
        stop()
        owner?.cgiExchangeDidRespond(self, keepAlive: keepAlive && !closesAfterResponse)
    }

    /// Stops the script (the kill sequence, unless it ended already) and drops its output.
    private func stop() {
        response = .discarding
        stopped = true
        process.clientIsGone()
    }

    /// The exchange cannot go on: the client gets `status` if nothing was sent yet, else the
    /// connection closes.
    private func fail(_ status: HTTPStatus, _ reason: String) {
        guard !responded else { return stop() }
        context.logger.log(.error, "http", fields, "CGI: \(reason)")
        if case .awaitingHead = response {
            responded = true
            stop()
            owner?.cgiExchange(self, failedWith: status)
        } else {
            keepAlive = false
            respond()
        }
    }

    // MARK: - RelayEndpointDelegate (the script)

    func endpoint(_ endpoint: any RelayEndpoint, didProduce buffer: inout ByteBuffer) {
        if case .awaitingHead(var parser) = response {
            let head: CGIResponseHead?
            do {
                head = try parser.parse(&buffer)
            } catch {
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
                fail(.badGateway, "malformed response: \(error)")
                return
            }
            guard let head else {
                response = .awaitingHead(parser)
                return
            }
            begin(head)
        }
        if case .streaming = response, buffer.readableBytes > 0 { relayBody(&buffer) }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
    }

    func endpoint(_ endpoint: any RelayEndpoint, didEnd outcome: EndpointOutcome) {
        if case .failed(let reason) = outcome, !stopped {
            context.logger.log(.error, "process", fields, "CGI script ended: \(reason)")
        }
        switch response {
        case .awaitingHead(let parser):
            do {
                try parser.finish()
                fail(.badGateway, "no response")
            } catch {
                fail(.badGateway, "malformed response: \(error)")
            }
        case .streaming(.length(let remaining)):
            context.logger.log(.error, "http", fields, "CGI script ended \(remaining) bytes short of its Content-Length")
            keepAlive = false
            respond()
        case .streaming(.chunked):
            client.write(minimumCapacity: 5) { $0.writeString("0\r\n\r\n") }
            respond()
        case .streaming(.untilClose):
            keepAlive = false
            respond()
        case .discarding:
            break
        }
    }

    func endpoint(_ endpoint: any RelayEndpoint, didProduceDiagnostics buffer: inout ByteBuffer) {
        stderrLines.consume(&buffer) { logDiagnostic($0) }
    }

    func endpointDiagnosticsDidEnd(_ endpoint: any RelayEndpoint) {
        stderrLines.finish { logDiagnostic($0) }
    }

    private func logDiagnostic(_ line: LineMessage) {
        context.logger.log(.error, "stderr", fields, String(decoding: line.payload.readableBytesArray, as: UTF8.self))
    }

    func endpointInputDidDrain(_ endpoint: any RelayEndpoint) {
        if case .complete = body { return }
        client.resumeReading()
    }

    func endpointDidFinish(_ endpoint: any RelayEndpoint) {
        lease?.release()
        lease = nil
        retained = nil
    }
}
