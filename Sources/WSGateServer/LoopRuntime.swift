import WSGateBackends
import WSGateEventLoop
import WSGatePosix

/// One event loop's share of the gateway: its listeners (one per address, all sharing the
/// port through `SO_REUSEPORT`; for `--unixsocket` a duplicate of the one socket) and the
/// connections they accepted.
///
/// Why it exists: with `--threads=N` each loop runs on its own thread and owns everything it
/// accepted until the end; connections never move between loops. The gateway talks to a
/// runtime only through its loop (`execute`), so nothing here needs a lock.
///
/// - Warning: loop-confined.
final class LoopRuntime {
    let loop: EventLoop
    private let listeners: [Listener]
    /// `--redirport`'s listeners: their connections get `redirectContext`.
    private let redirectListeners: [Listener]
    private let tracker: ConnectionTracker
    private let context: ConnectionContext
    private let redirectContext: ConnectionContext?

    init(loop: EventLoop, listeners: [Listener], redirectListeners: [Listener] = [], settings: ServerSettings,
         redirectSettings: ServerSettings? = nil, logger: Logger,
         sessionSlots: SessionSlots, reaper: ChildReaper, programGroups: ProgramGroups, metrics: LoopMetrics) {
        self.loop = loop
        self.listeners = listeners
        self.redirectListeners = redirectListeners
        let tracker = ConnectionTracker()
        self.tracker = tracker
        func context(_ settings: ServerSettings) -> ConnectionContext {
            ConnectionContext(loop: loop, settings: settings, logger: logger, tracker: tracker,
                              sessionSlots: sessionSlots, reaper: reaper, programGroups: programGroups, metrics: metrics)
        }
        self.context = context(settings)
        redirectContext = redirectSettings.map(context)
    }

    /// Starts accepting.
    func start() throws(IOError) {
        for (group, context) in [(listeners, context), (redirectListeners, redirectContext ?? context)] {
            for listener in group {
                listener.onAccept = { socket, peer in ClientConnection.accept(socket: socket, peer: peer, context: context) }
                try listener.start()
            }
        }
    }

    /// Stops accepting and asks every connection to end (close 1001, kill sequences);
    /// `onDrained` runs on this loop once the last one is gone.
    func drain(onDrained: @escaping () -> Void) {
        closeListeners()
        tracker.onDrained = onDrained
        tracker.drain()
    }

    /// Closes the listeners (at exit).
    func closeListeners() {
        for listener in listeners + redirectListeners { listener.close() }
    }
}
