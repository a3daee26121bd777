import Testing
@testable import WSGateCLI
import WSGateConfig

/// A minimal valid command line using each flag (help, version and license print instead).
let flagSamples: [String: [String]] = [
    "port": ["--echo", "--port=9000"],
    "address": ["--echo", "--address=127.0.0.1"],
    "unixsocket": ["--echo", "--unixsocket=/run/ws.sock"],
    "redirport": ["--echo", "--redirport=8081"],
    "threads": ["--echo", "--threads=2"],
    "busy-poll": ["--echo", "--busy-poll=100"],
    "maxforks": ["--echo", "--maxforks=5"],
    "health": ["--echo", "--health=/health"],
    "drain-delay": ["--echo", "--drain-delay=2000"],
    "drain-timeout": ["--echo", "--drain-timeout=15000"],
    "dir": ["--dir=/srv"],
    "tcp": ["--tcp=localhost:5900"],
    "unix": ["--unix=/run/app.sock"],
    "echo": ["--echo"],
    "connect-timeout": ["--echo", "--connect-timeout=100"],
    "proxy-protocol": ["--echo", "--proxy-protocol"],
    "staticdir": ["--staticdir=/srv"],
    "cgidir": ["--cgidir=/srv"],
    "cgi-max-body": ["--cgidir=/srv", "--cgi-max-body=10"],
    "devconsole": ["--devconsole"],
    "broadcast": ["--tcp=localhost:5900", "--broadcast"],
    "room-linger": ["--tcp=localhost:5900", "--broadcast", "--room-linger=100"],
    "maxrooms": ["--tcp=localhost:5900", "--broadcast", "--maxrooms=5"],
    "room-queue": ["--tcp=localhost:5900", "--broadcast", "--room-queue=65536"],
    "slow-client": ["--tcp=localhost:5900", "--broadcast", "--slow-client=drop"],
    "room-protocol": ["--tcp=localhost:5900", "--broadcast", "--room-protocol=json"],
    "binary": ["--echo", "--binary"],
    "passenv": ["--echo", "--passenv=PATH"],
    "passstderr": ["--echo", "--passstderr"],
    "closems": ["--echo", "--closems=10"],
    "pingms": ["--echo", "--pingms=1000"],
    "max-session": ["--echo", "--max-session=1h"],
    "idle-timeout": ["--echo", "--idle-timeout=90s"],
    "maxframesize": ["--echo", "--maxframesize=65536"],
    "compress": ["--echo", "--compress"],
    "compress-window-bits": ["--echo", "--compress", "--compress-window-bits=10"],
    "compress-min-size": ["--echo", "--compress", "--compress-min-size=64"],
    "compress-level": ["--echo", "--compress", "--compress-level=6"],
    "subprotocol": ["--echo", "--subprotocol=chat"],
    "header": ["--echo", "--header=X-A: 1"],
    "header-ws": ["--echo", "--header-ws=X-A: 1"],
    "header-http": ["--echo", "--header-http=X-A: 1"],
    "origin": ["--echo", "--origin=example.com"],
    "sameorigin": ["--echo", "--sameorigin"],
    "ssl": ["--echo", "--ssl", "--sslcert=c.pem", "--sslkey=k.pem"],
    "sslcert": ["--echo", "--sslcert=c.pem", "--ssl", "--sslkey=k.pem"],
    "sslkey": ["--echo", "--sslkey=k.pem", "--ssl", "--sslcert=c.pem"],
    "sslca": ["--echo", "--sslca=ca.pem", "--ssl", "--sslcert=c.pem", "--sslkey=k.pem"],
    "reverselookup": ["--echo", "--reverselookup"],
    "trusted-proxy": ["--echo", "--trusted-proxy=10.0.0.0/8,::1"],
    "accept-proxy-protocol": ["--echo", "--trusted-proxy=127.0.0.1", "--accept-proxy-protocol"],
    "forwarded-header": ["--echo", "--forwarded-header=forwarded"],
    "auth-token-key": ["--echo", "--auth-token-key=/etc/wsgate/jwt.key"],
    "auth-token-cookie": ["--echo", "--auth-token-key=/etc/wsgate/jwt.key", "--auth-token-cookie=session"],
    "auth-token-param": ["--echo", "--auth-token-key=/etc/wsgate/jwt.key", "--auth-token-param=token"],
    "auth-audience": ["--echo", "--auth-token-key=/etc/wsgate/jwt.key", "--auth-audience=chat"],
    "auth-basic": ["--echo", "--auth-basic=/etc/wsgate/htpasswd"],
    "auth-realm": ["--echo", "--auth-basic=/etc/wsgate/htpasswd", "--auth-realm=Team chat"],
    "auth-scope": ["--echo", "--auth-basic=/etc/wsgate/htpasswd", "--auth-scope=all"],
    "user": ["--echo", "--user=www-data"],
    "group": ["--echo", "--user=www-data", "--group=nogroup"],
    "allow-root": ["--echo", "--user=root", "--allow-root"],
    "rlimit": ["--echo", "--rlimit=as=512M,nproc=64,cpu=60,nofile=256"],
    "pty": ["--pty", "/bin/sh"],
    "pty-size": ["--pty", "--pty-size=120x40", "/bin/sh"],
    "max-per-ip": ["--echo", "--max-per-ip=2"],
    "rate": ["--echo", "--rate=5/s"],
    "rate-burst": ["--echo", "--rate=5/s", "--rate-burst=10"],
    "loglevel": ["--echo", "--loglevel=debug"],
    "logformat": ["--echo", "--logformat=json"],
    "metrics": ["--echo", "--metrics=/metrics"],
    "config": ["--echo", "--config=/etc/wsgate.conf"],
]

/// The flag names written in `arguments`, in order.
private func flagNames(_ arguments: [String]) -> [String] {
    arguments.map { word in
        let name = word.drop { $0 == "-" }
        return String(name.prefix { $0 != "=" })
    }
}

@Suite(.timeLimit(.minutes(10))) struct AvailabilityTests {
    @Test func everyFlagHasASample() {
        let printing: Set = ["help", "version", "license"]
        #expect(Set(flagSamples.keys) == Set(FlagSpec.all.map(\.name)).subtracting(printing))
    }

    /// With availability enforced, each flag's sample runs when all its flags are built, and is
    /// otherwise refused naming the first flag written that is not (exit 1).
    @Test(arguments: flagSamples.keys.sorted())
    func flagIsRefusedUntilAvailable(_ name: String) throws {
        let arguments = try #require(flagSamples[name])
        let unavailable = flagNames(arguments).first { FlagSpec.named($0)?.availability == .notYetAvailable }
        do {
            let outcome = try CommandLineParser.parse(arguments, environment: .permissive)
            #expect(unavailable == nil, "ran with \(outcome) although --\(unavailable ?? "") is not available")
            guard case .run = outcome else {
                Issue.record("expected a configuration, got \(outcome)")
                return
            }
        } catch {
            let first = try #require(unavailable, "refused: \(error.message)")
            #expect(error == .notYetAvailable("--" + first))
            #expect(error.exitStatus == 1)
            #expect(error.message == "wsgate: --\(first) is not available yet in this version")
        }
    }

    @Test func theSampleOfAnUnavailableFlagRunsWhenAvailabilityIsNotEnforced() throws {
        for (name, arguments) in flagSamples {
            let outcome = try CommandLineParser.parse(
                arguments, environment: .permissive, enforcingAvailability: false
            )
            guard case .run = outcome else {
                Issue.record("--\(name): expected a configuration, got \(outcome)")
                continue
            }
        }
    }

    @Test func commandIsRefusedUntilAvailable() {
        do {
            let outcome = try CommandLineParser.parse(["./x.sh", "-a"], environment: .permissive)
            #expect(FlagSpec.commandAvailability == .available)
            var expected = GatewayConfig()
            expected.backend = .command(path: "./x.sh", arguments: ["-a"])
            #expect(outcome == .run(expected))
        } catch {
            #expect(FlagSpec.commandAvailability == .notYetAvailable)
            #expect(error.exitStatus == 1)
            #expect(error.message == "wsgate: COMMAND is not available yet in this version")
        }
    }

    /// Validation runs before the availability refusal: a wrong line is reported as wrong.
    @Test func validationComesFirst() {
        #expect(throws: CLIError.ambiguousBackends(["COMMAND", "--tcp"])) {
            try CommandLineParser.parse(["--tcp=h:1", "./x.sh"], environment: .permissive)
        }
        #expect(throws: CLIError.invalidValue(value: "h", flag: "tcp", reason: "expected HOST:PORT")) {
            try CommandLineParser.parse(["--tcp=h"], environment: .permissive)
        }
        #expect(throws: CLIError.devConsoleConflict) {
            try CommandLineParser.parse(["--devconsole", "--cgidir=/x"], environment: .permissive)
        }
    }
}
