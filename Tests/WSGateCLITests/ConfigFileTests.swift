import Testing
import WSGateConfig
@testable import WSGateCLI

/// `--config=FILE`: `name = value` lines become flags, the command line overrides them, and
/// every error names the file and the line.
@Suite(.timeLimit(.minutes(10))) struct ConfigFileTests {
    static func environment(_ files: [String: String]) -> CommandLineEnvironment {
        CommandLineEnvironment(
            lookUpExecutable: { name in .found(name.contains("/") ? name : "/usr/bin/" + name) },
            isDirectory: { _ in true },
            processEnvironment: [:],
            readFile: { path in
                files[path].map { .success($0) } ?? .failure(.init(reason: "No such file or directory"))
            })
    }

    static let sample = """
        # wsgate configuration
        address = 127.0.0.1
        address = ::1 is not allowed unbracketed, so it is not used here
        """

    @Test func linesBecomeFlagsAndTheCommand() throws {
        let text = """
            # a comment, then flags
            port = 9000
            address = 127.0.0.1
              address=[::1]
            binary = true

            maxforks = 7
            command = /usr/share/wsgate/examples/hello.sh --greeting "Hello there" last
            """
        let outcome = try CommandLineParser.parse(["--config=/etc/wsgate/wsgate.conf"],
                                                  environment: Self.environment(["/etc/wsgate/wsgate.conf": text]))
        guard case .run(let config) = outcome else {
            Issue.record("expected a run, got \(outcome)")
            return
        }
        #expect(config.port == 9000)
        #expect(config.addresses == ["127.0.0.1", "[::1]"])
        #expect(config.binary)
        #expect(config.maxForks == 7)
        #expect(config.configFile == "/etc/wsgate/wsgate.conf")
        #expect(config.backend == .command(path: "/usr/share/wsgate/examples/hello.sh",
                                           arguments: ["--greeting", "Hello there", "last"]))
    }

    @Test func theCommandLineOverridesTheFile() throws {
        let file = "port = 9000\nloglevel = error\ncommand = /bin/cat\n"
        let outcome = try CommandLineParser.parse(["--config", "/c", "--port=9100", "/bin/echo", "hi"],
                                                  environment: Self.environment(["/c": file]))
        guard case .run(let config) = outcome else {
            Issue.record("expected a run")
            return
        }
        #expect(config.port == 9100)
        #expect(config.logLevel == .error)
        #expect(config.backend == .command(path: "/bin/echo", arguments: ["hi"]))
    }

    @Test(arguments: [
        ("port = abc", 2, "/c:1: invalid value \"abc\" for flag -port: parse error"),
        ("\n\nnosuch = 1", 2, "/c:3: flag provided but not defined: -nosuch"),
        ("just words", 2, "/c:1: expected 'name = value'"),
        ("binary = maybe", 2, "/c:1: invalid boolean value \"maybe\" for -binary: parse error"),
        ("command = \"unterminated", 2, "/c:1: unterminated quote"),
        ("config = /other", 2, "/c:1: a config file cannot name another one"),
        ("echo = true\ncommand = /bin/cat", 1, "Ambiguous command line: COMMAND and --echo both given"),
    ] as [(String, Int32, String)])
    func errorsNameTheFileAndLine(text: String, status: Int32, message: String) {
        #expect(throws: CLIError.self) {
            try CommandLineParser.parse(["--config=/c"], environment: Self.environment(["/c": text]))
        }
        do {
            _ = try CommandLineParser.parse(["--config=/c"], environment: Self.environment(["/c": text]))
        } catch {
            #expect(error.exitStatus == status)
            #expect(error.message == message)
        }
    }

    @Test func anUnreadableFileIsExitStatus1() {
        do {
            _ = try CommandLineParser.parse(["--config=/missing"], environment: Self.environment([:]))
            Issue.record("expected an error")
        } catch {
            #expect(error.exitStatus == 1)
            #expect(error.message == "Cannot read config file '/missing': No such file or directory")
        }
    }

    // MARK: - Line ends

    /// "\r\n" is one Character in Swift: split on Characters, a CRLF file starting with a
    /// comment was one long comment, and every flag in it silently off.
    @Test func crlfLinesAreLinesAndTheirCRIsNotPartOfTheValue() throws {
        let file = try ConfigFile(parsing: "# wsgate\r\norigin = example.com\r\n\r\necho = true\r\n", path: "/c")
        #expect(file.settings == [.init(line: 2, argument: "--origin=example.com"), .init(line: 4, argument: "--echo=true")])
    }

    @Test func crlfAndLFLinesMixAndTheCommandLosesItsCR() throws {
        let file = try ConfigFile(parsing: "port = 9000\r\ncommand = /bin/echo \"a b\"\r\nbinary = true", path: "/c")
        #expect(file.settings == [.init(line: 1, argument: "--port=9000"), .init(line: 3, argument: "--binary=true")])
        #expect(file.command == ["/bin/echo", "a b"])
    }

    @Test func errorsInACRLFFileNameTheirLine() {
        #expect(throws: CLIError.inConfigFile(path: "/c", line: 3, .configSyntax("expected 'name = value'"))) {
            try ConfigFile(parsing: "# a\r\necho = true\r\njust words\r\n", path: "/c")
        }
    }

    @Test func aCRInsideALineStays() throws {
        let file = try ConfigFile(parsing: "header = X-A: 1\r2\n", path: "/c")
        #expect(file.settings == [.init(line: 1, argument: "--header=X-A: 1\r2")])
    }
}
