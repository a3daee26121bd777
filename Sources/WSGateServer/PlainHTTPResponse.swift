import WSGateConfig
import WSGateHTTP
import WSGatePosix

/// A plain-HTTP answer ready to send: its head, its body, and the log line's message.
///
/// Why it exists: the services (static files, later CGI, the console, metrics) decide what to
/// answer; `ClientConnection` sends it the same way for all, with the file body going out by
/// `sendfile` and the connection kept or closed afterwards.
struct PlainHTTPResponse {
    var head: HTTPResponseHead
    var body: Body
    /// The access log's message (websocketd's: `STATIC`).
    var logMessage: String
    /// The level of its log line: `.error` for a failure of the gateway's own.
    var logLevel = LogLevel.access
    /// A 404 for a path the service does not have: a later service in the routing order may
    /// answer instead (`RequestRouter`); if none does, this is sent.
    var isNotFound = false

    enum Body {
        case none
        case bytes([UInt8])
        /// `count` bytes of an open file from `offset`, sent by `sendfile`; the response owns
        /// the descriptor.
        case file(FileDescriptor, offset: Int, count: Int)
        /// The same for a few bytes (`StaticFileService.inlineBodyLimit`): read straight into
        /// the write queue behind the head, so both leave in one segment.
        case smallFile(FileDescriptor, offset: Int, count: Int)
    }

    /// Closes the file a response that will not be sent still holds.
    func discard() {
        switch body {
        case .file(let file, _, _), .smallFile(let file, _, _): file.close()
        case .none, .bytes: break
        }
    }
}
