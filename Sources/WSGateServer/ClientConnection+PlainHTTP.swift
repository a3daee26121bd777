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
        ("url", "http://\(head.headers.first("Host") ?? "")\(head.target)")
    }

    // MARK: - Plain HTTP

    /// Sends a service's answer; afterwards the connection reads the next request (keep-alive)
    /// or closes.
    func send(_ response: PlainHTTPResponse, for head: HTTPRequestHead, from route: RequestRoute) {
        requestsServed += 1
        context.metrics.served(route, response.head.status)
        let keepAlive = context.settings.keepAlive.keepsAlive(after: head, served: requestsServed)
        var responseHead = response.head
        if let connection = KeepAlivePolicy.connectionHeader(keepAlive: keepAlive, version: head.version) {
            responseHead.headers.add(name: "Connection", value: connection)
        }
        if context.logger.isEnabled(response.logLevel) {
            context.logger.log(response.logLevel, "http", [urlField(head)], response.logMessage)
        }
        transport.write(minimumCapacity: 512) { responseHead.write(into: &$0) }
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

    /// The answer is on its way: wait for the next request, or close after it.
    func responseSent(keepAlive: Bool) {
        guard keepAlive, !transport.isClosing else {
            phase = .answering
            transport.close(lingerMilliseconds: context.settings.lingerMs)
            return
        }
        let resumes = if case .responding = phase { true } else { false }
        phase = .readingHead
        parser = HTTPRequestParser()
        headTimer = context.loop.scheduleTimer(afterMilliseconds: context.settings.handshakeTimeoutMs) {
            [weak self] in self?.headTimedOut()
        }
        // Bytes of the next request that came meanwhile are offered again now.
        if resumes { transport.resumeReading() }
    }
}
