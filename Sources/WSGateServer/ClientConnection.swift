import WSGateBackends
import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGateHTTP
import WSGatePosix
import WSGateRelay
import WSGateTLS
import WSGateWebSocket

/// One accepted client from `accept` to close: the request head, then either a plain HTTP
/// answer or the upgrade to a `WebSocketSession`.
///
/// Why it exists: everything that happens before the 101 (limits, routing, handshake checks,
/// the answer to each refusal with its log line) and the bookkeeping around a session
/// (CONNECT / DISCONNECT lines, `--maxforks` slots, the drain on shutdown) live here, so the
/// session itself only speaks WebSocket. This file has the head, the routing, the refusals and
/// the end; `ClientConnection+PlainHTTP` sends the plain-HTTP services' answers and
/// `ClientConnection+Upgrade` takes an upgrade to its session.
///
/// - Warning: loop-confined; its state is internal only so that those two files can use it.
final class ClientConnection: StreamTransportDelegate, WebSocketSessionObserver, TrackedConnection {
    let transport: StreamTransport
    /// The TLS engine under `transport` (`--ssl`): the verified client certificate is read
    /// from it.
    let tlsEngine: TLSEngine?
    let context: ConnectionContext
    let peer: SocketAddress?
    let id: Int64
    var parser = HTTPRequestParser()
    var headTimer: TimerID?
    var phase = Phase.readingHead
    /// The relay to this connection's program or socket (kept until the endpoint finished).
    var relay: StreamRelay?
    /// The backend connect in progress (`--tcp` / `--unix`).
    var connector: SocketConnector?
    /// This connection's `--maxforks` slot, from the upgrade's acceptance to the end of its
    /// backend (dropping it gives the slot back).
    var lease: SessionLease?
    /// This connection's count against `--max-per-ip`, held and given back with `lease`.
    var clientLease: ClientLease?
    var sessionEnded = false
    /// Plain-HTTP requests answered on this connection (keep-alive).
    var requestsServed = 0
    /// Local redirects of `--cgidir` scripts followed for the current request.
    var localRedirects = 0
    /// The user `--auth-token-key` / `--auth-basic` let in for the current request, and how
    /// (`Bearer` or `Basic`): REMOTE_USER and AUTH_TYPE.
    var authenticated: (user: String, type: String)?
    /// Log fields known so far (url, id, remote, origin…).
    var fields: [(key: String, value: String)] = []

    enum Phase {
        case readingHead
        /// Waiting, with reading paused, for `--reverselookup`'s answer or the backend's
        /// connect before the 101.
        case preparing
        /// A plain-HTTP answer whose body is still being sent; reading waits until it is.
        case responding
        /// The last answer; the connection closes after it.
        case answering
        /// A `--cgidir` script runs: the request body goes to it, its answer comes back.
        case cgi(CGIExchange)
        case upgraded(WebSocketSession)
    }

    /// Starts serving a socket the listener accepted (takes ownership of it).
    static func accept(socket: FileDescriptor, peer: SocketAddress?, context: ConnectionContext) {
        try? Socket.setNoDelay(socket)
        var engine: TLSEngine?
        if let tls = context.settings.tls {
            do {
                engine = try tls.makeEngine()
            } catch {
                context.logger.log(.error, "server", [], "Cannot start TLS for an accepted socket: \(error)")
                socket.close()
                return
            }
        }
        let proxied = context.settings.proxyTrust.map { Self.trustedStart(peer: peer, trust: $0) }
        // With --ssl the handshake runs under the transport, within the head timer below;
        // after a PROXY header, which comes first in plaintext (TLS passed through).
        let tlsFirst = proxied?.expectsHeader == true ? nil : engine
        let transport = StreamTransport(loop: context.loop, descriptor: socket, tls: tlsFirst)
        let connection = ClientConnection(transport: transport, tlsEngine: engine, peer: peer, context: context)
        if let proxied {
            connection.connectionClient = proxied.client
            connection.awaitingProxyHeader = proxied.expectsHeader
        }
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

    private init(transport: StreamTransport, tlsEngine: TLSEngine?, peer: SocketAddress?, context: ConnectionContext) {
        self.transport = transport
        self.tlsEngine = tlsEngine
        self.peer = peer
        remote = peer.map { $0.isUnix ? "unix-socket" : $0.host } ?? "unknown"
        remotePort = peer.map { $0.isUnix ? "" : String($0.port) } ?? ""
        connectionRemote = (remote, remotePort)
        self.context = context
        id = context.makeConnectionID()
    }

    /// The client as logs and REMOTE_ADDR name it (formatted once: several uses per request):
    /// the peer, or with `--trusted-proxy` what the PROXY header or the request's forwarding
    /// header says (`ClientConnection+Proxy`).
    var remote: String
    /// REMOTE_PORT: the peer's port, the PROXY header's, the forwarding header's, or empty.
    var remotePort: String
    /// `remote` and `remotePort` of the connection itself (the peer, or the PROXY header's
    /// source): what each request starts from.
    var connectionRemote: (address: String, port: String)
    /// The connection's client as an address, for the forwarding header's walk; nil without
    /// `--trusted-proxy` or on a Unix socket.
    var connectionClient: ClientAddress?
    /// With `--accept-proxy-protocol`, from a trusted peer: the PROXY header comes first.
    var awaitingProxyHeader = false

    // MARK: - Request head

    func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer) {
        if case .cgi(let exchange) = phase {
            exchange.clientDidRead(&buffer)
            return
        }
        guard case .readingHead = phase else {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return
        }
        if awaitingProxyHeader, !readProxyHeader(&buffer) { return }
        do {
            // Pipelined plain-HTTP requests are answered one after the other from this buffer.
            while case .readingHead = phase, let head = try parser.parse(&buffer) {
                cancelHeadTimer()
                localRedirects = 0
                route(head, leftover: &buffer)
            }
        } catch {
            cancelHeadTimer()
            if requestsServed == 0, ProxyTrust.startsWithProxySignature(buffer) {
                logUnexpectedProxyHeader()
            } else {
                context.logger.log(.access, "http", [("remote", remote)], "Bad request: \(error.description)")
            }
            answer(error.status)
        }
    }

    func transportDidReadEOF(_ transport: StreamTransport) {
        if case .cgi(let exchange) = phase {
            // Before its answer is complete: taken as gone (as nginx does, its 499), since a
            // closed client and a half-closed one look the same until a write fails.
            context.logger.log(.access, "http", [urlField(exchange.request)], "CGI: client closed the connection first")
            exchange.clientIsGone()
            transport.abort()
            return
        }
        if case .readingHead = phase, requestsServed == 0 {
            // The client left before finishing its request: nobody to answer.
            transport.abort()
        } else {
            // Answers already queued (keep-alive, pipelining) still go out.
            transport.close(lingerMilliseconds: context.settings.lingerMs)
        }
    }

    func transportDidDrain(_ transport: StreamTransport) {
        if case .cgi(let exchange) = phase { exchange.clientDidDrain() }
    }

    func transportDidClose(_ transport: StreamTransport, error: IOError?) {
        if let error, context.settings.tls != nil, case .readingHead = phase, requestsServed == 0 {
            // A failed handshake (plain HTTP, garbage, an old protocol) or a reset before it.
            context.logger.log(.access, "http", [("remote", remote)], "Dropped before a request: \(error)")
        }
        cancelHeadTimer()
        context.metrics.connectionClosed()
        // A client that vanished while its backend was being prepared: its slot goes back.
        if case .preparing = phase {
            connector?.cancel()
            giveBackSlot()
        }
        if case .cgi(let exchange) = phase { exchange.clientIsGone() }
        context.tracker.remove(self)
    }

    func headTimedOut() {
        headTimer = nil
        guard case .readingHead = phase else { return }
        // The same deadline covers the TLS handshake; a client stuck in it is told apart.
        let unfinished = awaitingProxyHeader ? "PROXY protocol header"
            : tlsEngine?.isHandshakeComplete == false ? "TLS handshake" : "Request head"
        context.logger.log(.access, "http", [("remote", remote)],
                           "\(unfinished) not complete within \(context.settings.handshakeTimeoutMs) ms: dropped")
        transport.abort()
    }

    func cancelHeadTimer() {
        if let headTimer { context.loop.cancelTimer(headTimer) }
        headTimer = nil
    }

    // MARK: - Routing

    func route(_ head: HTTPRequestHead, leftover: inout ByteBuffer) {
        if let trust = context.settings.proxyTrust { resolveClient(head, trust: trust) }
        if let redirect = context.settings.redirect {
            let second = now()
            let response = redirect.respond(to: head, localHost: { [transport] in
                (try? Socket.localAddress(transport.descriptor))?.host ?? "localhost"
            }, extraHeaders: context.settings.headersForPlainAnswers, date: context.httpDate(unixSeconds: second))
            send(response, for: head, from: .redirect)
            return
        }
        let routes = context.settings.router.routes(for: head)
        authenticated = nil
        if let access = context.settings.access, access.guards(routes) {
            authorize(head, routes: routes, access: access, leftover: &leftover)
            return
        }
        serve(head, routes: routes, leftover: &leftover)
    }

    /// Asks each service in `routes` in turn (`RequestRouter`'s order) to answer.
    func serve(_ head: HTTPRequestHead, routes: [RequestRoute], leftover: inout ByteBuffer) {
        var notFound: (response: PlainHTTPResponse, route: RequestRoute)?
        for route in routes {
            let response: PlainHTTPResponse
            switch route {
            case .webSocket:
                fields = [urlField(head), ("id", String(id)), ("remote", remote)]
                if let authenticated { fields.append(("user", authenticated.user)) }
                routeUpgrade(head, leftover: &leftover)
                return
            case .devConsole:
                guard let service = context.settings.devConsole else { continue }
                response = service.respond(to: head, extraHeaders: context.settings.headersForPlainAnswers, now: now())
            case .cgi:
                guard let service = context.settings.cgi else { continue }
                switch service.lookUp(head) {
                case .notAScript:
                    continue
                case .unavailable(let reason):
                    context.logger.log(.error, "http", [urlField(head)], "CGI unavailable (503): \(reason)")
                    answer(.serviceUnavailable, extra: context.settings.headersForPlainHTTP)
                case .script(let script):
                    runCGI(script, service: service, head: head, leftover: &leftover)
                }
                notFound?.response.discard()
                return
            case .staticFiles:
                guard let service = context.settings.staticFiles else { continue }
                let second = now()
                response = service.respond(to: head, extraHeaders: context.settings.headersForPlainAnswers, now: second,
                                           date: context.httpDate(unixSeconds: second))
            case .metrics:
                guard let service = context.settings.metrics else { continue }
                response = service.respond(to: head, extraHeaders: context.settings.headersForPlainAnswers, now: now())
            case .redirect:
                continue  // answered above: the router never picks it
            case .health:
                guard let service = context.settings.health else { continue }
                sendHealth(service, for: head)
                return
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

    /// Sends a plain answer (with `--header` and `extra` headers) and closes the connection.
    func answer(_ status: HTTPStatus, body: String? = nil, extra: [(name: String, value: String)] = []) {
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

    func sessionDidEnd(_ session: WebSocketSession, error: String?) {
        sessionEnded = true
        context.metrics.connectionClosed()
        context.metrics.sessionClosed()
        logSessionEnd(session, error: error)
        if let code = session.receivedCloseCode { fields.append(("close", String(code.rawValue))) }
        if let error { fields.append(("error", error)) }
        if let failure = session.failure { fields.append(("failed", "\(failure.closeCode.rawValue) \(failure.reason)")) }
        endIfDone()
    }

    /// `--max-session` / `--idle-timeout`: one access line says which limit closes the session.
    func session(_ session: WebSocketSession, didReach limit: SessionLimit) {
        context.logger.log(.access, "session", fields,
                           "\(limit.closeReason) (\(DurationSyntax.text(milliseconds: limit.milliseconds))) reached: closing 1008")
    }

    /// The connection is over once the session is closed and its program (if any) and
    /// everything it started are gone: then the slot is free and DISCONNECT is logged.
    func endIfDone() {
        guard sessionEnded else { return }
        if let relay {
            guard relay.isFinished else { return }
            if let end = relay.endpoint.endDescription { fields.append(("status", end)) }
        }
        giveBackSlot()
        context.logger.log(.access, "session", fields, "DISCONNECT")
        relay = nil
        context.tracker.remove(self)
    }

    /// Gives the `--maxforks` slot and the `--max-per-ip` count back now, not when the last
    /// reference to a lease goes (a caller's local binding may outlive the answer the client
    /// already read).
    func giveBackSlot() {
        lease?.release()
        lease = nil
        clientLease?.release()
        clientLease = nil
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
        case .cgi(let exchange):
            // The script's answer goes out in full (a second signal ends every program group).
            exchange.closeAfterResponse()
        case .preparing:
            connector?.cancel()
            connector = nil
            giveBackSlot()
            answer(.serviceUnavailable)
        case .answering:
            return
        case .upgraded(let session):
            session.close(code: .goingAway, reason: "server shutting down")
        }
    }
}
