// wsgate-bench: load generator for WebSocket gateways, plus the helpers its driver needs
// (a TCP echo backend, a raw TCP client, the posix_spawn ceiling). `wsgate-bench --help`.
import WSGatePosix

ProcessSignals.ignoreBrokenPipe()
let status: Int32
do {
    let options = try BenchOptions(Array(CommandLine.arguments.dropFirst()))
    switch options.scenario {
    case .connect: status = try ConnectScenario.run(options)
    case .echo, .stream, .tcpStream: status = try SteadyLoadScenario.run(options)
    case .idle: status = try IdleScenario.run(options)
    case .fanout: status = try FanoutScenario.run(options)
    case .tcpEcho: status = try TCPEchoServer.run(options)
    case .spawnRate: status = try SpawnRate.run(options)
    }
} catch {
    if case .help(let text) = error {
        StandardStreams.printOut(text)
        exitProcess(0)
    }
    StandardStreams.printError(error.description.hasSuffix("\n") ? error.description : error.description + "\n")
    exitProcess(error.exitStatus)
}
exitProcess(status)
