import Glibc
import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// `spawn-rate`: how many programs per second this machine can start and reap, the way a
/// gateway does for each connection (pipes for stdin, stdout and stderr, own process group),
/// from one thread, with up to `--inflight` children alive at once (1: spawn, wait, repeat).
///
/// Why it exists: with a program backend, connection rate can never beat process creation;
/// this is the ceiling the connect scenario is judged against. It uses the gateway's own
/// `ProcessSpawner`, then closes the pipes (so `cat` sees EOF and exits) and waits for it.
enum SpawnRate {
    static func run(_ options: BenchOptions) throws(BenchError) -> Int32 {
        let program = options.string("program", default: "/bin/cat")
        let duration = try options.milliseconds("seconds", defaultSeconds: 3)
        let inflight = try options.int("inflight", default: 1, range: 1...10000)
        let environment: EnvironmentBlock = ["PATH=/usr/bin:/bin"]
        let start = SystemClock.monotonicNow()
        let deadline = start.adding(milliseconds: duration)
        var count = 0
        var failures = 0
        var alive = 0
        var now = start
        while now < deadline || alive > 0 {
            if now < deadline && alive < inflight {
                let child: SpawnedProcess
                do {
                    child = try ProcessSpawner.spawn(path: program, arguments: [program], environment: environment)
                } catch {
                    throw .setup("spawn \(program): \(error)")
                }
                child.stdin.close()
                child.stdout.close()
                child.stderr.close()
                alive += 1
            } else {
                var status: Int32 = 0
                let pid = waitpid(-1, &status, 0)
                if pid < 0 {
                    if errno == EINTR { continue }
                    break
                }
                alive -= 1
                // Exit status 0 only: anything else means the measurement is not of a clean run.
                if status != 0 { failures += 1 }
                if now < deadline { count += 1 }
            }
            now = SystemClock.monotonicNow()
        }
        let seconds = Double(Swift.min(now, deadline).nanoseconds - start.nanoseconds) / 1e9
        let rate = Double(count) / seconds
        StandardStreams.printOut("spawn-rate: \(count) spawn+exit+wait of \(program) in \(ResultLine.format(seconds)) s: \(ResultLine.format(rate)) per second (\(inflight) alive at most)\n")
        var line = ResultLine(scenario: .spawnRate)
        line.add("inflight", inflight)
        line.add("spawns", count)
        line.add("seconds", decimal: seconds)
        line.add("value", decimal: rate)
        line.add("unit", "spawn/s")
        let errors = ErrorTally()
        for _ in 0 ..< failures { errors.record("\(program) did not exit with status 0") }
        return ConnectScenario.finish(line, errors)
    }
}
