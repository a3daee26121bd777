import WSGateBackends
import WSGateCore
import WSGateEventLoop
import WSGateHTTP
import WSGatePosix

/// What every connection on one loop shares: the loop, the settings, the logger, the tracker,
/// and the source of connection ids.
///
/// - Warning: loop-confined.
final class ConnectionContext {
    let loop: EventLoop
    let settings: ServerSettings
    let logger: Logger
    let tracker: ConnectionTracker
    /// Shared by all loops.
    let sessionSlots: SessionSlots
    /// Shared by all loops: reports children's exits.
    let reaper: ChildReaper
    /// Shared by all loops: the groups of programs still running (killed on a forced exit).
    let programGroups: ProgramGroups
    /// This loop's counts (`--metrics`); written only here.
    let metrics: LoopMetrics
    private var lastID: Int64 = 0
    /// `--tcp` / `--unix`: this loop's view of the backend and its addresses.
    let socketBackend: SocketBackendTarget?

    init(loop: EventLoop, settings: ServerSettings, logger: Logger, tracker: ConnectionTracker,
         sessionSlots: SessionSlots, reaper: ChildReaper, programGroups: ProgramGroups, metrics: LoopMetrics) {
        self.metrics = metrics
        self.reaper = reaper
        self.programGroups = programGroups
        if case .socket(let kind, let addresses) = settings.backend {
            socketBackend = SocketBackendTarget(kind: kind, addresses: addresses)
        } else {
            socketBackend = nil
        }
        self.loop = loop
        self.settings = settings
        self.logger = logger
        self.tracker = tracker
        self.sessionSlots = sessionSlots
    }

    /// `--broadcast`: this loop's rooms (made on first use).
    lazy var rooms = RoomHost(context: self)

    /// The `Date` header for `unixSeconds`, formatted once per second on this loop.
    func httpDate(unixSeconds: Int) -> String {
        if unixSeconds != cachedDate.second { cachedDate = (unixSeconds, HTTPDate(unixSeconds: unixSeconds).imfFixdate) }
        return cachedDate.text
    }
    private var cachedDate: (second: Int, text: String) = (-1, "")

    /// A unique connection id: wall-clock nanoseconds as websocketd's `UNIQUE_ID`, bumped when
    /// two connections arrive within the same nanosecond reading.
    func makeConnectionID() -> Int64 {
        let now = SystemClock.unixNanoseconds()
        lastID = Swift.max(now, lastID + 1)
        return lastID
    }
}
