import WSGateBackends
import Dispatch
import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGateHTTP
import WSGatePosix
import WSGateRelay
import WSGateWebSocket

/// One accepted client from `accept` to close: the request head, then either a plain HTTP
/// answer or the upgrade to a `WebSocketSession`.
///
/// Why it exists: everything that happens before the 101 (limits, routing, handshake checks,
/// the answer to each refusal with its log line) and the bookkeeping around a session
/// (CONNECT / DISCONNECT lines, `--maxforks` slots, the drain on shutdown) live here, so the
/// session itself only speaks WebSocket.
///
/// - Warning: loop-confined.
final class ClientConnection: StreamTransportDelegate, WebSocketSessionObserver, TrackedConnection {
    private let transport: StreamTransport
    private let context: ConnectionContext
    private let peer: SocketAddress?
    private let id: Int64
    private var parser = HTTPRequestParser()
    private var headTimer: TimerID?
    private var phase = Phase.readingHead
    /// The relay to this connection's program or socket (kept until the endpoint finished).
    private var relay: StreamRelay?
    /// The backend connect in progress (`--tcp` / `--unix`).
    private var connector: SocketConnector?
    /// This connection's `--maxforks` slot, from the upgrade's acceptance to the end of its
    /// backend (dropping it gives the slot back).
    private var lease: SessionLease?
    private var sessionEnded = false
    /// Plain-HTTP requests answered on this connection (keep-alive).
    private var requestsServed = 0
    /// Log fields known so far (url, id, remote, origin…).
    private var fields: [(key: String, value: String)] = []

    private enum Phase {
        case readingHead
        /// Waiting, with reading paused, for `--reverselookup`'s answer or the backend's
        /// connect before the 101.
        case preparing
        /// A plain-HTTP answer whose body is still being sent; reading waits until it is.
        case responding
        /// The last answer; the connection closes after it.
        case answering
        case upgraded(WebSocketSession)
    }

    /// Starts serving a socket the listener accepted (takes ownership of it).
    static func accept(socket: FileDescriptor, peer: SocketAddress?, context: ConnectionContext) {
        try? Socket.setNoDelay(socket)
        let transport = StreamTransport(loop: context.loop, descriptor: socket)
        let connection = ClientConnection(transport: transport, peer: peer, context: context)
        transport.delegate = connection
        context.metrics.connectionAccepted()
        do {
            try transport.start()
        } catch {
            context.logger.log(.error, "server", [], "Cannot watch accepted socket: \(error)")
            transport.abort(error: error)
            return
        }
        context.tracker.add(connection)
        connection.headTimer = context.loop.scheduleTimer(afterMilliseconds: context.settings.handshakeTimeoutMs) {
            [weak connection] in connection?.headTimedOut()
        }
    }

    private init(transport: StreamTransport, peer: SocketAddress?, context: ConnectionContext) {
        self.transport = transport
        self.peer = peer
        self.context = context
        id = context.makeConnectionID()
    }

    private var remote: String { peer.map { $0.isUnix ? "unix-socket" : $0.host } ?? "unknown" }

    // MARK: - Request head

    func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer) {
        guard case .readingHead = phase else {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return
        }
        do {
            // Pipelined plain-HTTP requests are answered one after the other from this buffer.
            while case .readingHead = phase, let head = try parser.parse(&buffer) {
                cancelHeadTimer()
                route(head, leftover: &buffer)
            }
        } catch {
            cancelHeadTimer()
            context.logger.log(.access, "http", [("remote", remote)], "Bad request: \(error.description)")
            answer(error.status)
        }
    }

    func transportDidReadEOF(_ transport: StreamTransport) {
        if case .readingHead = phase, requestsServed == 0 {
            // The client left before finishing its request: nobody to answer.
            transport.abort()
        } else {
            // Answers already queued (keep-alive, pipelining) still go out.
            transport.close(lingerMilliseconds: context.settings.lingerMs)
        }
    }

    func transportDidDrain(_ transport: StreamTransport) {}

    func transportDidClose(_ transport: StreamTransport, error: IOError?) {
        cancelHeadTimer()
        context.metrics.connectionClosed()
        // A client that vanished while its backend was being prepared: its slot goes back.
        if case .preparing = phase {
            connector?.cancel()
            lease = nil
        }
        context.tracker.remove(self)
    }

    private func headTimedOut() {
        headTimer = nil
        guard case .readingHead = phase else { return }
        context.logger.log(.access, "http", [("remote", remote)],
                           "Request head not complete within \(context.settings.handshakeTimeoutMs) ms: dropped")
        transport.abort()
    }

    private func cancelHeadTimer() {
        if let headTimer { context.loop.cancelTimer(headTimer) }
        headTimer = nil
    }

    // MARK: - Routing

    private func route(_ head: HTTPRequestHead, leftover: inout ByteBuffer) {
        var notFound: (response: PlainHTTPResponse, route: RequestRoute)?
        for route in context.settings.router.routes(for: head) {
            let response: PlainHTTPResponse
            switch route {
            case .webSocket:
                fields = [urlField(head), ("id", String(id)), ("remote", remote)]
                routeUpgrade(head, leftover: &leftover)
                return
            case .devConsole:
                guard let service = context.settings.devConsole else { continue }
                response = service.respond(to: head, extraHeaders: context.settings.headersForPlainAnswers, now: now())
            case .staticFiles:
                guard let service = context.settings.staticFiles else { continue }
                let second = now()
                response = service.respond(to: head, extraHeaders: context.settings.headersForPlainAnswers, now: second,
                                           date: context.httpDate(unixSeconds: second))
            case .metrics:
                guard let service = context.settings.metrics else { continue }
                response = service.respond(to: head, extraHeaders: context.settings.headersForPlainAnswers, now: now())
            }
            if response.isNotFound {
                if notFound == nil { notFound = (response, route) } else { response.discard() }
                continue
            }
            notFound?.response.discard()
            send(response, for: head, from: route)
            return
        }
        if let notFound {
            send(notFound.response, for: head, from: notFound.route)
        } else {
            if context.logger.isEnabled(.access) { context.logger.log(.access, "http", [urlField(head)], "NOT FOUND") }
            answer(.notFound, body: "404 page not found\n", extra: context.settings.headersForPlainHTTP)
        }
    }

    /// Wall-clock Unix seconds, for plain-HTTP answers' dates.
    private func now() -> Int { Int(SystemClock.unixNanoseconds() / 1_000_000_000) }

    /// The log's `url` field: websocketd's, from the Host header and the request-target.
    private func urlField(_ head: HTTPRequestHead) -> (key: String, value: String) {
        ("url", "http://\(head.headers.first("Host") ?? "")\(head.target)")
    }

    // MARK: - Plain HTTP

    /// Sends a service's answer; afterwards the connection reads the next request (keep-alive)
    /// or closes.
    private func send(_ response: PlainHTTPResponse, for head: HTTPRequestHead, from route: RequestRoute) {
        requestsServed += 1
        context.metrics.served(route, response.head.status)
        let keepAlive = context.settings.keepAlive.keepsAlive(after: head, served: requestsServed)
        var responseHead = response.head
        if let connection = KeepAlivePolicy.connectionHeader(keepAlive: keepAlive, version: head.version) {
            responseHead.headers.add(name: "Connection", value: connection)
        }
        if context.logger.isEnabled(.access) { context.logger.log(.access, "http", [urlField(head)], response.logMessage) }
        transport.write(minimumCapacity: 512) { responseHead.write(into: &$0) }
        switch response.body {
        case .none:
            break
        case .bytes(let bytes):
            transport.write(minimumCapacity: bytes.count) { $0.writeBytes(bytes) }
        case .file(let file, let offset, let count):
            phase = .responding
            transport.pauseReading()
            transport.sendFile(file, offset: offset, count: count) { [weak self] in self?.responseSent(keepAlive: keepAlive) }
            return
        }
        responseSent(keepAlive: keepAlive)
    }

    /// The answer is on its way: wait for the next request, or close after it.
    private func responseSent(keepAlive: Bool) {
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

    // MARK: - Upgrade request

    private func routeUpgrade(_ head: HTTPRequestHead, leftover: inout ByteBuffer) {
        fields.append(("origin", head.headers.first("Origin") ?? "file:"))
        let accept: WebSocketHandshakeAccept
        switch WebSocketHandshake.validate(head, subprotocolPolicy: context.settings.subprotocolPolicy) {
        case .failure(let rejection):
            context.logger.log(.access, "session", fields, "Unable to Upgrade: \(rejection.reason)")
            answer(rejection.status, extra: rejection.headers)
            return
        case .success(let value):
            accept = value
        }
        guard let lease = context.sessionSlots.acquire() else {
            context.logger.log(.error, "session", fields, "Max of possible forks already active, upgrade rejected")
            answer(.tooManyRequests)
            return
        }
        self.lease = lease
        guard let target = resolveTarget(head) else {
            self.lease = nil
            context.logger.log(.access, "session", fields, "NOT FOUND")
            answer(.notFound)
            return
        }
        guard context.settings.originPolicy.allows(origin: head.headers.first("Origin"), host: head.headers.first("Host")) else {
            self.lease = nil
            context.logger.log(.access, "session", fields, "Origin is not listed in allowed list")
            answer(.forbidden)
            return
        }
        if case .socket = target {
            connectBackend(accept, head: head, retried: false)
            return
        }
        guard context.settings.reverseLookup, let peer, !peer.isUnix else {
            upgrade(accept, head: head, target: target, remoteHost: remote, leftover: &leftover)
            return
        }
        // --reverselookup: the PTR lookup blocks, so it runs off the loop; the bytes that
        // came after the head wait in the transport until the session takes over.
        prepare()
        let connection = LoopBound(self, loop: context.loop)
        let fallback = remote
        DispatchQueue.global().async {
            let name = ReverseLookup.hostName(of: peer) ?? fallback
            connection.loop.execute {
                let connection = connection.value
                guard case .preparing = connection.phase, connection.transport.isOpen else { return }
                var none = ByteBuffer()
                connection.upgrade(accept, head: head, target: target, remoteHost: name, leftover: &none)
                connection.transport.resumeReading()
            }
        }
    }

    /// Waits for something before the 101: reading stops, so bytes the client sends early stay
    /// buffered in the transport for the session.
    private func prepare() {
        phase = .preparing
        transport.pauseReading()
    }

    // MARK: - Socket backends

    /// Connects to `--tcp` / `--unix` before the 101; a refused, unreachable or silent backend
    /// is a 502 (websockify answers 101, then 1011). A name is resolved again once if every
    /// address failed.
    private func connectBackend(_ accept: WebSocketHandshakeAccept, head: HTTPRequestHead, retried: Bool) {
        guard let backend = context.socketBackend else { return }
        if !retried {
            fields.insert(("backend", backend.description), at: 3)
            prepare()
        }
        connector = SocketConnector(addresses: backend.addresses, timeoutMilliseconds: context.settings.connectTimeoutMs,
                                    loop: context.loop) { [weak self] result in
            guard let self else { return }
            self.connector = nil
            guard case .preparing = self.phase, self.transport.isOpen else {
                if case .success(let (socket, _)) = result { socket.close() }
                return
            }
            switch result {
            case .success(let (socket, _)):
                self.context.metrics.backendConnected()
                self.backendConnected(socket, accept: accept)
            case .failure(let error) where !retried && backend.canResolveAgain:
                self.context.logger.log(.debug, "backend", self.fields, "connect failed (\(error)); resolving \(backend.description) again")
                backend.resolveAgain(on: self.context.loop) { [weak self] _ in
                    guard let self, case .preparing = self.phase, self.transport.isOpen else { return }
                    self.connectBackend(accept, head: head, retried: true)
                }
            case .failure(let error):
                self.lease = nil
                self.context.metrics.backendFailed()
                self.context.logger.log(.error, "backend", self.fields, "Could not connect to backend \(backend.description): \(error)")
                self.answer(.badGateway)
            }
        }
    }

    private func backendConnected(_ socket: FileDescriptor, accept: WebSocketHandshakeAccept) {
        var preamble: ByteBuffer?
        if context.settings.proxyProtocol {
            let server = try? Socket.localAddress(transport.descriptor)
            preamble = ByteBuffer(string: ProxyProtocolHeader.v1(client: peer, server: server))
        }
        let endpoint = SocketEndpoint(socket: socket, loop: context.loop, preamble: preamble)
        let started = StreamRelay(endpoint: endpoint, settings: context.settings.relay,
                                  onDiagnosticLine: { _ in }, onFinish: { [weak self] _ in self?.endIfDone() })
        relay = started
        var none = ByteBuffer()
        switchToWebSocket(accept, backend: started, leftover: &none)
        transport.resumeReading()
    }

    /// What answers this request: the echo, or which program with which SCRIPT_NAME and
    /// PATH_INFO; nil when `--dir` has no script for the path (404).
    private func resolveTarget(_ head: HTTPRequestHead) -> Target? {
        switch context.settings.backend {
        case .echo:
            return .echo
        case .program(let path, let arguments):
            return .program(path: path, arguments: arguments, scriptName: "/", pathInfo: CGIRequest.decodedPath(head.path))
        case .directory(let resolver):
            guard let script = resolver.resolve(urlPath: head.path) else { return nil }
            return .program(path: script.scriptPath, arguments: [], scriptName: script.scriptName, pathInfo: script.pathInfo)
        case .socket:
            return .socket
        }
    }

    /// What a WebSocket request is served by.
    private enum Target: Sendable {
        case echo
        case program(path: String, arguments: [String], scriptName: String, pathInfo: String)
        case socket
    }

    /// Sends a plain answer (with `--header` and `extra` headers) and closes the connection.
    private func answer(_ status: HTTPStatus, body: String? = nil, extra: [(name: String, value: String)] = []) {
        phase = .answering
        context.metrics.answered(status)
        var headers = HTTPHeaders()
        for (name, value) in context.settings.headersForAll + extra { headers.add(name: name, value: value) }
        let response = HTTPResponseHead.plainText(status, body: body, extraHeaders: headers)
        transport.write(minimumCapacity: 256) { buffer in
            response.head.write(into: &buffer)
            buffer.writeBytes(response.body)
        }
        transport.close(lingerMilliseconds: context.settings.lingerMs)
    }

    // MARK: - Upgrade

    /// Starts the backend (before the 101, so one that cannot start gets an HTTP status:
    /// docs/behaviour.md, 'Handshake') and switches to the WebSocket session.
    private func upgrade(_ accept: WebSocketHandshakeAccept, head: HTTPRequestHead, target: Target,
                         remoteHost: String, leftover: inout ByteBuffer) {
        let backend: any SessionBackend
        switch target {
        case .echo:
            backend = EchoBackend()
        case .program(let path, let arguments, let scriptName, let pathInfo):
            fields.insert(("command", path), at: 3)
            guard let started = startProgram(path: path, arguments: arguments, head: head, remoteHost: remoteHost,
                                             scriptName: scriptName, pathInfo: pathInfo) else {
                lease = nil
                answer(.internalServerError)
                return
            }
            relay = started
            backend = started
        case .socket:
            return  // connected asynchronously: see connectBackend
        }
        switchToWebSocket(accept, backend: backend, leftover: &leftover)
    }

    /// Sends the 101 and hands the socket to a WebSocket session with `backend`.
    private func switchToWebSocket(_ accept: WebSocketHandshakeAccept, backend: any SessionBackend, leftover: inout ByteBuffer) {
        var headers = HTTPHeaders()
        for (name, value) in accept.responseHeaders + context.settings.headersForAll + context.settings.headersForUpgrade {
            headers.add(name: name, value: value)
        }
        let response = HTTPResponseHead(status: .switchingProtocols, headers: headers)
        transport.write(minimumCapacity: 256) { response.write(into: &$0) }
        let session = WebSocketSession(transport: transport, settings: context.settings.session, backend: backend,
                                       traffic: context.metrics.traffic)
        session.observer = self
        phase = .upgraded(session)
        context.metrics.upgraded()
        context.logger.log(.access, "session", fields, "CONNECT")
        session.start(initialBytes: &leftover)
    }

    /// Starts the program before the 101 (a program that cannot start is a 500, not a 101
    /// followed by a drop as in websocketd).
    private func startProgram(path: String, arguments: [String], head: HTTPRequestHead, remoteHost: String,
                              scriptName: String, pathInfo: String) -> StreamRelay? {
        let settings = context.settings
        let request = CGIRequest(
            remoteAddress: remote, remoteHost: remoteHost,
            remotePort: peer.map { $0.isUnix ? "" : String($0.port) } ?? "",
            method: head.method, requestURI: head.target, path: head.path, query: head.query,
            scriptName: scriptName, pathInfo: pathInfo, host: head.headers.first("Host") ?? "",
            headers: head.headers.map { ($0.name, $0.value) }, isHTTPS: false,
            uniqueID: String(id), serverSoftware: settings.serverSoftware)
        let environment = CGIEnvironment.build(request, passedEnvironment: settings.passedEnvironment)
        let spawned: SpawnedProcess
        do {
            spawned = try ProcessSpawner.spawn(path: path, arguments: [path] + arguments, environment: environment)
        } catch {
            context.logger.log(.error, "process", fields, "Could not launch process \(path): \(error)")
            return nil
        }
        fields.append(("pid", String(spawned.pid)))
        let process = ProgramProcess(spawned: spawned, loop: context.loop, reaper: context.reaper,
                                     groups: context.programGroups, plan: settings.teardown)
        let metrics = context.metrics
        metrics.programStarted()
        process.onExit = { metrics.programExited($0) }
        let logger = context.logger
        let logFields = fields
        return StreamRelay(
            endpoint: process, settings: settings.relay,
            onDiagnosticLine: { line in logger.log(.error, "stderr", logFields, line) },
            onFinish: { [weak self] _ in self?.endIfDone() })
    }

    func sessionDidEnd(_ session: WebSocketSession, error: String?) {
        sessionEnded = true
        context.metrics.connectionClosed()
        context.metrics.sessionClosed()
        if let code = session.receivedCloseCode { fields.append(("close", String(code.rawValue))) }
        if let error { fields.append(("error", error)) }
        endIfDone()
    }

    /// The connection is over once the session is closed and its program (if any) and
    /// everything it started are gone: then the slot is free and DISCONNECT is logged.
    private func endIfDone() {
        guard sessionEnded else { return }
        if let relay {
            guard relay.isFinished else { return }
            if let end = relay.endpoint.endDescription { fields.append(("status", end)) }
        }
        lease = nil
        context.logger.log(.access, "session", fields, "DISCONNECT")
        relay = nil
        context.tracker.remove(self)
    }

    // MARK: - Shutdown

    /// SIGTERM: an open session gets close 1001; a client still before its 101 gets an
    /// orderly 503 (not a reset: with socket activation another wsgate takes the next
    /// attempt, and the client can retry at once).
    func shutDown() {
        switch phase {
        case .readingHead where requestsServed > 0:
            // An idle kept-alive connection: nothing was asked, so nothing to refuse.
            cancelHeadTimer()
            transport.close(lingerMilliseconds: context.settings.lingerMs)
        case .readingHead:
            cancelHeadTimer()
            answer(.serviceUnavailable)
        case .responding:
            // The file being sent goes out in full; the connection closes after it.
            transport.close(lingerMilliseconds: context.settings.lingerMs)
        case .preparing:
            connector?.cancel()
            connector = nil
            lease = nil
            answer(.serviceUnavailable)
        case .answering:
            return
        case .upgraded(let session):
            session.close(code: .goingAway, reason: "server shutting down")
        }
    }
}
