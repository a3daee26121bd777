import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// The built binary's command line: exit statuses and where the text goes.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct CommandLineTests {
    func run(_ arguments: [String]) throws -> ChildProcess {
        let process = try ChildProcess(path: Executables.path("wsgate"), arguments: arguments)
        try process.waitForExit()
        return process
    }

    @Test func helpPrintsEveryAvailableFlagAndExitsZero() throws {
        let process = try run(["--help"])
        #expect(process.exitStatus == 0)
        for flag in ["--port", "--address", "--echo", "--maxframesize", "--loglevel"] {
            #expect(process.standardOutput.contains(flag))
        }
    }

    @Test func versionAndLicenseExitZero() throws {
        #expect(try run(["--version"]).standardOutput.hasPrefix("wsgate "))
        #expect(try run(["--license"]).exitStatus == 0)
    }

    @Test(arguments: [
        (["--nosuchflag", "--echo"], 2),
        (["--port=abc", "--echo"], 2),
        (["--port"], 2),
        ([], 1),
        (["--port=1"], 1),
        (["--echo", "--tcp=127.0.0.1:1"], 1),
        (["--loglevel=loud", "--echo"], 1),
        (["--devconsole", "--staticdir=/tmp"], 4),
    ] as [([String], Int32)])
    func badCommandLinesExitWithWebsocketdStatuses(arguments: [String], status: Int32) throws {
        let process = try run(arguments)
        #expect(process.exitStatus == status)
        let text = process.standardError + process.standardOutput
        #expect(!text.isEmpty)
    }

    /// A COMMAND that is there but may not be run is named as such, not as missing.
    @Test func aCommandWithoutExecutePermissionIsSaidToBeNotExecutable() throws {
        let directory = try TemporaryFiles.directory("not-executable")
        defer { TemporaryFiles.removeDirectory(directory) }
        let script = directory + "/script.sh"
        try TemporaryFiles.write("#!/bin/sh\necho hi\n", to: script, mode: 0o644)
        let process = try run([script])
        #expect(process.exitStatus == 1)
        #expect(process.standardError == "Specified COMMAND '\(script)' is not executable.\n")
        let missing = try run([directory + "/missing.sh"])
        #expect(missing.exitStatus == 1)
        #expect(missing.standardError == "Unable to locate specified COMMAND '\(directory)/missing.sh' in OS path.\n")
    }

    @Test func noBackendEndsWithTheHelpHint() throws {
        let process = try run(["--port=8080"])
        #expect(process.exitStatus == 1)
        #expect(process.standardError.hasSuffix("--cgidir or --devconsole.\nRun 'wsgate --help' for usage.\n"))
    }

    @Test func jsonLogFormatWritesJSONLines() throws {
        let gateway = try GatewayProcess(["--echo", "--logformat=json"])
        let line = try gateway.process.waitForOutputLine(containing: "Starting WebSocket server")
        #expect(line.hasPrefix("{\"time\":"))
        #expect(line.contains("\"level\":\"info\""))
    }
}

/// `--config=FILE` with the real binary and a real file.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct ConfigFileIntegrationTests {
    @Test func aConfigFileConfiguresTheGatewayAndTheCommandLineOverridesIt() throws {
        let path = TemporaryFiles.path("config", suffix: ".conf")
        try TemporaryFiles.write("# test\nmaxforks = 1\nloglevel = access\necho = true\n", to: path)
        defer { unlink(path) }
        let gateway = try GatewayProcess(["--config=\(path)", "--maxforks=2"])
        let first = try gateway.openWebSocket()
        let second = try gateway.openWebSocket()
        try second.send(FrameBytes.text("configured"))
        #expect(try second.readMessage().text == "configured")
        #expect(try gateway.connect().upgrade().status == 429)
        withExtendedLifetime(first) {}
    }

    /// A file saved on Windows: its first line, a comment, must not swallow the rest.
    @Test func aCRLFFileStartingWithACommentStillRestrictsOrigins() throws {
        let path = TemporaryFiles.path("config", suffix: ".conf")
        try TemporaryFiles.write("# wsgate on the intranet\r\norigin = example.com\r\n", to: path)
        defer { unlink(path) }
        let gateway = try GatewayProcess(["--config=\(path)", "--echo"])
        #expect(try gateway.connect().upgrade(headers: [("Origin", "http://evil.example")]).status == 403)
        #expect(try gateway.connect().upgrade(headers: [("Origin", "http://example.com")]).status == 101)
    }

    @Test func aBadLineNamesTheFileAndLine() throws {
        let path = TemporaryFiles.path("config", suffix: ".conf")
        try TemporaryFiles.write("echo = true\nport = eighty\n", to: path)
        defer { unlink(path) }
        let process = try ChildProcess(path: Executables.path("wsgate"), arguments: ["--config=\(path)"])
        #expect(try process.waitForExit() == 2)
        #expect(process.standardError.contains("\(path):2: invalid value \"eighty\" for flag -port"))
    }
}
