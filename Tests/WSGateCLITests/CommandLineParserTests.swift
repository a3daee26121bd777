import Testing
@testable import WSGateCLI
import WSGateConfig

/// Argument vectors giving a configuration. Parsed with availability NOT enforced, so features
/// not built yet (COMMAND, --tcp, ...) are checked too; `AvailabilityTests` covers the refusal.
let runVectors: [CommandLineVector] = [
    // Defaults, one and two dashes.
    .init(["--echo"], .run { $0.backend = .echo }),
    .init(["-echo"], .run { $0.backend = .echo }),
    // COMMAND and its arguments after the flags, verbatim even when they look like flags.
    .init(["--port=1", "./x.sh", "-a", "--b"], .run {
        $0.port = 1
        $0.backend = .command(path: "./x.sh", arguments: ["-a", "--b"])
    }),
    .init(["./run.sh", "--port=1", "--", "x"], .run {
        $0.backend = .command(path: "./run.sh", arguments: ["--port=1", "--", "x"])
    }),
    .init(["cat"], .run { $0.backend = .command(path: "/usr/bin/cat", arguments: []) }),
    // Values as `=value` or as the next word, with one or two dashes.
    .init(["--port", "9000", "--echo"], .run { $0.port = 9000; $0.backend = .echo }),
    .init(["-port", "9000", "-echo"], .run { $0.port = 9000; $0.backend = .echo }),
    .init(["-port=9000", "--echo"], .run { $0.port = 9000; $0.backend = .echo }),
    // Go integer syntax: hex, a leading 0 is octal, digit separators, a sign.
    .init(["--port=0x2328", "--echo"], .run { $0.port = 9000; $0.backend = .echo }),
    .init(["--port=010", "--echo"], .run { $0.port = 8; $0.backend = .echo }),
    .init(["--port=1_000", "--echo"], .run { $0.port = 1000; $0.backend = .echo }),
    .init(["--port=+0", "--echo"], .run { $0.port = 0; $0.backend = .echo }),
    // A repeated single-value flag: the last wins.
    .init(["--port=1", "--port=2", "--echo"], .run { $0.port = 2; $0.backend = .echo }),
    .init(["--tcp=a:1", "--tcp=b:2"], .run { $0.backend = .tcp(host: "b", port: 2) }),
    // Repeatable flags keep every value, in order.
    .init(["--address=127.0.0.1", "--address", "[::1]", "--echo"], .run {
        $0.addresses = ["127.0.0.1", "[::1]"]
        $0.backend = .echo
    }),
    .init(["--header=X-A: 1", "--header", "x-b:  two words \t", "--echo"], .run {
        $0.headers = [ResponseHeader(name: "X-A", value: "1"), ResponseHeader(name: "X-B", value: "two words")]
        $0.backend = .echo
    }),
    .init(["--header-ws=sec-websocket-protocol:chat", "--header-http=Cache-Control: no-store", "--echo"], .run {
        $0.wsHeaders = [ResponseHeader(name: "Sec-Websocket-Protocol", value: "chat")]
        $0.httpHeaders = [ResponseHeader(name: "Cache-Control", value: "no-store")]
        $0.backend = .echo
    }),
    .init(["--header=X-Empty:", "--echo"], .run {
        $0.headers = [ResponseHeader(name: "X-Empty", value: "")]
        $0.backend = .echo
    }),
    // Booleans never take the next word: `false` becomes COMMAND.
    .init(["--binary", "false"], .run {
        $0.binary = true
        $0.backend = .command(path: "/usr/bin/false", arguments: [])
    }),
    .init(["--binary=false", "--echo"], .run { $0.backend = .echo }),
    .init(["--binary=T", "--echo"], .run { $0.binary = true; $0.backend = .echo }),
    .init(["--binary=1", "--binary=0", "--echo"], .run { $0.backend = .echo }),
    .init(["--echo=false", "--tcp=h:1"], .run { $0.backend = .tcp(host: "h", port: 1) }),
    // `--` ends the flags and is consumed; a lone `-` is a word, not a flag.
    .init(["--", "--echo"], .run { $0.backend = .command(path: "/usr/bin/--echo", arguments: []) }),
    .init(["--echo", "--"], .run { $0.backend = .echo }),
    .init(["-"], .run { $0.backend = .command(path: "/usr/bin/-", arguments: []) }),
    // A value flag takes the next word even when it starts with `-`.
    .init(["--loglevel", "debug", "--subprotocol", "-x", "--echo"], .run {
        $0.logLevel = .debug
        $0.subprotocols = ["-x"]
        $0.backend = .echo
    }),
    // Numbers.
    .init(["--maxforks=-5", "--echo"], .run { $0.maxForks = 0; $0.backend = .echo }),
    .init(["--maxforks=0", "--maxframesize=0", "--pingms=30000", "--echo"], .run {
        $0.maxForks = 0
        $0.maxFrameSize = 0
        $0.pingMs = 30000
        $0.backend = .echo
    }),
    .init(
        ["--threads=4", "--busy-poll=0", "--closems=250", "--connect-timeout=0", "--redirport=8443", "--tcp=h:1"],
        .run {
            $0.threads = 4
            $0.busyPollMicroseconds = 0
            $0.closeMs = 250
            $0.connectTimeoutMs = 0
            $0.redirPort = 8443
            $0.backend = .tcp(host: "h", port: 1)
        }
    ),
    // Lists.
    .init(["--subprotocol=chat, superchat,,", "--echo"], .run {
        $0.subprotocols = ["chat", "superchat"]
        $0.backend = .echo
    }),
    .init(["--subprotocol=", "--echo"], .run { $0.subprotocols = []; $0.backend = .echo }),
    .init(["--passenv=HOME,,TERM", "--echo"], .run { $0.passEnv = ["HOME", "TERM"]; $0.backend = .echo }),
    .init(["--origin=example.com, https://a.b:8443", "--sameorigin", "--echo"], .run {
        $0.origins = ["example.com", "https://a.b:8443"]
        $0.sameOrigin = true
        $0.backend = .echo
    }),
    // Logging.
    .init(["--loglevel=info", "--logformat=json", "--echo"], .run {
        $0.logLevel = .info
        $0.logFormat = .json
        $0.backend = .echo
    }),
    .init(["--loglevel=none", "--echo"], .run { $0.logLevel = .none; $0.backend = .echo }),
    // Backends.
    .init(["--tcp=localhost:5900"], .run { $0.backend = .tcp(host: "localhost", port: 5900) }),
    .init(["--tcp=[::1]:5900"], .run { $0.backend = .tcp(host: "::1", port: 5900) }),
    .init(["--unix=/run/app.sock"], .run { $0.backend = .unix("/run/app.sock") }),
    .init(["--dir=/srv/ws"], .run { $0.backend = .directory("/srv/ws") }),
    .init(["--dir=", "--echo"], .run { $0.backend = .echo }),
    .init(["--staticdir=/srv/www"], .run { $0.staticDir = "/srv/www" }),
    .init(["--cgidir=/srv/cgi", "--echo"], .run { $0.cgiDir = "/srv/cgi"; $0.backend = .echo }),
    .init(["--devconsole"], .run { $0.devConsole = true }),
    // Listening on a Unix socket alone, or beside TCP.
    .init(["--unixsocket=/run/ws.sock", "--echo"], .run {
        $0.unixSocket = "/run/ws.sock"
        $0.listenOnTCP = false
        $0.backend = .echo
    }),
    .init(["--unixsocket=/run/ws.sock", "--port=8080", "--echo"], .run {
        $0.unixSocket = "/run/ws.sock"
        $0.backend = .echo
    }),
    .init(["--unixsocket=/run/ws.sock", "--address=127.0.0.1", "--echo"], .run {
        $0.unixSocket = "/run/ws.sock"
        $0.addresses = ["127.0.0.1"]
        $0.backend = .echo
    }),
    // TLS and the rest.
    .init(["--ssl", "--sslcert=c.pem", "--sslkey=k.pem", "--sslca=ca.pem", "--echo"], .run {
        $0.ssl = true
        $0.sslCert = "c.pem"
        $0.sslKey = "k.pem"
        $0.sslCA = "ca.pem"
        $0.backend = .echo
    }),
    .init(
        ["--proxy-protocol", "--compress", "--reverselookup", "--metrics=/metrics",
         "--config=/etc/wsgate.conf", "--unix=/s"],
        .run {
            $0.proxyProtocol = true
            $0.compress = true
            $0.reverseLookup = true
            $0.metricsPath = "/metrics"
            $0.configFile = "/etc/wsgate.conf"
            $0.backend = .unix("/s")
        }
    ),
    .init(["--version=false", "--echo"], .run { $0.backend = .echo }),
    .init(["--health=/healthz", "--drain-delay=2000", "--drain-timeout=3600000", "--echo"], .run {
        $0.healthPath = "/healthz"
        $0.drainDelayMs = 2000
        $0.drainTimeoutMs = 3_600_000
        $0.backend = .echo
    }),
    .init(["--health=/h", "--health=", "--drain-delay=0", "--drain-timeout=0", "--echo"], .run { $0.backend = .echo }),
]

/// Argument vectors that must be refused: (exit status, exact message).
let failureVectors: [CommandLineVector] = [
    .init([], .failure(1, "Command line arguments are missing.")),
    // Go flag syntax: exit 2.
    .init(["--foo"], .failure(2, "flag provided but not defined: -foo")),
    .init(["-foo=1", "--echo"], .failure(2, "flag provided but not defined: -foo")),
    .init(["--foo", "--help"], .failure(2, "flag provided but not defined: -foo")),
    .init(["---x"], .failure(2, "bad flag syntax: ---x")),
    .init(["-=x"], .failure(2, "bad flag syntax: -=x")),
    .init(["--=x"], .failure(2, "bad flag syntax: --=x")),
    .init(["--port"], .failure(2, "flag needs an argument: -port")),
    .init(["--echo", "-address"], .failure(2, "flag needs an argument: -address")),
    .init(["--port", "--echo"], .failure(2, "invalid value \"--echo\" for flag -port: parse error")),
    .init(["--port=abc", "--echo"], .failure(2, "invalid value \"abc\" for flag -port: parse error")),
    .init(["--port=08080"], .failure(2, "invalid value \"08080\" for flag -port: parse error")),
    .init(["--port=", "--echo"], .failure(2, "invalid value \"\" for flag -port: parse error")),
    .init(["--port=65536"], .failure(2, "invalid value \"65536\" for flag -port: value out of range")),
    .init(["--port=-1"], .failure(2, "invalid value \"-1\" for flag -port: value out of range")),
    .init(
        ["--maxforks=99999999999999999999"],
        .failure(2, "invalid value \"99999999999999999999\" for flag -maxforks: value out of range")
    ),
    .init(["--binary=x"], .failure(2, "invalid boolean value \"x\" for -binary: parse error")),
    .init(["--echo=yes"], .failure(2, "invalid boolean value \"yes\" for -echo: parse error")),
    .init(["--echo="], .failure(2, "invalid boolean value \"\" for -echo: parse error")),
    .init(["--threads=-1", "--echo"], .failure(2, "invalid value \"-1\" for flag -threads: value out of range")),
    .init(["--threads=1025"], .failure(2, "invalid value \"1025\" for flag -threads: value out of range")),
    .init(["--busy-poll=-1", "--echo"], .failure(2, "invalid value \"-1\" for flag -busy-poll: value out of range")),
    .init(["--busy-poll=10001", "--echo"], .failure(2, "invalid value \"10001\" for flag -busy-poll: value out of range")),
    .init(["--pingms=-5"], .failure(2, "invalid value \"-5\" for flag -pingms: value out of range")),
    .init(["--closems=2147483648"], .failure(2, "invalid value \"2147483648\" for flag -closems: value out of range")),
    .init(["--maxframesize=1k"], .failure(2, "invalid value \"1k\" for flag -maxframesize: parse error")),
    // Messages are buffered whole: 100 MiB at most (and what 0 means).
    .init(["--maxframesize=104857600", "--echo"], .run { $0.maxFrameSize = 104_857_600; $0.backend = .echo }),
    .init(["--maxframesize=104857601", "--echo"],
          .failure(2, "invalid value \"104857601\" for flag -maxframesize: value out of range")),
    .init(["--redirport=70000"], .failure(2, "invalid value \"70000\" for flag -redirport: value out of range")),
    .init(
        ["--header=NoColon", "--echo"],
        .failure(2, "invalid value \"NoColon\" for flag -header: expected \"Name: value\"")
    ),
    .init(
        ["--header-ws=Bad Name: x"],
        .failure(2, "invalid value \"Bad Name: x\" for flag -header-ws: header name must be an HTTP token (RFC 9110 §5.6.2)")
    ),
    .init(
        ["--header-http=X-A: a\r\nX-B: b"],
        .failure(2, "invalid value \"X-A: a\\r\\nX-B: b\" for flag -header-http: header value must not contain control characters")
    ),
    .init(["--tcp=localhost"], .failure(2, "invalid value \"localhost\" for flag -tcp: expected HOST:PORT")),
    .init(["--tcp="], .failure(2, "invalid value \"\" for flag -tcp: expected HOST:PORT")),
    .init(["--tcp=:5900"], .failure(2, "invalid value \":5900\" for flag -tcp: expected HOST:PORT")),
    .init(
        ["--tcp=localhost:0"],
        .failure(2, "invalid value \"localhost:0\" for flag -tcp: the port must be a number from 1 to 65535")
    ),
    .init(
        ["--tcp=localhost:65536"],
        .failure(2, "invalid value \"localhost:65536\" for flag -tcp: the port must be a number from 1 to 65535")
    ),
    .init(
        ["--tcp=::1:5900"],
        .failure(2, "invalid value \"::1:5900\" for flag -tcp: an IPv6 address needs brackets, e.g. [::1]:5900")
    ),
    .init(
        ["--address=::1", "--echo"],
        .failure(2, "invalid value \"::1\" for flag -address: an IPv6 address needs brackets, e.g. [::1]")
    ),
    .init(["--logformat=xml", "--echo"], .failure(2, "invalid value \"xml\" for flag -logformat: must be text or json")),
    .init(
        ["--subprotocol=a b", "--echo"],
        .failure(2, "invalid value \"a b\" for flag -subprotocol: each subprotocol must be an HTTP token (RFC 6455 §4.1)")
    ),
    .init(
        ["--metrics=metrics", "--echo"],
        .failure(2, "invalid value \"metrics\" for flag -metrics: a URL path must start with '/'")
    ),
    .init(
        ["--health=healthz", "--echo"],
        .failure(2, "invalid value \"healthz\" for flag -health: a URL path must start with '/'")
    ),
    .init(["--drain-delay=-1", "--echo"], .failure(2, "invalid value \"-1\" for flag -drain-delay: value out of range")),
    .init(
        ["--drain-delay=3600001", "--echo"],
        .failure(2, "invalid value \"3600001\" for flag -drain-delay: value out of range")
    ),
    .init(
        ["--drain-timeout=3600001", "--echo"],
        .failure(2, "invalid value \"3600001\" for flag -drain-timeout: value out of range")
    ),
    .init(["--drain-timeout=soon", "--echo"], .failure(2, "invalid value \"soon\" for flag -drain-timeout: parse error")),
    .init(
        ["--unix=/" + String(repeating: "s", count: 107)],
        .failure(2, "invalid value \"/\(String(repeating: "s", count: 107))\" for flag -unix: longer than 107 bytes (unix(7) limit)")
    ),
    // Configuration errors: exit 1.
    .init(["--loglevel=verbose", "--echo"], .failure(1, "Incorrect loglevel flag 'verbose'. Use --help to see allowed values.")),
    .init(["--loglevel=INFO", "--echo"], .failure(1, "Incorrect loglevel flag 'INFO'. Use --help to see allowed values.")),
    .init(["--loglevel=bad", "--version"], .failure(1, "Incorrect loglevel flag 'bad'. Use --help to see allowed values.")),
    .init(
        ["--port=8081"],
        .failure(1, "Please specify COMMAND or provide --dir, --tcp, --unix, --echo, --staticdir, --cgidir or --devconsole.")
    ),
    .init(["--echo=false"], .failure(1, "Please specify COMMAND or provide --dir, --tcp, --unix, --echo, --staticdir, --cgidir or --devconsole.")),
    .init(["--dir=/srv", "./x.sh"], .failure(1, "Ambiguous command line: COMMAND and --dir both given")),
    .init(["--tcp=h:1", "--echo"], .failure(1, "Ambiguous command line: --tcp and --echo both given")),
    .init(["--echo", "-"], .failure(1, "Ambiguous command line: COMMAND and --echo both given")),
    .init(
        ["--dir=/srv", "--unix=/s", "--echo", "./x.sh"],
        .failure(1, "Ambiguous command line: COMMAND, --dir, --unix and --echo all given")
    ),
    .init(["nosuch"], .failure(1, "Unable to locate specified COMMAND 'nosuch' in OS path."), environment: CommandLineVector.barrenSystem),
    .init(["--dir=/nope"], .failure(1, "Your script dir '/nope' is not pointing to an accessible directory."), environment: CommandLineVector.barrenSystem),
    .init(["--staticdir=/nope"], .failure(1, "Your static dir '/nope' is not pointing to an accessible directory."), environment: CommandLineVector.barrenSystem),
    .init(["--cgidir=/nope", "--echo"], .failure(1, "Your CGI dir '/nope' is not pointing to an accessible directory."), environment: CommandLineVector.barrenSystem),
    .init(["--ssl", "--echo"], .failure(1, "Please specify both --sslcert and --sslkey when requesting --ssl.")),
    .init(["--ssl", "--sslcert=c", "--echo"], .failure(1, "Please specify both --sslcert and --sslkey when requesting --ssl.")),
    .init(["--sslcert=c", "--sslkey=k", "--echo"], .failure(1, "You should not be using --ssl* flags when there is no --ssl option.")),
    .init(["--sslca=ca", "--echo"], .failure(1, "You should not be using --ssl* flags when there is no --ssl option.")),
    .init(["--binary", "--passstderr", "--echo"], .failure(1, "--binary and --passstderr cannot be used together (--passstderr needs line mode).")),
    // The dev console beside static files or CGI: exit 4.
    .init(["--devconsole", "--staticdir=/srv"], .failure(4, "--devconsole cannot be used together with --staticdir or --cgidir.")),
    .init(["--cgidir=/srv", "--devconsole", "--echo"], .failure(4, "--devconsole cannot be used together with --staticdir or --cgidir.")),
]

/// Argument vectors that print and exit 0.
let printVectors: [CommandLineVector] = [
    .init(["-h"], .help),
    .init(["-help"], .help),
    .init(["--help"], .help),
    .init(["--help=false"], .help),
    .init(["-h=x"], .help),
    .init(["--port=1", "-h", "--bogus"], .help),
    .init(["--help", "--foo"], .help),
    .init(["--version"], .version),
    .init(["--echo", "-version"], .version),
    .init(["--version", "--tcp=h:1", "--echo"], .version),
    .init(["--license"], .license),
    .init(["--license=true", "nosuch"], .license, environment: CommandLineVector.barrenSystem),
]

@Suite(.timeLimit(.minutes(10))) struct CommandLineParserTests {
    @Test(arguments: runVectors)
    func configurations(_ vector: CommandLineVector) {
        vector.check(enforcingAvailability: false)
    }

    @Test(arguments: failureVectors)
    func refusals(_ vector: CommandLineVector) {
        vector.check(enforcingAvailability: false)
    }

    @Test(arguments: printVectors)
    func printing(_ vector: CommandLineVector) {
        vector.check(enforcingAvailability: true)
    }

    @Test func defaultsAreWSGates() {
        let config = GatewayConfig()
        #expect(config.port == 8080)
        #expect(config.addresses.isEmpty)
        #expect(config.maxForks == 1024)
        #expect(config.passEnv == ["PATH", "LD_LIBRARY_PATH"])
        #expect(config.subprotocols == nil)
        #expect(config.connectTimeoutMs == 5000)
        #expect(config.threads == 0)
        #expect(config.busyPollMicroseconds == 50)
        #expect(config.pingMs == 0)
        #expect(config.maxFrameSize == nil)
        #expect(config.effectiveMaxFrameSize == 1_048_576)
        #expect(config.streamedMaxFrameSize == nil)
        #expect(config.logLevel == .access)
        #expect(config.logFormat == .text)
        #expect(config.backend == .none)
        #expect(config.listenOnTCP)
    }

    @Test func passEnvironmentIsCapturedAtStart() throws {
        let environment = CommandLineEnvironment(
            lookUpExecutable: { _ in .notFound },
            isDirectory: { _ in true },
            processEnvironment: [
                "PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": "  ", "HOME": " /home/a\r\nb ",
                "HTTPS": "on", "EMPTY": "",
            ]
        )
        let outcome = try CommandLineParser.parse(
            ["--passenv=HOME,HTTPS,PATH,EMPTY,UNSET,HOME,LD_LIBRARY_PATH", "--echo"],
            environment: environment, enforcingAvailability: false
        )
        guard case .run(let config) = outcome else {
            Issue.record("expected a configuration, got \(outcome)")
            return
        }
        #expect(config.passedEnvironment == ["HOME=/home/a  b", "PATH=/usr/bin:/bin"])
    }

    @Test func defaultPassEnvironment() throws {
        let environment = CommandLineEnvironment(
            lookUpExecutable: { _ in .notFound }, isDirectory: { _ in true },
            processEnvironment: ["PATH": "/bin", "LD_LIBRARY_PATH": "/opt/lib", "SECRET": "x"]
        )
        let outcome = try CommandLineParser.parse(["--echo"], environment: environment)
        guard case .run(let config) = outcome else {
            Issue.record("expected a configuration, got \(outcome)")
            return
        }
        #expect(config.passedEnvironment == ["PATH=/bin", "LD_LIBRARY_PATH=/opt/lib"])
    }

    @Test func commandIsLookedUpThroughPATH() throws {
        let environment = CommandLineEnvironment(
            processEnvironment: ["PATH": "relative:/opt/bin/:/usr/bin"],
            fileKind: { ["/usr/bin/cat", "/opt/bin/cat", "relative/cat"].contains($0) ? .executable : .absent },
            isDirectory: { _ in false },
            readFile: { _ in .failure(.init(reason: "unused")) }
        )
        let outcome = try CommandLineParser.parse(
            ["cat", "-n"], environment: environment, enforcingAvailability: false
        )
        var expected = GatewayConfig()
        expected.backend = .command(path: "/opt/bin/cat", arguments: ["-n"])
        expected.passedEnvironment = ["PATH=relative:/opt/bin/:/usr/bin"]
        #expect(outcome == .run(expected))
    }

    @Test func aCommandThatIsAFileWithoutExecutePermissionIsSaidToBeNotExecutable() {
        let environment = CommandLineEnvironment(
            processEnvironment: ["PATH": "/usr/local/bin:/usr/bin"],
            fileKind: { ["./script.sh", "/srv/run.sh", "/usr/local/bin/tool"].contains($0) ? .notExecutable : .absent },
            isDirectory: { _ in false },
            readFile: { _ in .failure(.init(reason: "unused")) }
        )
        for (arguments, message) in [
            (["./script.sh"], "Specified COMMAND './script.sh' is not executable."),
            (["/srv/run.sh", "-v"], "Specified COMMAND '/srv/run.sh' is not executable."),
            (["tool"], "Specified COMMAND 'tool' found at '/usr/local/bin/tool' is not executable."),
            (["./missing.sh"], "Unable to locate specified COMMAND './missing.sh' in OS path."),
        ] {
            do {
                let outcome = try CommandLineParser.parse(arguments, environment: environment, enforcingAvailability: false)
                Issue.record("expected a refusal of \(arguments), got \(outcome)")
            } catch {
                #expect(error.exitStatus == 1)
                #expect(error.fullText == message)
            }
        }
    }

    @Test func theNoBackendMessageEndsWithTheUsageHint() {
        #expect(CLIError.noBackend.fullText == """
            Please specify COMMAND or provide --dir, --tcp, --unix, --echo, --staticdir, --cgidir or --devconsole.
            Run 'wsgate --help' for usage.
            """)
    }

    @Test func fullTextAddsTheUsageHintOnlyForExitStatus2AndNoBackend() {
        #expect(CLIError.undefinedFlag(name: "foo").fullText
            == "flag provided but not defined: -foo\nRun 'wsgate --help' for usage.")
        #expect(CLIError.devConsoleConflict.fullText == CLIError.devConsoleConflict.message)
        #expect(CLIError.notYetAvailable("--tcp").fullText == "wsgate: --tcp is not available yet in this version")
    }
}
