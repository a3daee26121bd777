import WSGateCore
import WSGateHTTP
import WSGatePosix
import WSGateRelay

/// One event loop's counts for `--metrics`: connections, answers, programs, backends and
/// WebSocket traffic, in a `CounterBlock` that only this loop writes.
///
/// Why it exists: counting must cost nothing noticeable on the hot path, so there is no shared
/// counter and no lock: every loop counts into its own block (relaxed atomic stores, no
/// read-modify-write, no allocation) and a scrape, on whichever loop it lands, sums all blocks
/// with relaxed loads (`GatewayMetrics`). Hopping to each loop instead would make the scrape
/// asynchronous for no gain: a scrape needs no snapshot consistent across loops.
///
/// Every labelled family has a slot per possible label value (status codes 100–599, exit
/// statuses 0–255, signals 1–64), so counting is an index computation; a scrape writes the
/// non-zero ones only. About 15 KiB per loop (4 KiB more per plain-HTTP service).
///
/// - Warning: the recording methods only on the owning loop (see `CounterBlock`).
final class LoopMetrics: Sendable {
    let counters = CounterBlock(count: Slot.count)
    /// Handed to each WebSocket session on this loop.
    let traffic: TrafficCounters

    init() {
        traffic = TrafficCounters(block: counters, firstSlot: Slot.traffic)
    }

    /// Where each count lives in the block.
    enum Slot {
        static let connectionsAccepted = 0
        static let connectionsOpen = 1
        static let sessionsOpen = 2
        static let programsStarted = 3
        static let programsRunning = 4
        static let backendConnects = 5
        static let backendFailures = 6
        /// `TrafficCounters.slotCount` slots: messages in, bytes in, messages out, bytes out.
        static let traffic = 7
        /// Status codes 100 ..< 600, one slot each.
        static let statusCodes = 100..<600
        /// Connections answered by the gateway itself (101 or an error), by status.
        static let answered = traffic + TrafficCounters.slotCount
        /// Plain-HTTP service responses: a block of status slots per service.
        static let served = answered + statusCodes.count
        /// Program exits by status 0 ... 255.
        static let exitStatuses = served + RequestRoute.plainHTTPServices.count * statusCodes.count
        /// Program deaths by signal 0 ... 64 (0 unused).
        static let signals = exitStatuses + 256
        static let signalCount = 65
        /// `--broadcast`: rooms holding a backend now; messages dropped for slow members
        /// (`--slow-client=drop`); members closed as slow (`disconnect`).
        static let roomsOpen = signals + signalCount
        static let roomMessagesDropped = roomsOpen + 1
        static let roomSlowDisconnects = roomsOpen + 2
        /// Upgrades refused by a per-client limit, one slot per `ClientLimitRefusal`.
        static let clientLimitRefusals = roomsOpen + 3
        static let count = clientLimitRefusals + ClientLimitRefusal.allCases.count

        /// The slot of `status` in the status block at `base`; nil outside 100–599.
        static func status(_ status: HTTPStatus, base: Int) -> Int? {
            statusCodes.contains(status.code) ? base + status.code - statusCodes.lowerBound : nil
        }

        /// The status block of a plain-HTTP service.
        static func served(_ route: RequestRoute) -> Int? {
            RequestRoute.plainHTTPServices.firstIndex(of: route).map { served + $0 * statusCodes.count }
        }
    }

    // MARK: - Recording (owning loop only)

    /// A connection was accepted.
    func connectionAccepted() {
        counters.add(1, at: Slot.connectionsAccepted)
        counters.add(1, at: Slot.connectionsOpen)
    }

    /// A client's socket closed (before or after an upgrade).
    func connectionClosed() {
        counters.add(-1, at: Slot.connectionsOpen)
    }

    /// The gateway answered a connection itself with an error, before or instead of an
    /// upgrade.
    func answered(_ status: HTTPStatus) {
        if let slot = Slot.status(status, base: Slot.answered) { counters.add(1, at: slot) }
    }

    /// The 101 went out: a WebSocket session is open.
    func upgraded() {
        answered(.switchingProtocols)
        counters.add(1, at: Slot.sessionsOpen)
    }

    /// A WebSocket session's socket closed.
    func sessionClosed() {
        counters.add(-1, at: Slot.sessionsOpen)
    }

    /// A plain-HTTP service answered a request.
    func served(_ route: RequestRoute, _ status: HTTPStatus) {
        guard let base = Slot.served(route), let slot = Slot.status(status, base: base) else { return }
        counters.add(1, at: slot)
    }

    func programStarted() {
        counters.add(1, at: Slot.programsStarted)
        counters.add(1, at: Slot.programsRunning)
    }

    /// A program was reaped.
    func programExited(_ termination: ProcessTermination) {
        counters.add(-1, at: Slot.programsRunning)
        switch termination {
        case .exited(let status) where (0..<256).contains(status):
            counters.add(1, at: Slot.exitStatuses + Int(status))
        case .signaled(let signal) where (1..<Slot.signalCount).contains(Int(signal)):
            counters.add(1, at: Slot.signals + Int(signal))
        default:
            break
        }
    }

    /// A `--tcp` / `--unix` backend accepted the connection.
    func backendConnected() {
        counters.add(1, at: Slot.backendConnects)
    }

    /// A backend could not be reached (the client got a 502).
    func roomOpened() {
        counters.add(1, at: Slot.roomsOpen)
    }

    func roomFinished() {
        counters.add(-1, at: Slot.roomsOpen)
    }

    func roomMessagesDropped(_ count: Int) {
        counters.add(count, at: Slot.roomMessagesDropped)
    }

    func roomSlowClientDisconnected() {
        counters.add(1, at: Slot.roomSlowDisconnects)
    }

    /// An upgrade was refused by `--max-per-ip`, `--rate`, or a full client table.
    func clientLimited(_ refusal: ClientLimitRefusal) {
        counters.add(1, at: Slot.clientLimitRefusals + refusal.rawValue)
    }

    func backendFailed() {
        counters.add(1, at: Slot.backendFailures)
    }
}

extension RequestRoute {
    /// The plain-HTTP services, each with its `service` label: their responses are counted per
    /// service and status (a new service adds itself here).
    static let plainHTTPServices: [RequestRoute] = [.devConsole, .cgi, .staticFiles, .metrics, .redirect, .health]

    /// The `service` label of `wsgate_http_responses_total`.
    var serviceLabel: String {
        switch self {
        case .webSocket: return "websocket"
        case .devConsole: return "devconsole"
        case .cgi: return "cgi"
        case .staticFiles: return "static"
        case .metrics: return "metrics"
        case .redirect: return "redirect"
        case .health: return "health"
        }
    }
}
