// wsgate: parse the command line, run the gateway, turn the outcome into an exit status.
import WSGateCLI
import WSGatePosix
import WSGateServer

let environment = CommandLineEnvironment(
    processEnvironment: SystemInfo.environment,
    fileKind: { path in
        if FileSystem.isExecutableFile(path) { return .executable }
        return FileSystem.kindOfEntry(path) == .file ? .notExecutable : .absent
    },
    isDirectory: { FileSystem.isDirectory($0) },
    readFile: { path in
        FileSystem.readText(path).mapError { .init(reason: IOError.message($0.errno)) }
    })

let status: Int32
do {
    switch try CommandLineParser.parse(Array(CommandLine.arguments.dropFirst()), environment: environment) {
    case .help(let text), .version(let text), .license(let text):
        StandardStreams.printOut(text.hasSuffix("\n") ? text : text + "\n")
        status = 0
    case .run(let config):
        status = Gateway(config: config).run()
    }
} catch {
    StandardStreams.printError(error.fullText.hasSuffix("\n") ? error.fullText : error.fullText + "\n")
    status = error.exitStatus
}
exitProcess(status)
