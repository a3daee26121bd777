import Testing
@testable import WSGateCLI
import WSGateConfig

/// `--max-per-ip`, `--rate` and `--rate-burst`: their values in `GatewayConfig`, from the
/// command line and a config file, and the refusals that name the flag.
@Suite(.timeLimit(.minutes(10))) struct ClientLimitFlagTests {
    @Test func defaultsLimitNobody() throws {
        let config = try #require(try parsedConfig(["--echo"]).get())
        #expect(config.maxPerIP == nil && config.rate == nil && config.rateBurst == nil)
    }

    @Test func valuesAreKept() throws {
        let config = try #require(try parsedConfig(["--echo", "--max-per-ip=3", "--rate=5/s"]).get())
        #expect(config.maxPerIP == 3)
        #expect(config.rate == HandshakeRate(count: 5, per: .second))
        #expect(config.rate?.intervalNanoseconds == 200_000_000)
        #expect(config.rateBurst == nil)
        let perMinute = try #require(try parsedConfig(["--echo", "--rate=30/m", "--rate-burst=10"]).get())
        #expect(perMinute.rate == HandshakeRate(count: 30, per: .minute))
        #expect(perMinute.rate?.intervalNanoseconds == 2_000_000_000)
        #expect(perMinute.rate?.description == "30/m")
        #expect(perMinute.rateBurst == 10)
    }

    /// An empty value is "not given", so a config file's line can be switched off from the
    /// command line.
    @Test func anEmptyValueTurnsTheLimitOff() throws {
        let config = try #require(try parsedConfig(["--echo", "--max-per-ip=3", "--max-per-ip=", "--rate=1/s", "--rate="]).get())
        #expect(config.maxPerIP == nil && config.rate == nil)
    }

    @Test func theyWorkFromAConfigFile() throws {
        let text = """
            max-per-ip = 4
            rate = 2/m
            rate-burst = 6
            echo = true
            """
        let outcome = try CommandLineParser.parse(["--config=/etc/wsgate/wsgate.conf"],
                                                  environment: ConfigFileTests.environment(["/etc/wsgate/wsgate.conf": text]))
        guard case .run(let config) = outcome else {
            Issue.record("expected a run, got \(outcome)")
            return
        }
        #expect(config.maxPerIP == 4)
        #expect(config.rate == HandshakeRate(count: 2, per: .minute))
        #expect(config.rateBurst == 6)
    }

    @Test(arguments: [
        ("max-per-ip", "0"), ("max-per-ip", "-1"), ("max-per-ip", "x"), ("max-per-ip", "2000000"), ("max-per-ip", "1.5"),
        ("rate", "5"), ("rate", "5/h"), ("rate", "0/s"), ("rate", "/s"), ("rate", "x/s"), ("rate", "5/s/s"),
        ("rate", "-1/s"), ("rate", "+5/s"), ("rate", "5/S"), ("rate", "2000000/s"), ("rate", " 5/s"),
        ("rate-burst", "0"), ("rate-burst", "many"),
    ])
    func aBadValueIsRefusedNamingTheFlag(_ flag: String, _ value: String) throws {
        guard case .failure(let error) = parsedConfig(["--echo", "--rate=1/s", "--\(flag)=\(value)"]) else {
            Issue.record("--\(flag)=\(value) was accepted")
            return
        }
        #expect(error.exitStatus == 2)
        guard case .invalidValue(let given, let named, _) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(given == value && named == flag)
        #expect(error.message.hasPrefix("invalid value \"\(value)\" for flag -\(flag): "), "\(error.message)")
    }

    @Test func zeroSaysHowToTurnTheLimitOff() throws {
        guard case .failure(let error) = parsedConfig(["--echo", "--max-per-ip=0"]) else {
            Issue.record("--max-per-ip=0 was accepted")
            return
        }
        #expect(error.message == #"invalid value "0" for flag -max-per-ip: must be at least 1 (leave the flag out for no limit)"#)
        guard case .failure(let rate) = parsedConfig(["--echo", "--rate=5/hour"]) else {
            Issue.record("--rate=5/hour was accepted")
            return
        }
        #expect(rate.message == #"invalid value "5/hour" for flag -rate: expected N/s or N/m, e.g. 5/s"#)
    }

    @Test func aBurstNeedsARate() throws {
        guard case .failure(let error) = parsedConfig(["--echo", "--rate-burst=5"]) else {
            Issue.record("--rate-burst without --rate was accepted")
            return
        }
        #expect(error == .rateBurstWithoutRate)
        #expect(error.exitStatus == 1)
        #expect(error.message == "--rate-burst only applies to a handshake rate: add --rate.")
    }
}
