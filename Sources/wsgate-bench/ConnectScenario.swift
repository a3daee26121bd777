import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// `connect`: N connections, C at a time, each doing the whole cycle (connect, upgrade, one
/// message, its echo, close handshake, the server's EOF).
///
/// Why it exists: with a program backend every connection costs a process spawn, so this
/// measures what a gateway adds around `posix_spawn`: accepting, the upgrade, starting and
/// reaping the child, the close sequence. Latency is the whole cycle of one connection.
enum ConnectScenario {
    static func run(_ options: BenchOptions) throws(BenchError) -> Int32 {
        let setup = try ClientSetup(options: options, defaultSize: 64)
        let total = try options.int("total", default: 2000)
        let concurrency = try options.int("connections", default: 50)
        var clients: [EchoClient] = []
        var cycles = LatencyRecorder()
        var launched = 0
        var finished = 0
        var succeeded = 0
        let watchdog = StallWatchdog(loop: setup.loop, stallMilliseconds: setup.stallMilliseconds) {
            clients
        }

        func launch() {
            let client = setup.makeClient(launched, plan: EchoClient.Plan(window: 1, messageLimit: 1))
            launched += 1
            client.onFinish = { client in
                finished += 1
                if client.succeeded {
                    succeeded += 1
                    let now = SystemClock.monotonicNow()
                    cycles.record(microseconds: (now.nanoseconds - client.startedAt.nanoseconds) / 1000)
                }
                if let index = clients.firstIndex(where: { $0 === client }) { clients.remove(at: index) }
                if launched < total {
                    launch()
                } else if finished == total {
                    watchdog.stop()
                    setup.loop.stop()
                }
            }
            clients.append(client)
            client.start()
        }

        setup.metrics.startWindow(at: SystemClock.monotonicNow())
        for _ in 0 ..< Swift.min(concurrency, total) { launch() }
        try setup.run(watching: watchdog)
        setup.metrics.endWindow(at: SystemClock.monotonicNow())
        let seconds = setup.metrics.windowSeconds
        let rate = Double(succeeded) / seconds
        StandardStreams.printOut("connect: \(total) connections, \(concurrency) at a time, one \(setup.messageDescription) message each\n")
        StandardStreams.printOut("connect: \(succeeded) clean cycles in \(ResultLine.format(seconds)) s: \(ResultLine.format(rate)) conn/s; cycle \(cycles.summary)\n")
        var line = ResultLine(scenario: .connect)
        line.add("total", total)
        line.add("concurrency", concurrency)
        line.add("size", setup.messageSize)
        line.add("ok", succeeded)
        line.add("seconds", decimal: seconds)
        line.add("value", decimal: rate)
        line.add("unit", "conn/s")
        cycles.addFields(to: &line)
        return finish(line, setup.metrics.errors)
    }

    /// Prints the RESULT line and any errors; the exit status.
    static func finish(_ line: ResultLine, _ errors: ErrorTally) -> Int32 {
        var line = line
        line.add("errors", errors.total)
        line.add("missing", errors.missingReplies)
        StandardStreams.printOut(line.text)
        guard errors.total == 0 else {
            StandardStreams.printOut(errors.report())
            StandardStreams.printError(errors.report())
            return 1
        }
        return 0
    }
}
