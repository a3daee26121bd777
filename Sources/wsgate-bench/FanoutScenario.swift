import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// `fanout`: N clients in one room (one URL path of a `--broadcast` gateway whose backend is
/// `wsgate-testcmd emit`); once all are in, one of them sends "go", which the room hands to
/// the emitter's stdin, and the emitter writes `rate × seconds` messages at `rate` per second.
/// Every client checks and times every message (`FanoutReceiver`).
///
/// Why it exists: a room's cost is per delivery (one message to one client), not per message,
/// so this reports deliveries/s over the window from "go" to the last message received, and
/// the delay from the emitter's write to each client's receipt. With `--slow=K`, K of the N
/// clients never read (the slow-client policy at work; they are not counted); `--idle` only
/// opens the N clients, prints `READY`, holds them and closes them: the driver reads the
/// server's memory per idle member meanwhile. Every loop is bounded: the handshakes by `--stall`, the
/// emission by a deadline of 6 × `--seconds` + `--stall` (a saturated server may take
/// several times the emission's length to deliver its backlog), after which what is missing is an error.
enum FanoutScenario {
    static let handshakesAtOnce = 100

    static func run(_ options: BenchOptions) throws(BenchError) -> Int32 {
        let limit = FileLimit.raiseToHardLimit()
        let setup = try ClientSetup(options: options, defaultSize: 64)
        let total = try options.int("connections", default: 1000)
        let slowCount = try options.int("slow", default: 0, range: 0...(total - 1))
        let rate = try options.int("rate", default: 100, range: 1...10_000_000)
        let duration = try options.milliseconds("seconds", defaultSeconds: 5)
        let idle = try options.bool("idle")
        let hold = try options.milliseconds("hold", defaultSeconds: 5)
        let count = rate * duration / 1000
        guard setup.messageSize >= FanoutMessage.headerLength, !setup.binary else {
            throw .usage("wsgate-bench fanout: text messages of at least \(FanoutMessage.headerLength) bytes (the emitter's header)\n")
        }
        guard total + 16 <= limit else {
            throw .usage("wsgate-bench fanout: \(total) connections need \(total + 16) descriptors; the limit is \(limit)\n")
        }
        let metrics = setup.metrics
        let loop = setup.loop
        var receivers: [FanoutReceiver] = []
        var launched = 0, settled = 0, opened = 0, finished = 0, done = 0
        var ended = false
        var lastCompletion = Instant(nanoseconds: 0)
        var deadline: TimerID?
        let started = SystemClock.monotonicNow()
        var upSeconds = 0.0

        func endRun() {
            guard !ended else { return }
            ended = true
            if let deadline { loop.cancelTimer(deadline) }
            metrics.endWindow(at: done == total - slowCount && lastCompletion.nanoseconds > 0
                              ? lastCompletion : SystemClock.monotonicNow())
            for receiver in receivers {
                if receiver.slow || receiver.isFinished {
                    receiver.channel.abort("released")
                } else {
                    receiver.channel.close()
                }
            }
        }

        func countDone() {
            done += 1
            if done == total - slowCount { endRun() }
        }

        func go() {
            guard let sender = receivers.first(where: { !$0.slow }) else { return }
            metrics.startWindow(at: SystemClock.monotonicNow())
            Array("go".utf8).withUnsafeBytes { sender.channel.send($0) }
            deadline = loop.scheduleTimer(afterMilliseconds: 6 * duration + setup.stallMilliseconds) {
                deadline = nil
                endRun()
            }
        }

        func settle() {
            settled += 1
            if launched < total { launch() }
            guard settled == total else { return }
            upSeconds = Double(SystemClock.monotonicNow().nanoseconds - started.nanoseconds) / 1e9
            if opened < total {
                endRun()
            } else if idle {
                StandardStreams.printOut("READY up=\(opened) total=\(total) seconds=\(ResultLine.format(upSeconds))\n")
                loop.scheduleTimer(afterMilliseconds: hold) { endRun() }
            } else {
                go()
            }
        }

        func launch() {
            let receiver = FanoutReceiver(channel: setup.makeWebSocket(launched), slow: launched < slowCount,
                                          size: setup.messageSize, expected: count, metrics: metrics)
            launched += 1
            receiver.onOpen = { _ in
                opened += 1
                settle()
            }
            receiver.onComplete = { _ in
                lastCompletion = SystemClock.monotonicNow()
                countDone()
            }
            receiver.onFinish = { receiver in
                if !receiver.didOpen { settle() }
                if let failure = receiver.failure, !(receiver.slow && ended) {
                    metrics.errors.record(receiver.slow ? "slow client: \(failure)" : failure)
                }
                if !receiver.slow && !ended && receiver.didOpen && (idle || receiver.missing > 0) { countDone() }
                finished += 1
                if finished == launched && settled == total { loop.stop() }
            }
            receivers.append(receiver)
            receiver.channel.start()
        }

        for _ in 0 ..< Swift.min(handshakesAtOnce, total) { launch() }
        do {
            try loop.run()
        } catch {
            throw .setup("event loop: \(error)")
        }
        return idle ? reportIdle(total: total, opened: opened, upSeconds: upSeconds, metrics: metrics)
            : report(receivers, count: count, rate: rate, size: setup.messageSize, metrics: metrics)
    }

    private static func reportIdle(total: Int, opened: Int, upSeconds: Double, metrics: RunMetrics) -> Int32 {
        StandardStreams.printOut("fanout --idle: \(opened) of \(total) room members up in \(ResultLine.format(upSeconds)) s\n")
        var line = ResultLine(scenario: .fanout)
        line.add("total", total)
        line.add("up", opened)
        line.add("seconds", decimal: upSeconds)
        line.add("value", decimal: upSeconds > 0 ? Double(opened) / upSeconds : 0)
        line.add("unit", "conn/s")
        return ConnectScenario.finish(line, metrics.errors)
    }

    private static func report(_ receivers: [FanoutReceiver], count: Int, rate: Int, size: Int,
                               metrics: RunMetrics) -> Int32 {
        let counted = receivers.filter { !$0.slow }
        for receiver in counted where receiver.missing > 0 {
            metrics.errors.record("messages missing at the end of the run")
            metrics.errors.recordMissing(receiver.missing)
        }
        let seconds = metrics.windowSeconds
        let deliveries = metrics.completedMessages
        let rateMeasured = seconds > 0 ? Double(deliveries) / seconds : 0
        StandardStreams.printOut("fanout: \(counted.count) clients (+\(receivers.count - counted.count) never reading), \(count) messages of \(size) B at \(rate)/s each\n")
        StandardStreams.printOut("fanout: \(deliveries) deliveries in \(ResultLine.format(seconds)) s: \(ResultLine.format(rateMeasured)) deliveries/s; delay \(metrics.latencies.summary)\n")
        StandardStreams.printOut("fanout: worst delay in each second from go, ms: \(metrics.timeline.summary)\n")
        var line = ResultLine(scenario: .fanout)
        line.add("connections", counted.count)
        line.add("slow", receivers.count - counted.count)
        line.add("size", size)
        line.add("rate", rate)
        line.add("count", count)
        line.add("seconds", decimal: seconds)
        line.add("deliveries", deliveries)
        line.add("value", decimal: rateMeasured)
        line.add("unit", "deliv/s")
        metrics.latencies.addFields(to: &line)
        if deliveries == 0 { metrics.errors.record("no message delivered") }
        return ConnectScenario.finish(line, metrics.errors)
    }
}
