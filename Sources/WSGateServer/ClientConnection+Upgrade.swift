import Dispatch
import WSGateBackends
import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGateHTTP
import WSGatePosix
import WSGateRelay
import WSGateTLS
import WSGateWebSocket

/// The way from an upgrade request to a WebSocket session: the handshake checks in
/// websocketd's order, the per-client limits, the `--maxforks` lease, the backend started or
/// connected before the 101 (so a failure is still an HTTP status), then the switch to
/// `WebSocketSession`.
extension ClientConnection {
    // MARK: - Upgrade request

    func routeUpgrade(_ head: HTTPRequestHead, leftover: inout ByteBuffer) {
        logTLSSession()
        let accept: WebSocketHandshakeAccept
        switch WebSocketHandshake.validate(head, subprotocolPolicy: context.settings.subprotocolPolicy,
                                                deflate: context.settings.deflate) {
        case .failure(let rejection):
            context.logger.log(.access, "session", fields, "Unable to Upgrade: \(rejection.reason)")
            answer(rejection.status, extra: rejection.headers)
            return
        case .success(let value):
            accept = value
        }
        logDeclinedCompression(head, accept: accept)
        // Taken already, before the credentials were checked, when `--auth-*` guards upgrades.
        if let limiter = context.settings.clientLimiter, clientLease == nil, !admitClient(limiter) { return }
        guard let lease = context.sessionSlots.acquire() else {
            giveBackSlot()
            // websocketd's line: category http, the URL only.
            context.logger.log(.error, "http", [fields[0]], "Max of possible forks already active, upgrade rejected")
            answer(.tooManyRequests)
            return
        }
        self.lease = lease
        guard let target = resolveTarget(head) else {
            giveBackSlot()
            // websocketd's line (which it writes twice): no origin field yet, its error text.
            context.logger.log(.access, "session", fields, "NOT FOUND: script not found")
            answer(.notFound)
            return
        }
        // Fields in websocketd's order: the command once the route is known, then the origin.
        if case .program(let path, _, _, _) = target { fields.append(("command", path)) }
        fields.append(("origin", head.headers.first("Origin") ?? "file:"))
        if let refusal = context.settings.originPolicy.refusal(origin: head.headers.first("Origin"), host: head.headers.first("Host")) {
            giveBackSlot()
            // websocketd's two lines: its origin check's, then its WebSocket library's.
            context.logger.log(.access, "session", fields, refusal)
            context.logger.log(.access, "session", fields,
                               "Unable to Upgrade: websocket: request origin not allowed by Upgrader.CheckOrigin")
            answer(.forbidden)
            return
        }
        if context.settings.rooms != nil {
            joinRoom(accept, head: head, target: target, leftover: &leftover)
            return
        }
        if case .socket = target {
            connectBackend(accept, head: head, retried: false)
            return
        }
        guard context.settings.reverseLookup, let address = clientSocketAddress else {
            upgrade(accept, head: head, target: target, remoteHost: remote, leftover: &leftover)
            return
        }
        // --reverselookup: the PTR lookup blocks, so it runs off the loop; the bytes that
        // came after the head wait in the transport until the session takes over.
        prepare()
        let connection = LoopBound(self, loop: context.loop)
        let fallback = remote
        DispatchQueue.global().async {
            let name = ReverseLookup.hostName(of: address) ?? fallback
            connection.loop.execute {
                let connection = connection.value
                guard case .preparing = connection.phase, connection.transport.isOpen else { return }
                // websocketd's log names the looked-up host from here on, as REMOTE_HOST does.
                if let index = connection.fields.firstIndex(where: { $0.key == "remote" }) {
                    connection.fields[index].value = name
                }
                var none = ByteBuffer()
                connection.upgrade(accept, head: head, target: target, remoteHost: name, leftover: &none)
                connection.transport.resumeReading()
            }
        }
    }

    /// A client offered permessage-deflate and none of its offers could be accepted (RFC 7692
    /// §7: an unknown, repeated or malformed parameter): it is served uncompressed, and the log
    /// says why.
    func logDeclinedCompression(_ head: HTTPRequestHead, accept: WebSocketHandshakeAccept) {
        guard context.settings.deflate != nil, accept.deflate == nil else { return }
        let offers = head.headers.values("Sec-WebSocket-Extensions").joined(separator: ", ")
        guard offers.lowercased().contains(PerMessageDeflateNegotiation.extensionName) else { return }
        context.logger.log(.access, "session", fields, "permessage-deflate not negotiated, no acceptable offer in: \(offers.prefix(200))")
    }

    /// Waits for something before the 101: reading stops, so bytes the client sends early stay
    /// buffered in the transport for the session.
    func prepare() {
        phase = .preparing
        transport.pauseReading()
    }

    // MARK: - Socket backends

    /// Connects to `--tcp` / `--unix` before the 101; a refused, unreachable or silent backend
    /// is a 502 (websockify answers 101, then 1011). A name is resolved again once if every
    /// address failed.
    func connectBackend(_ accept: WebSocketHandshakeAccept, head: HTTPRequestHead, retried: Bool) {
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
                self.giveBackSlot()
                self.context.metrics.backendFailed()
                self.context.logger.log(.error, "backend", self.fields, "Could not connect to backend \(backend.description): \(error)")
                self.answer(.badGateway)
            }
        }
    }

    func backendConnected(_ socket: FileDescriptor, accept: WebSocketHandshakeAccept) {
        var preamble: ByteBuffer?
        if context.settings.proxyProtocol {
            let server = try? Socket.localAddress(transport.descriptor)
            preamble = ByteBuffer(string: ProxyProtocolHeader.v1(client: clientSocketAddress ?? peer, server: server))
        }
        let endpoint = SocketEndpoint(socket: socket, loop: context.loop, preamble: preamble)
        if context.logger.isEnabled(.debug), let backend = context.socketBackend {
            context.logger.log(.debug, "backend", fields, "Connected to backend \(backend.description)")
        }
        let started = StreamRelay(endpoint: endpoint, settings: context.settings.relay,
                                  onDiagnosticLine: { _ in }, onFinish: { [weak self] _ in self?.endIfDone() })
        relay = started
        var none = ByteBuffer()
        switchToWebSocket(accept, backend: started, leftover: &none)
        transport.resumeReading()
    }

    /// What answers this request: the echo, or which program with which SCRIPT_NAME and
    /// PATH_INFO; nil when `--dir` has no script for the path (404).
    func resolveTarget(_ head: HTTPRequestHead) -> Target? {
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
    enum Target: Sendable {
        case echo
        case program(path: String, arguments: [String], scriptName: String, pathInfo: String)
        case socket
    }

    // MARK: - Upgrade

    /// Starts the backend (before the 101, so one that cannot start gets an HTTP status:
    /// docs/behaviour.md, 'Handshake') and switches to the WebSocket session.
    func upgrade(_ accept: WebSocketHandshakeAccept, head: HTTPRequestHead, target: Target,
                         remoteHost: String, leftover: inout ByteBuffer) {
        let backend: any SessionBackend
        switch target {
        case .echo:
            backend = EchoBackend()
        case .program(let path, let arguments, let scriptName, let pathInfo):
            guard let started = startProgram(path: path, arguments: arguments, head: head, remoteHost: remoteHost,
                                             scriptName: scriptName, pathInfo: pathInfo) else {
                giveBackSlot()
                answer(.internalServerError)
                return
            }
            relay = started
            backend = started
        case .socket:
            return  // connected asynchronously: see connectBackend
        }
        switchToWebSocket(accept, backend: backend, leftover: &leftover)
        if let process = relay?.endpoint as? ProgramProcess { fields.append(("pid", String(process.pid))) }
    }

    /// Sends the 101 and hands the socket to a WebSocket session with `backend`.
    func switchToWebSocket(_ accept: WebSocketHandshakeAccept, backend: any SessionBackend, leftover: inout ByteBuffer) {
        let settings = context.settings
        var headers = HTTPHeaders()
        headers.reserveCapacity(4 + settings.headersForAll.count + settings.headersForUpgrade.count)
        func add(_ list: [(name: String, value: String)]) {
            for (name, value) in list { headers.add(name: name, value: value) }
        }
        add(accept.responseHeaders)
        add(settings.headersForAll)
        add(settings.headersForUpgrade)
        let response = HTTPResponseHead(status: .switchingProtocols, headers: headers)
        transport.write(minimumCapacity: 256) { response.write(into: &$0) }
        let session = WebSocketSession(transport: transport, settings: context.settings.session, backend: backend,
                                       deflate: accept.deflate, traffic: context.metrics.traffic)
        session.observer = self
        phase = .upgraded(session)
        context.metrics.upgraded()
        context.logger.log(.access, "session", fields, "CONNECT")
        session.start(initialBytes: &leftover)
    }

    /// Starts the program before the 101 (a program that cannot start is a 500, not a 101
    /// followed by a drop as in websocketd).
    func startProgram(path: String, arguments: [String], head: HTTPRequestHead, remoteHost: String,
                              scriptName: String, pathInfo: String) -> StreamRelay? {
        let settings = context.settings
        var request = CGIRequest(
            remoteAddress: remote, remoteHost: remoteHost,
            remotePort: remotePort,
            method: head.method, requestURI: head.target, path: head.path, query: head.query,
            scriptName: scriptName, pathInfo: pathInfo, host: head.headers.first("Host") ?? "",
            headers: head.headers.map { ($0.name, $0.value) }, isHTTPS: settings.tls != nil,
            uniqueID: String(id), serverSoftware: settings.serverSoftware)
        request.clientCertificateSubject = tlsEngine?.verifiedPeerSubject
        if let authenticated { (request.remoteUser, request.authType) = authenticated }
        var environment = CGIEnvironment.build(request, passedEnvironment: settings.passedEnvironment)
        if settings.terminal != nil, !settings.passedEnvironment.contains(where: { $0.name == "TERM" }) {
            environment.add("TERM", ServerSettings.terminalType)
        }
        logEnvironment(environment)
        let spawned: SpawnedProcess
        do {
            spawned = try ProcessSpawner.spawn(path: path, arguments: [path] + arguments, environment: environment,
                                               limits: settings.childLimits, terminal: settings.terminal)
        } catch {
            context.logger.log(.error, "process", fields, "Could not launch process \(path): \(error)")
            return nil
        }
        // websocketd's CONNECT line has no pid yet; every line after it has (see `upgrade`).
        let logFields = fields + [("pid", String(spawned.pid))]
        let process = ProgramProcess(spawned: spawned, loop: context.loop, reaper: context.reaper,
                                     groups: context.programGroups, plan: settings.teardown)
        let metrics = context.metrics
        metrics.programStarted()
        process.onExit = { metrics.programExited($0) }
        process.onEvent = programEventLog(pid: spawned.pid, fields: logFields)
        let logger = context.logger
        return StreamRelay(
            endpoint: process, settings: settings.relay,
            onDiagnosticLine: { line in logger.log(.error, "stderr", logFields, line) },
            onFinish: { [weak self] _ in self?.endIfDone() })
    }
}
