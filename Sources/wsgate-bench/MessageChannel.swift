/// A connection an echo workload sends messages through: a WebSocket or a plain TCP stream.
///
/// Why it exists: the workload logic (how many in flight, checking every echoed byte, timing)
/// is the same over WebSocket and over raw TCP (the ceiling measurement), so it is written
/// once against this protocol. A channel reports exactly one `channelDidClose`.
///
/// - Warning: loop-confined.
protocol MessageChannel: AnyObject {
    /// Receives the events; held weakly.
    var delegate: (any MessageChannelDelegate)? { get set }
    /// Connects (and upgrades); `channelDidOpen` follows.
    func start()
    /// Sends one message (WebSocket) or these bytes (TCP).
    func send(_ payload: UnsafeRawBufferPointer)
    /// Closes cleanly: close handshake or FIN, then waits for the server's EOF.
    func close()
    /// Closes at once and reports `reason` as the failure.
    func abort(_ reason: String)
}
