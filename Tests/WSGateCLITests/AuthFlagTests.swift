import Testing
@testable import WSGateCLI
import WSGateConfig

/// The `--auth-*` flags: their values in `GatewayConfig`, and the refusals that name the problem.
@Suite(.timeLimit(.minutes(10))) struct AuthFlagTests {
    @Test func defaultsAskForNothing() throws {
        let config = try #require(try parsedConfig(["--echo"]).get())
        #expect(config.authTokenKey == nil && config.authBasic == nil && config.authAudience == nil)
        #expect(config.authTokenCookie == "access_token" && config.authTokenParam == "access_token")
        #expect(config.authRealm == "wsgate" && config.authScope == .websocket)
    }

    @Test func valuesAreKept() throws {
        let config = try #require(try parsedConfig([
            "--echo", "--auth-token-key=/etc/wsgate/jwt.pem", "--auth-token-cookie=session", "--auth-token-param=",
            "--auth-audience=chat", "--auth-basic=/etc/wsgate/htpasswd", "--auth-realm=Team chat", "--auth-scope=all",
        ]).get())
        #expect(config.authTokenKey == "/etc/wsgate/jwt.pem")
        #expect(config.authTokenCookie == "session")
        #expect(config.authTokenParam == nil)
        #expect(config.authAudience == "chat")
        #expect(config.authBasic == "/etc/wsgate/htpasswd")
        #expect(config.authRealm == "Team chat")
        #expect(config.authScope == .all)
    }

    @Test(arguments: [
        ("--auth-scope=everything", "auth-scope"),
        ("--auth-token-cookie=a b", "auth-token-cookie"),
        ("--auth-token-param=x=y", "auth-token-param"),
        ("--auth-token-param=&", "auth-token-param"),
        ("--auth-token-param=a+b", "auth-token-param"),
        ("--auth-realm=say \"hi\"", "auth-realm"),
        ("--auth-realm=", "auth-realm"),
    ])
    func aBadValueIsRefusedByName(argument: String, flag: String) throws {
        guard case .failure(let error) = parsedConfig(["--echo", "--auth-token-key=k", argument]) else {
            Issue.record("\(argument) was accepted")
            return
        }
        #expect(error.exitStatus == 2)
        guard case .invalidValue(_, let named, _) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(named == flag)
    }

    @Test(arguments: [
        (["--auth-audience=chat"], "--auth-audience needs --auth-token-key."),
        (["--auth-scope=all"], "--auth-scope=all needs --auth-token-key or --auth-basic."),
    ])
    func aFlagWithoutWhatItNeedsIsRefused(arguments: [String], message: String) throws {
        guard case .failure(let error) = parsedConfig(["--echo"] + arguments) else {
            Issue.record("\(arguments) was accepted")
            return
        }
        #expect(error.exitStatus == 1)
        #expect(error.message == message)
    }
}
