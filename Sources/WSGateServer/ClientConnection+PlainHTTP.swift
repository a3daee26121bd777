import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGateHTTP
import WSGatePosix

/// A plain-HTTP answer on a client connection: sent, counted and logged, then the connection
/// reads the next request (keep-alive, pipelining) or closes.
extension ClientConnection {
    /// Wall-clock Unix seconds, for plain-HTTP answers' dates.
    func now() -> Int { Int(SystemClock.unixNanoseconds() / 1_000_000_000) }

    /// The log's `url` field: websocketd's, from the Host header and the request-target.
    func urlField(_ head: HTTPRequestHead) -> (key: String, value: String) {
        ("url", "\(context.settings.httpScheme)://\(head.headers.first("Host") ?? "")\(head.target)")
    }

    // MARK: - Plain HTTP

    /// Sends a service's answer; afterwards the connection reads the next request (keep-alive)
    /// or closes.
    func send(_ response: PlainHTTPResponse, for head: HTTPRequestHead, from route: RequestRoute) {
        let keepAlive = sendHead(response.head, for: head, from: route, logMessage: response.logMessage,
                                 logLevel: response.logLevel)
        switch response.body {
        case .none:
            break
        case .bytes(let bytes):
            transport.write(minimumCapacity: bytes.count) { $0.writeBytes(bytes) }
        case .smallFile(let file, let offset, let count):
            var complete = true
            transport.write(minimumCapacity: count) { complete = file.read(at: offset, count: count, appendingTo: &$0) }
            file.close()
            // The file shrank after its size went out as Content-Length: the head goes alone
            // and the connection ends, so the client sees the answer cut short (as when a file
            // sent by sendfile shrinks) instead of taking the next answer's bytes for the rest.
            if !complete {
                responseSent(keepAlive: false)
                return
            }
        case .file(let file, let offset, let count):
            phase = .responding
            transport.pauseReading()
            transport.sendFile(file, offset: offset, count: count) { [weak self] in self?.responseSent(keepAlive: keepAlive) }
            return
        }
        responseSent(keepAlive: keepAlive)
    }

    /// Counts, logs and queues an answer's head with its `Connection` field; returns whether
    /// the connection stays open after the answer (`canKeepAlive`: its body framing allows it).
    func sendHead(_ head: HTTPResponseHead, for request: HTTPRequestHead, from route: RequestRoute, logMessage: String,
                  logLevel: LogLevel = .access, canKeepAlive: Bool = true) -> Bool {
        requestsServed += 1
        context.metrics.served(route, head.status)
        let keepAlive = canKeepAlive && context.settings.keepAlive.keepsAlive(after: request, served: requestsServed)
        var head = head
        if let connection = KeepAlivePolicy.connectionHeader(keepAlive: keepAlive, version: request.version) {
            head.headers.add(name: "Connection", value: connection)
        }
        if context.logger.isEnabled(logLevel) { context.logger.log(logLevel, "http", [urlField(request)], logMessage) }
        transport.write(minimumCapacity: 512) { head.write(into: &$0) }
        return keepAlive
    }

    /// The answer is on its way: wait for the next request, or close after it.
    func responseSent(keepAlive: Bool) {
        guard keepAlive, !transport.isClosing else {
            phase = .answering
            transport.close(lingerMilliseconds: context.settings.lingerMs)
            return
        }
        let resumes = switch phase {
        case .responding, .cgi: true
        default: false
        }
        phase = .readingHead
        parser = HTTPRequestParser()
        headTimer = context.loop.scheduleTimer(afterMilliseconds: context.settings.handshakeTimeoutMs) {
            [weak self] in self?.headTimedOut()
        }
        // Bytes of the next request that came meanwhile are offered again now.
        if resumes { transport.resumeReading() }
    }
}
