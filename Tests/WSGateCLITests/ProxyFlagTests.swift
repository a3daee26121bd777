import Testing
@testable import WSGateCLI
import WSGateConfig

/// `--trusted-proxy`, `--accept-proxy-protocol` and `--forwarded-header`: their values in
/// `GatewayConfig` and the refusals that name the problem.
@Suite(.timeLimit(.minutes(10))) struct ProxyFlagTests {
    static func parse(_ arguments: [String]) -> Result<GatewayConfig?, CLIError> {
        parsedConfig(arguments)
    }

    @Test func defaultsTrustNobody() throws {
        let config = try #require(try Self.parse(["--echo"]).get())
        #expect(config.trustedProxies.isEmpty && !config.acceptProxyProtocol && config.forwardedHeader == .xForwardedFor)
    }

    @Test func valuesAreKeptAndRepeatable() throws {
        let config = try #require(try Self.parse([
            "--echo", "--trusted-proxy=10.0.0.0/8, 192.0.2.1", "--trusted-proxy=::1", "--accept-proxy-protocol",
            "--forwarded-header=forwarded",
        ]).get())
        #expect(config.trustedProxies == ["10.0.0.0/8, 192.0.2.1", "::1"])
        #expect(config.acceptProxyProtocol)
        #expect(config.forwardedHeader == .forwarded)
        let none = try #require(try Self.parse(["--echo", "--forwarded-header=none"]).get())
        #expect(none.forwardedHeader == ForwardedHeaderChoice.none)
    }

    @Test(arguments: ["10.0.0.0/33", "10.0.0.1/8", "not-an-address", "10.0.0.0/8,,::1", "[::1]", ""])
    func aMalformedNetworkIsRefusedByName(_ value: String) throws {
        guard case .failure(let error) = Self.parse(["--echo", "--trusted-proxy=\(value)"]) else {
            Issue.record("--trusted-proxy=\(value) was accepted")
            return
        }
        #expect(error.exitStatus == 2)
        guard case .invalidValue(let given, "trusted-proxy", _) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(given == value)
    }

    @Test func proxyProtocolNeedsTrustedProxies() throws {
        guard case .failure(let error) = Self.parse(["--echo", "--accept-proxy-protocol"]) else {
            Issue.record("--accept-proxy-protocol without --trusted-proxy was accepted")
            return
        }
        #expect(error.exitStatus == 1)
        #expect(error.message == "--accept-proxy-protocol needs --trusted-proxy (the peers allowed to send the header).")
    }

    @Test func proxyProtocolWorksWithTLS() throws {
        let config = try #require(try Self.parse(["--echo", "--ssl", "--sslcert=c.pem", "--sslkey=k.pem",
                                                  "--trusted-proxy=127.0.0.1", "--accept-proxy-protocol"]).get())
        #expect(config.ssl && config.acceptProxyProtocol)
    }

    @Test(arguments: ["X-Forwarded-For", "xff", ""])
    func anUnknownForwardedHeaderIsRefused(_ value: String) throws {
        guard case .failure(let error) = Self.parse(["--echo", "--forwarded-header=\(value)"]) else {
            Issue.record("--forwarded-header=\(value) was accepted")
            return
        }
        #expect(error.exitStatus == 2)
        #expect(error.message.contains("must be x-forwarded-for, forwarded or none"))
    }
}
