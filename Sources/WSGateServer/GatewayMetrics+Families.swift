import WSGateConfig
import WSGatePosix

/// The names, types and help texts of what `--metrics` exposes.
///
/// Why it exists: these names are an interface (dashboards and alerts are built on them), so
/// they are listed in one place, apart from how the counts are kept (`LoopMetrics`). Names
/// follow Prometheus's conventions: a `wsgate_` prefix, `_total` on counters, base units
/// (`_bytes`, `_seconds`), and the `process_*` names of the official client libraries.
extension GatewayMetrics {
    static func families(totals: [Int]) -> [MetricFamily] {
        typealias Slot = LoopMetrics.Slot
        func count(_ slot: Int) -> MetricFamily.Value { .integer(totals[slot]) }
        /// The non-zero status slots of the block at `base`, labelled `code` (plus `extra`).
        func byStatus(_ base: Int, _ extra: [MetricFamily.Label] = []) -> [MetricFamily.Sample] {
            Slot.statusCodes.compactMap { code in
                let value = totals[base + code - Slot.statusCodes.lowerBound]
                guard value != 0 else { return nil }
                return MetricFamily.Sample(labels: extra + [.init(name: "code", value: String(code))], value: .integer(value))
            }
        }
        func direction(_ name: String, _ slot: Int) -> MetricFamily.Sample {
            MetricFamily.Sample(labels: [.init(name: "direction", value: name)], value: count(slot))
        }
        let exits = (0..<256).filter { totals[Slot.exitStatuses + $0] != 0 }.map { status in
            MetricFamily.Sample(labels: [.init(name: "how", value: "exit"), .init(name: "status", value: String(status))],
                                value: count(Slot.exitStatuses + status))
        }
        let signals = (1..<Slot.signalCount).filter { totals[Slot.signals + $0] != 0 }.map { signal in
            MetricFamily.Sample(labels: [.init(name: "how", value: "signal"), .init(name: "signal", value: String(signal))],
                                value: count(Slot.signals + signal))
        }
        let served = RequestRoute.plainHTTPServices.flatMap { route in
            byStatus(Slot.served(route)!, [.init(name: "service", value: route.serviceLabel)])
        }
        return [
            MetricFamily(name: "wsgate_build_info", help: "The running wsgate's version (always 1).", kind: .gauge,
                         samples: [.init(labels: [.init(name: "version", value: Version.version)], value: .integer(1))]),
            .single("wsgate_connections_accepted_total", .counter, "Client connections accepted.",
                    count(Slot.connectionsAccepted)),
            .single("wsgate_connections_open", .gauge, "Client connections open now.", count(Slot.connectionsOpen)),
            MetricFamily(name: "wsgate_connections_answered_total",
                         help: "Connections the gateway answered itself, by status: 101 (upgraded to WebSocket) or the "
                             + "error that refused the request before or instead of an upgrade.",
                         kind: .counter, samples: byStatus(Slot.answered)),
            .single("wsgate_websocket_sessions_open", .gauge, "WebSocket sessions open now.", count(Slot.sessionsOpen)),
            MetricFamily(name: "wsgate_websocket_messages_total",
                         help: "WebSocket data messages (text and binary) received from (in) and sent to (out) clients.",
                         kind: .counter, samples: [direction("in", Slot.traffic), direction("out", Slot.traffic + 2)]),
            MetricFamily(name: "wsgate_websocket_message_bytes_total",
                         help: "Payload bytes of those WebSocket data messages.",
                         kind: .counter, samples: [direction("in", Slot.traffic + 1), direction("out", Slot.traffic + 3)]),
            .single("wsgate_programs_started_total", .counter, "Programs started for WebSocket sessions.",
                    count(Slot.programsStarted)),
            .single("wsgate_programs_running", .gauge, "Programs started and not reaped yet.", count(Slot.programsRunning)),
            MetricFamily(name: "wsgate_programs_exited_total",
                         help: "Programs reaped, by how they ended: how=\"exit\" with its status, or how=\"signal\" "
                             + "with the signal that killed it.",
                         kind: .counter, samples: exits + signals),
            .single("wsgate_backend_connects_total", .counter, "Connections made to the --tcp or --unix backend.",
                    count(Slot.backendConnects)),
            .single("wsgate_backend_connect_failures_total", .counter,
                    "Connections to the --tcp or --unix backend that failed (the client got a 502).",
                    count(Slot.backendFailures)),
            .single("wsgate_rooms_open", .gauge, "--broadcast rooms holding a backend now.", count(Slot.roomsOpen)),
            .single("wsgate_room_messages_dropped_total", .counter,
                    "Messages dropped for room members whose queue was full (--slow-client=drop).",
                    count(Slot.roomMessagesDropped)),
            .single("wsgate_room_slow_disconnects_total", .counter,
                    "Room members closed with 1008 because their queue was full (--slow-client=disconnect).",
                    count(Slot.roomSlowDisconnects)),
            MetricFamily(name: "wsgate_client_limit_refusals_total",
                         help: "WebSocket upgrades refused by a per-client limit: limit=\"max_per_ip\" or \"rate\" "
                             + "(429), \"table_full\" (503, every remembered client has a session open).",
                         kind: .counter, samples: ClientLimitRefusal.allCases.map { refusal in
                             MetricFamily.Sample(labels: [.init(name: "limit", value: refusal.label)],
                                                 value: count(Slot.clientLimitRefusals + refusal.rawValue))
                         }),
            MetricFamily(name: "wsgate_http_responses_total",
                         help: "Plain-HTTP requests answered by a service (static files, metrics), by service and status.",
                         kind: .counter, samples: served),
        ]
    }

    /// The `process_*` families, named as the Prometheus client libraries name them.
    static func families(process: ProcessStats) -> [MetricFamily] {
        var families: [MetricFamily] = [
            .single("process_cpu_seconds_total", .counter, "Total user and system CPU time spent in seconds.",
                    .real(process.cpuSeconds)),
            .single("process_resident_memory_bytes", .gauge, "Resident memory size in bytes.",
                    .integer(process.residentBytes)),
            .single("process_virtual_memory_bytes", .gauge, "Virtual memory size in bytes.", .integer(process.virtualBytes)),
            .single("process_start_time_seconds", .gauge, "Start time of the process since unix epoch in seconds.",
                    .real(process.startTimeSeconds)),
        ]
        if let open = process.openDescriptors {
            families.append(.single("process_open_fds", .gauge, "Number of open file descriptors.", .integer(open)))
        }
        if let max = process.maxDescriptors {
            families.append(.single("process_max_fds", .gauge, "Maximum number of open file descriptors.", .integer(max)))
        }
        return families
    }
}
