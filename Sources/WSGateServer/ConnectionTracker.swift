/// Something the tracker can ask to go away when the gateway shuts down.
protocol TrackedConnection: AnyObject {
    /// Ends the connection politely (WebSocket close 1001, or just closing an HTTP exchange).
    func shutDown()
}

/// The connections alive on one loop, for draining on SIGTERM.
///
/// Why it exists: a drain must reach every connection, and the gateway may only exit once all
/// of them have finished their close handshake (or timed out). Connections add themselves when
/// they start and remove themselves when their socket closes.
///
/// - Warning: loop-confined.
final class ConnectionTracker {
    private var connections: [ObjectIdentifier: any TrackedConnection] = [:]
    /// Called once when the last connection goes while draining.
    var onDrained: (() -> Void)?
    private(set) var isDraining = false

    var count: Int { connections.count }

    func add(_ connection: any TrackedConnection) {
        connections[ObjectIdentifier(connection)] = connection
    }

    func remove(_ connection: any TrackedConnection) {
        connections[ObjectIdentifier(connection)] = nil
        if isDraining && connections.isEmpty {
            let callback = onDrained
            onDrained = nil
            callback?()
        }
    }

    /// Asks every connection to shut down; `onDrained` runs when the last one is gone.
    func drain() {
        isDraining = true
        if connections.isEmpty {
            let callback = onDrained
            onDrained = nil
            callback?()
            return
        }
        for connection in Array(connections.values) { connection.shutDown() }
    }
}
