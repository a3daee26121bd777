import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGateHTTP

/// `--health`'s answer on a client connection: the precomputed bytes with the date and the
/// keep-alive decision, counted, logged at debug level only (a check every second must not
/// fill the access log), then the next request or the close as for any plain-HTTP answer.
extension ClientConnection {
    func sendHealth(_ service: HealthService, for request: HTTPRequestHead) {
        let answer = service.answer(to: request)
        requestsServed += 1
        context.metrics.served(.health, answer.status)
        let keepAlive = context.settings.keepAlive.keepsAlive(after: request, served: requestsServed)
        let connection = KeepAlivePolicy.connectionHeader(keepAlive: keepAlive, version: request.version)
        if context.logger.isEnabled(.debug) {
            context.logger.log(.debug, "http", [urlField(request)], "\(HealthService.logMessage) \(answer.status.code)")
        }
        let date = context.httpDate(unixSeconds: now())
        let body = request.method == "HEAD" ? [] : answer.body
        transport.write(minimumCapacity: answer.head.count + body.count + 80) { buffer in
            buffer.writeBytes(answer.head)
            buffer.writeString("Date: ")
            buffer.writeString(date)
            buffer.writeString("\r\n")
            if let connection {
                buffer.writeString("Connection: ")
                buffer.writeString(connection)
                buffer.writeString("\r\n")
            }
            buffer.writeString("\r\n")
            buffer.writeBytes(body)
        }
        responseSent(keepAlive: keepAlive)
    }
}
