import Testing
@testable import WSGateCLI
import WSGateConfig

/// `--max-session` and `--idle-timeout`: off by default, DURATION values in milliseconds, the
/// refusals naming the flag, and the same from a config file.
@Suite(.timeLimit(.minutes(10))) struct SessionLimitFlagTests {
    @Test func offByDefault() throws {
        let config = try #require(try parsedConfig(["--echo"]).get())
        #expect(config.maxSessionMs == 0 && config.idleTimeoutMs == 0)
    }

    @Test func valuesInMilliseconds() throws {
        let config = try #require(try parsedConfig(["--max-session=1h30m", "--idle-timeout", "90", "--echo"]).get())
        #expect(config.maxSessionMs == 5_400_000)
        #expect(config.idleTimeoutMs == 90_000)
        let off = try #require(try parsedConfig(["--max-session=0", "--idle-timeout=", "/bin/cat"]).get())
        #expect(off.maxSessionMs == 0 && off.idleTimeoutMs == 0)
        let last = try #require(try parsedConfig(["--idle-timeout=1s", "--idle-timeout=250ms", "--echo"]).get())
        #expect(last.idleTimeoutMs == 250)
    }

    @Test(arguments: [("max-session", "10x"), ("idle-timeout", "1.5s"), ("max-session", "-1"), ("idle-timeout", "1m30")])
    func aMalformedDurationIsRefusedByName(_ flag: String, _ value: String) throws {
        let error = try #require(parsedConfig(["--\(flag)=\(value)", "--echo"]).failure)
        #expect(error == .invalidValue(value: value, flag: flag, reason:
            "expected a duration such as 90s, 10m or 1h30m (units h, m, s, ms; a bare number is seconds)"))
        #expect(error.exitStatus == 2)
        #expect(error.message.hasPrefix("invalid value \"\(value)\" for flag -\(flag): expected a duration"))
    }

    @Test(arguments: ["597h", "2147483648ms", "99999999999999999999h"])
    func aDurationOverTheCapIsRefused(_ value: String) throws {
        let error = try #require(parsedConfig(["--echo", "--max-session=\(value)"]).failure)
        #expect(error.message == "invalid value \"\(value)\" for flag -max-session: value out of range (at most 2147483647ms)")
        #expect(error.exitStatus == 2)
    }

    @Test func fromAConfigFile() throws {
        let file = "max-session = 10m\nidle-timeout = 30s\necho = true\n"
        let outcome = try CommandLineParser.parse(["--config=/c"], environment: ConfigFileTests.environment(["/c": file]))
        guard case .run(let config) = outcome else {
            Issue.record("expected a run, got \(outcome)")
            return
        }
        #expect(config.maxSessionMs == 600_000 && config.idleTimeoutMs == 30_000)
        let bad = "idle-timeout = soon\necho = true\n"
        #expect(throws: CLIError.inConfigFile(path: "/c", line: 1, .invalidValue(value: "soon", flag: "idle-timeout", reason:
            "expected a duration such as 90s, 10m or 1h30m (units h, m, s, ms; a bare number is seconds)"))) {
            _ = try CommandLineParser.parse(["--config=/c"], environment: ConfigFileTests.environment(["/c": bad]))
        }
    }
}

extension Result {
    /// The error, or nil for a success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
