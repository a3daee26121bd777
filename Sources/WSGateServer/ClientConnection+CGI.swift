import WSGateBackends
import WSGateConfig
import WSGateCore
import WSGateHTTP
import WSGatePosix
import WSGateTLS

/// A `--cgidir` request on a client connection: the checks before the script starts (body
/// size, `--maxforks`), the start, and what the `CGIExchange` asks of the connection.
extension ClientConnection: CGIExchangeOwner {
    /// Most local redirects followed for one request (a script redirecting to itself loops).
    static let maxLocalRedirects = 10

    /// Runs `script` for `head`; `leftover` holds the bytes after the head (body first).
    func runCGI(_ script: CGIService.Script, service: CGIService, head: HTTPRequestHead, leftover: inout ByteBuffer) {
        var logFields = [urlField(head), ("id", String(id)), ("remote", remote), ("cgiscript", script.path)]
        if let length = head.contentLength, length > service.maxBodyBytes {
            context.logger.log(.access, "http", logFields, "CGI: request body of \(length) bytes over \(service.maxBodyBytes)")
            answer(.contentTooLarge, extra: context.settings.headersForPlainHTTP)
            return
        }
        guard let lease = context.sessionSlots.acquire() else {
            context.logger.log(.error, "http", logFields, "Max of possible forks already active, CGI request rejected")
            answer(.tooManyRequests, extra: context.settings.headersForPlainHTTP)
            return
        }
        var request = CGIRequest(
            remoteAddress: remote, remoteHost: remote,
            remotePort: remotePort,
            method: head.method, requestURI: head.target, path: head.path, query: head.query,
            // Go's net/http/cgi with its default root, as websocketd runs it.
            scriptName: "/", pathInfo: CGIRequest.decodedPath(head.path), host: head.headers.first("Host") ?? "",
            headers: head.headers.map { ($0.name, $0.value) }, isHTTPS: context.settings.tls != nil,
            uniqueID: String(id), serverSoftware: context.settings.serverSoftware)
        request.gatewayInterface = "CGI/1.1"
        request.clientCertificateSubject = tlsEngine?.verifiedPeerSubject
        if let authenticated { (request.remoteUser, request.authType) = authenticated }
        request.scriptFilename = script.path
        if let length = head.contentLength, length > 0 { request.contentLength = String(length) }
        request.contentType = head.headers.first("Content-Type") ?? ""
        let environment = CGIEnvironment.build(request, passedEnvironment: context.settings.passedEnvironment)
        let spawned: SpawnedProcess
        do {
            spawned = try ProcessSpawner.spawn(path: script.path, arguments: [script.path], environment: environment,
                                               workingDirectory: script.workingDirectory, limits: context.settings.childLimits)
        } catch {
            lease.release()
            context.logger.log(.error, "process", logFields, "Could not launch CGI script \(script.path): \(error)")
            answer(.internalServerError, extra: context.settings.headersForPlainHTTP)
            return
        }
        logFields.append(("pid", String(spawned.pid)))
        let process = ProgramProcess(spawned: spawned, loop: context.loop, reaper: context.reaper,
                                     groups: context.programGroups, plan: context.settings.teardown)
        let metrics = context.metrics
        metrics.programStarted()
        process.onExit = { metrics.programExited($0) }
        let exchange = CGIExchange(process: process, client: transport, context: context, request: head,
                                   maxBodyBytes: service.maxBodyBytes, lease: lease, fields: logFields)
        exchange.owner = self
        phase = .cgi(exchange)
        exchange.start(leftover: &leftover)
    }

    // MARK: - CGIExchangeOwner

    func cgiExchange(_ exchange: CGIExchange, sends head: HTTPResponseHead, canKeepAlive: Bool) -> Bool {
        guard case .cgi(let current) = phase, current === exchange else { return false }
        return sendHead(head, for: exchange.request, from: .cgi, logMessage: "CGI", canKeepAlive: canKeepAlive)
    }

    func cgiExchangeDidRespond(_ exchange: CGIExchange, keepAlive: Bool) {
        guard case .cgi(let current) = phase, current === exchange else { return }
        responseSent(keepAlive: keepAlive)
    }

    func cgiExchange(_ exchange: CGIExchange, redirectsTo target: String) {
        guard case .cgi(let current) = phase, current === exchange else { return }
        let request = exchange.request
        localRedirects += 1
        guard localRedirects <= Self.maxLocalRedirects,
              let redirected = try? request.locallyRedirected(to: target) else {
            context.logger.log(.error, "http", [urlField(request)], "CGI: local redirect to \(target) refused")
            answer(.internalServerError, extra: context.settings.headersForPlainHTTP)
            return
        }
        phase = .readingHead
        var none = ByteBuffer()
        route(redirected, leftover: &none)
    }

    func cgiExchange(_ exchange: CGIExchange, failedWith status: HTTPStatus) {
        guard case .cgi(let current) = phase, current === exchange else { return }
        answer(status, extra: context.settings.headersForPlainHTTP)
    }
}

extension HTTPRequestHead {
    /// The request a local redirect (RFC 3875 §6.2.2) is answered as: a GET of `target` with
    /// the same header fields but none about a body, and `Connection: close` if this request
    /// had one (its unread rest must not be taken for the next request).
    func locallyRedirected(to target: String) throws(HTTPParseError) -> HTTPRequestHead {
        var fields = HTTPHeaders()
        let dropped = ["content-length", "content-type", "transfer-encoding", "upgrade"]
        for field in headers where !dropped.contains(field.name.lowercased()) {
            fields.add(name: field.name, value: field.value)
        }
        if (contentLength ?? 0) > 0 || hasChunkedBody { fields.add(name: "Connection", value: "close") }
        return try HTTPRequestHead(method: "GET", target: RequestTarget(parsing: target), version: version, headers: fields)
    }
}
