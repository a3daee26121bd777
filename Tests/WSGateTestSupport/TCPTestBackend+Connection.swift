extension TCPTestBackend {
    /// What happened on one accepted connection so far (a snapshot; connections are numbered
    /// from 0 in the order they were accepted).
    public struct Connection: Sendable, CustomStringConvertible {
        /// Bytes received from the gateway, in order, up to the backend's `recordLimit` (a
        /// PROXY header line in `recordProxyHeader` mode is not included).
        public var received: [UInt8] = []
        /// How many bytes were received in all (beyond `recordLimit` too, header included).
        public var receivedCount = 0
        /// `recordProxyHeader` mode: the first line exactly as it came, `\r\n` included (cut
        /// at `proxyHeaderLimit` bytes; what came before EOF if no line ended).
        public var proxyHeader: String?
        /// The gateway ended its side: EOF was read (its shutdown(SHUT_WR) or close).
        public var sawEndOfInput = false
        /// A read or write failed with this errno (ECONNRESET: the gateway reset; EPIPE…).
        public var error: Int32?
        /// Bytes written to the gateway.
        public var sent = 0
        /// When the last write completed (when the connection was accepted, before any).
        public var lastSend: ContinuousClock.Instant
        /// Everything the mode writes was written (`flood`: all the bytes).
        public var finishedSending = false
        /// The backend closed this connection (its thread ended).
        public var closed = false

        init() {
            lastSend = .now
        }

        public var description: String {
            var parts = ["received \(receivedCount) bytes", "sent \(sent)"]
            if let proxyHeader { parts.append("header \(proxyHeader.debugDescription)") }
            if sawEndOfInput { parts.append("saw EOF") }
            if let error { parts.append("errno \(error)") }
            if finishedSending { parts.append("finished sending") }
            if closed { parts.append("closed") }
            return "Connection(" + parts.joined(separator: ", ") + ")"
        }
    }
}
