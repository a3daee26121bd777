import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// `echo`, `stream` and `tcp-stream`: C connections, each keeping W messages in flight for D
/// seconds, measured over the window in which all of them are up.
///
/// Why it exists: steady-state relay cost. With W = 1 (echo) every message is a round trip
/// through the gateway and its backend, so msg/s and the latency tail show per-message
/// overhead and wake-up latency; with W > 1 (stream) the pipes and sockets stay full, so MB/s
/// shows copying and backpressure; `tcp-stream` is the same without a gateway (the ceiling).
enum SteadyLoadScenario {
    static func run(_ options: BenchOptions) throws(BenchError) -> Int32 {
        let scenario = options.scenario
        let streaming = scenario != .echo
        let setup = try ClientSetup(options: options, defaultSize: streaming ? 65536 : 64,
                                    plainTCP: scenario == .tcpStream)
        let connections = try options.int("connections", default: 1)
        let window = streaming ? try options.int("inflight", default: 4, range: 1...4096) : 1
        let duration = try options.milliseconds("seconds", defaultSeconds: 5)
        let metrics = setup.metrics
        var clients: [EchoClient] = []
        var settled = 0
        var finished = 0
        let watchdog = StallWatchdog(loop: setup.loop, stallMilliseconds: setup.stallMilliseconds) { clients }

        func settle() {
            settled += 1
            guard settled == connections else { return }
            metrics.startWindow(at: SystemClock.monotonicNow())
            setup.loop.scheduleTimer(afterMilliseconds: duration) {
                metrics.endWindow(at: SystemClock.monotonicNow())
                for client in clients { client.stop() }
            }
        }

        for index in 0 ..< connections {
            let client = setup.makeClient(index, plan: EchoClient.Plan(window: window))
            client.onOpen = { _ in settle() }
            client.onFinish = { client in
                if !client.didOpen { settle() }
                finished += 1
                if finished == connections {
                    watchdog.stop()
                    setup.loop.stop()
                }
            }
            clients.append(client)
        }
        for client in clients { client.start() }
        try setup.run(watching: watchdog)
        if metrics.measuring { metrics.endWindow(at: SystemClock.monotonicNow()) }

        let seconds = metrics.windowSeconds
        let messageRate = Double(metrics.completedMessages) / seconds
        let sentRate = Double(metrics.bytesSent) / seconds / 1e6
        let receivedRate = Double(metrics.bytesReceived) / seconds / 1e6
        StandardStreams.printOut("\(scenario.rawValue): \(connections) connection(s), \(setup.messageDescription) messages, \(window) in flight each, \(ResultLine.format(seconds)) s measured\n")
        if streaming {
            StandardStreams.printOut("\(scenario.rawValue): \(ResultLine.format(receivedRate)) MB/s echoed back (\(ResultLine.format(sentRate)) MB/s sent; MB = 10^6 bytes), \(metrics.completedMessages) messages; message round trip \(metrics.latencies.summary)\n")
        } else {
            StandardStreams.printOut("\(scenario.rawValue): \(metrics.completedMessages) round trips, \(ResultLine.format(messageRate)) msg/s; round trip \(metrics.latencies.summary)\n")
        }
        var line = ResultLine(scenario: scenario)
        line.add("connections", connections)
        line.add("size", setup.messageSize)
        line.add("inflight", window)
        line.add("seconds", decimal: seconds)
        line.add("messages", metrics.completedMessages)
        line.add("msgs_per_s", decimal: messageRate)
        line.add("mb_sent_per_s", decimal: sentRate)
        line.add("mb_received_per_s", decimal: receivedRate)
        line.add("value", decimal: streaming ? receivedRate : messageRate)
        line.add("unit", streaming ? "MB/s" : "msg/s")
        metrics.latencies.addFields(to: &line)
        if !setup.plainTCP {
            StandardStreams.printOut("\(scenario.rawValue): " + metrics.addWireFields(to: &line, size: setup.messageSize))
        }
        if metrics.completedMessages == 0 { metrics.errors.record("no message completed in the measured window") }
        return ConnectScenario.finish(line, metrics.errors)
    }
}
