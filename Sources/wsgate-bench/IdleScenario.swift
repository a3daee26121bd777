import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// `idle`: open N connections (C handshakes at a time), one echo on each to prove its backend
/// is up, then hold them all for a while and close them all cleanly.
///
/// Why it exists: per-connection memory. A gateway that holds thousands of mostly idle
/// connections (dashboards, terminals) pays for each in buffers and bookkeeping; the driver
/// reads the gateway's RSS while this holds the connections (`READY` line) and divides.
enum IdleScenario {
    static func run(_ options: BenchOptions) throws(BenchError) -> Int32 {
        let limit = FileLimit.raiseToHardLimit()
        let setup = try ClientSetup(options: options, defaultSize: 64)
        let total = try options.int("total", default: 1000)
        let concurrency = try options.int("connections", default: 100)
        let hold = try options.milliseconds("hold", defaultSeconds: 5)
        guard total + 16 <= limit else {
            throw .usage("wsgate-bench idle: \(total) connections need \(total + 16) descriptors; the limit is \(limit)\n")
        }
        var clients: [EchoClient] = []
        var launched = 0
        var settled = 0
        var ready = 0
        var finished = 0
        let started = SystemClock.monotonicNow()
        let watchdog = StallWatchdog(loop: setup.loop, stallMilliseconds: setup.stallMilliseconds) { clients }
        var upSeconds = 0.0

        func settle() {
            settled += 1
            if launched < total { launch() }
            guard settled == total else { return }
            upSeconds = Double(SystemClock.monotonicNow().nanoseconds - started.nanoseconds) / 1e9
            StandardStreams.printOut("READY up=\(ready) total=\(total) seconds=\(ResultLine.format(upSeconds))\n")
            setup.loop.scheduleTimer(afterMilliseconds: hold) {
                for client in clients { client.stop() }
            }
        }

        func launch() {
            let client = setup.makeClient(launched, plan: EchoClient.Plan(window: 1, messageLimit: 1, holdOpen: true))
            launched += 1
            client.onReady = { _ in
                ready += 1
                settle()
            }
            client.onFinish = { client in
                // One that failed before it was ready is settled too (its error is counted).
                if !client.reachedHold { settle() }
                finished += 1
                if finished == total {
                    watchdog.stop()
                    setup.loop.stop()
                }
            }
            clients.append(client)
            client.start()
        }

        setup.metrics.startWindow(at: started)
        for _ in 0 ..< Swift.min(concurrency, total) { launch() }
        try setup.run(watching: watchdog)
        setup.metrics.endWindow(at: SystemClock.monotonicNow())
        let rate = upSeconds > 0 ? Double(ready) / upSeconds : 0
        StandardStreams.printOut("idle: \(ready) of \(total) connections up in \(ResultLine.format(upSeconds)) s (\(ResultLine.format(rate)) conn/s), held \(hold) ms\n")
        var line = ResultLine(scenario: .idle)
        line.add("total", total)
        line.add("up", ready)
        line.add("seconds", decimal: upSeconds)
        line.add("value", decimal: rate)
        line.add("unit", "conn/s")
        StandardStreams.printOut("idle: " + setup.metrics.addWireFields(to: &line, size: setup.messageSize))
        return ConnectScenario.finish(line, setup.metrics.errors)
    }
}
