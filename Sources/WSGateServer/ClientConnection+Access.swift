import Dispatch
import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGateHTTP
import WSGatePosix

/// The door of `--auth-token-key` / `--auth-basic`: a request's credentials are taken out of
/// it and checked before any service sees it; a refusal is a 401 with `WWW-Authenticate`,
/// logged with its reason (a browser only sees its WebSocket fail), and starts nothing.
extension ClientConnection {
    func authorize(_ head: HTTPRequestHead, routes: [RequestRoute], access: AccessControl, leftover: inout ByteBuffer) {
        let offered = OfferedCredentials(from: head, cookie: access.tokenCookie, parameter: access.tokenParameter)
        guard let clean = offered.head else {
            context.logger.log(.access, "http", [("remote", remote)], "Bad request: the request-target without its token does not parse")
            answer(.badRequest)
            return
        }
        // An upgrade spends its `--rate` token and takes its `--max-per-ip` count before the
        // check, so refused guesses are limited too (the log shows the request without its token).
        if routes.first == .webSocket, let limiter = context.settings.clientLimiter {
            fields = [urlField(clean), ("id", String(id)), ("remote", remote)]
            guard admitClient(limiter) else { return }
        }
        guard let credential = offered.credential else {
            refuse(clean, routes: routes, AccessRefusal("no credentials"), access: access)
            return
        }
        switch credential.kind {
        case .bearer:
            switch access.checkToken(credential.value, now: SystemClock.unixNanoseconds() / 1_000_000_000) {
            case .success(let user):
                admit(clean, routes: routes, user: user, type: "Bearer", leftover: &leftover)
            case .failure(let refusal):
                refuse(clean, routes: routes, AccessRefusal("\(refusal.reason) (from the \(credential.source.rawValue))",
                                            invalidToken: refusal.invalidToken), access: access)
            }
        case .basic:
            checkPasswordOffLoop(clean, routes: routes, authorization: credential.value, access: access)
        }
    }

    /// bcrypt takes tens of milliseconds on purpose: the check runs on a worker thread while
    /// this connection waits with reading paused (the bytes after the head stay in the
    /// transport), and the loop serves everyone else.
    private func checkPasswordOffLoop(_ head: HTTPRequestHead, routes: [RequestRoute], authorization: String,
                                      access: AccessControl) {
        guard access.beginPasswordCheck() else {
            context.logger.log(.error, "http", [urlField(head), ("remote", remote)],
                               "Too many password checks at once (\(AccessControl.maxPendingPasswordChecks)): 503")
            giveBackSlot()
            answer(.serviceUnavailable, extra: [("Retry-After", "1")])
            return
        }
        prepare()
        let connection = LoopBound(self, loop: context.loop)
        DispatchQueue.global().async {
            let result = access.checkPassword(authorization: authorization)
            connection.loop.execute {
                let connection = connection.value
                guard case .preparing = connection.phase, connection.transport.isOpen else { return }
                connection.phase = .readingHead
                switch result {
                case .success(let user):
                    var none = ByteBuffer()
                    connection.admit(head, routes: routes, user: user, type: "Basic", leftover: &none)
                case .failure(let refusal):
                    connection.refuse(head, routes: routes, refusal, access: access)
                }
                switch connection.phase {
                case .preparing, .responding, .answering: break  // resumed by whoever waits, or closing
                default: connection.transport.resumeReading()
                }
            }
        }
    }

    private func admit(_ head: HTTPRequestHead, routes: [RequestRoute], user: String, type: String,
                       leftover: inout ByteBuffer) {
        authenticated = (user, type)
        serve(head, routes: routes, leftover: &leftover)
    }

    private func refuse(_ head: HTTPRequestHead, routes: [RequestRoute], _ refusal: AccessRefusal, access: AccessControl) {
        giveBackSlot()
        context.logger.log(.access, routes.first == .webSocket ? "session" : "http", [urlField(head), ("remote", remote)],
                           "Unauthorized (401): \(refusal.reason)")
        answer(.unauthorized, body: "401 unauthorized\n",
               extra: (refusal.invalidToken ? access.invalidTokenChallenge : access.challenge) + context.settings.headersForPlainHTTP)
    }
}
