import Foundation
import Glibc
import Testing
import WSGateTestSupport

/// `--auth-token-key`, `--auth-basic` and `--auth-scope` through the real binary: each way a
/// credential can come, what a program sees (REMOTE_USER, AUTH_TYPE, and never the token), and
/// what a refused client sees (401 with `WWW-Authenticate`) and the log says.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct AccessControlTests {
    static var testcmd: String { Executables.path("wsgate-testcmd") }
    /// bob's entry: "hunter2 is fine" (SHA-512-crypt); carol's: "correct horse battery staple"
    /// (bcrypt, cost 5).
    static let bob = "bob:$6$wsgatebob$lpSVn13cY55vh0fx48deq/yjecWYUg2OlUnr7zeAf0ad/rlChPwdYEBN8E9vF22c56u7aBbekesia4v4VW5hK/\n"
    static let carol = "carol:$2y$05$wsgatetestsaltalice01ud/OmoelI0jO3WGjsWjEYIPQYz4kv7VW\n"

    /// A folder with the key file and the password file.
    final class Files {
        let directory: String
        var key: String { directory + "/jwt.key" }
        var passwords: String { directory + "/htpasswd" }

        init() throws {
            directory = try TemporaryFiles.directory("auth")
            try TemporaryFiles.write(HS256Token.secret + "\n", to: key)
            try TemporaryFiles.write(AccessControlTests.bob, to: passwords)
        }

        deinit { TemporaryFiles.removeDirectory(directory) }
    }

    static func basic(_ user: String, _ password: String) -> (String, String) {
        ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
    }

    /// Upgrades with `headers` and returns the program's environment (a 101 is required).
    static func environment(_ gateway: GatewayProcess, path: String = "/", headers: [(String, String)] = []) throws
        -> [String: String]
    {
        let client = try gateway.connect()
        let response = try client.upgrade(path: path, headers: headers)
        guard response.status == 101 else { throw TestFailure("expected 101, got \(response.status)") }
        return try Transcript.read(from: client).environment()
    }

    // MARK: - Tokens

    @Test func aTokenInTheHeaderACookieOrTheQueryLetsInAndNeverReachesTheProgram() throws {
        let files = try Files()
        let gateway = try GatewayProcess(["--auth-token-key=" + files.key, Self.testcmd, "env"])
        let token = HS256Token.make(sub: "alice")

        let viaHeader = try Self.environment(gateway, headers: [("Authorization", "Bearer " + token)])
        #expect(viaHeader["REMOTE_USER"] == "alice")
        #expect(viaHeader["AUTH_TYPE"] == "Bearer")
        #expect(viaHeader["HTTP_AUTHORIZATION"] == nil)

        let viaCookie = try Self.environment(gateway, headers: [("Cookie", "theme=dark; access_token=\(token); lang=en")])
        #expect(viaCookie["REMOTE_USER"] == "alice")
        #expect(viaCookie["HTTP_COOKIE"] == "theme=dark; lang=en")

        let viaQuery = try Self.environment(gateway, path: "/?room=7&access_token=\(token)&x=1")
        #expect(viaQuery["REMOTE_USER"] == "alice")
        #expect(viaQuery["AUTH_TYPE"] == "Bearer")
        #expect(viaQuery["QUERY_STRING"] == "room=7&x=1")
        #expect(viaQuery["REQUEST_URI"] == "/?room=7&x=1")

        let lines = try gateway.process.waitForOutputLines(containing: "| CONNECT", count: 3)
        for line in lines {
            #expect(line.contains("user:'alice'") && !line.contains(token), "\(line)")
        }
        #expect(lines.last?.contains("url:'http://127.0.0.1/?room=7&x=1'") == true, "\(lines)")
    }

    @Test func customCookieAndParameterNames() throws {
        let files = try Files()
        let gateway = try GatewayProcess(["--auth-token-key=" + files.key, "--auth-token-cookie=session",
                                          "--auth-token-param=t", Self.testcmd, "env"])
        let token = HS256Token.make(sub: "dave")
        #expect(try Self.environment(gateway, headers: [("Cookie", "session=" + token)])["REMOTE_USER"] == "dave")
        #expect(try Self.environment(gateway, path: "/?t=" + token)["REMOTE_USER"] == "dave")
        // The default names are not read any more.
        let client = try gateway.connect()
        #expect(try client.upgrade(path: "/?access_token=" + token).status == 401)
    }

    @Test(arguments: [
        ("none", "no credentials"),
        ("expired", "token refused: expired"),
        ("wrong key", "token refused"),
        ("alg none", "token refused"),
        ("garbage", "token refused"),
    ])
    func aRefusedTokenIsA401WithAChallengeALogLineAndNoProgram(kind: String, logged: String) throws {
        let files = try Files()
        let gateway = try GatewayProcess(["--auth-token-key=" + files.key, "--metrics=/metrics", Self.testcmd, "env"])
        let token: String? = switch kind {
        case "expired": HS256Token.make(expiresIn: -3600)
        case "wrong key": HS256Token.make(secret: "another-secret-of-thirty-two-byt")
        case "alg none": String(HS256Token.make(header: #"{"alg":"none","typ":"JWT"}"#).split(separator: ".")[0...1]
            .joined(separator: ".") + ".")
        case "garbage": "not.a.token"
        default: nil
        }
        let client = try gateway.connect()
        let response = try client.upgrade(headers: token.map { [("Authorization", "Bearer " + $0)] } ?? [])
        #expect(response.status == 401)
        let challenge = response.header("WWW-Authenticate") ?? ""
        #expect(challenge.hasPrefix("Bearer realm=\"wsgate\""), "\(challenge)")
        #expect(challenge.contains("invalid_token") == (token != nil), "\(challenge)")
        let line = try gateway.process.waitForOutputLine(containing: "Unauthorized (401)")
        #expect(line.contains(logged) && line.contains("remote:'127.0.0.1'"), "\(line)")
        #expect(!gateway.process.standardOutput.contains("CONNECT"))
        let metrics = try MetricsScrape(try gateway.connect())
        #expect(metrics[#"wsgate_connections_answered_total{code="401"}"#] == "1", "\(metrics.response.body)")
        #expect(metrics["wsgate_programs_started_total"] == "0", "\(metrics.response.body)")
    }

    // MARK: - Passwords

    @Test func theRightPasswordLetsInAndAWrongOneIsA401() throws {
        let files = try Files()
        let gateway = try GatewayProcess(["--auth-basic=" + files.passwords, Self.testcmd, "env"])
        let environment = try Self.environment(gateway, headers: [Self.basic("bob", "hunter2 is fine")])
        #expect(environment["REMOTE_USER"] == "bob")
        #expect(environment["AUTH_TYPE"] == "Basic")
        #expect(environment["HTTP_AUTHORIZATION"] == nil)

        for (user, password) in [("bob", "hunter3"), ("mallory", "hunter2 is fine")] {
            let client = try gateway.connect()
            let response = try client.upgrade(headers: [Self.basic(user, password)])
            #expect(response.status == 401)
            #expect(response.header("WWW-Authenticate") == "Basic realm=\"wsgate\", charset=\"UTF-8\"")
        }
        let lines = try gateway.process.waitForOutputLines(containing: "Unauthorized (401)", count: 2)
        #expect(lines[0].contains("wrong user or password for user 'bob'"), "\(lines)")
        #expect(lines[1].contains("wrong user or password for user 'mallory'"), "\(lines)")
    }

    /// `--rate` counts refused guesses: a third attempt within the burst's reach is a 429 even
    /// with the right password, and the count a 401 took is given back.
    @Test func refusedGuessesSpendTheHandshakeRate() throws {
        let files = try Files()
        let gateway = try GatewayProcess(["--auth-basic=" + files.passwords, "--rate=1/m", "--rate-burst=2",
                                          "--max-per-ip=1", Self.testcmd, "env"])
        for _ in 0..<2 {
            #expect(try gateway.connect().upgrade(headers: [Self.basic("bob", "guess")]).status == 401)
        }
        let third = try gateway.connect().upgrade(headers: [Self.basic("bob", "hunter2 is fine")])
        #expect(third.status == 429)
        #expect(third.header("Retry-After") != nil)
        // Another client is unaffected, and the 401s gave their --max-per-ip count back.
        let other = try TestClient(port: gateway.port, source: "127.0.0.2")
        #expect(try other.upgrade(headers: [Self.basic("bob", "hunter2 is fine")]).status == 101)
    }

    /// The file is read again when it changes: a user added is let in without a restart, and
    /// a broken version is logged while the users read before stay.
    @Test func thePasswordFileIsReadAgainWhenItChanges() throws {
        let files = try Files()
        let gateway = try GatewayProcess(["--auth-basic=" + files.passwords, Self.testcmd, "env"])
        let client = try gateway.connect()
        #expect(try client.upgrade(headers: [Self.basic("carol", "correct horse battery staple")]).status == 401)

        try TemporaryFiles.write(Self.bob + Self.carol, to: files.passwords + ".new")
        #expect(rename(files.passwords + ".new", files.passwords) == 0)
        let reloaded = try gateway.process.waitForOutputLine(containing: "again after it changed", timeout: 30)
        #expect(reloaded.contains("2 users"), "\(reloaded)")
        let carol = try Self.environment(gateway, headers: [Self.basic("carol", "correct horse battery staple")])
        #expect(carol["REMOTE_USER"] == "carol")

        try TemporaryFiles.write("carol:plaintext\n", to: files.passwords)
        let refused = try gateway.process.waitForOutputLine(containing: "the users read before stay", timeout: 30)
        #expect(refused.contains(files.passwords), "\(refused)")
        #expect(try Self.environment(gateway, headers: [Self.basic("bob", "hunter2 is fine")])["REMOTE_USER"] == "bob")
    }

    @Test func sighupReadsThePasswordFileAgain() throws {
        let files = try Files()
        let gateway = try GatewayProcess(["--auth-basic=" + files.passwords, Self.testcmd, "env"])
        try TemporaryFiles.write(Self.carol, to: files.passwords)
        gateway.process.send(signal: SIGHUP)
        let line = try gateway.process.waitForOutputLine(containing: "again after SIGHUP")
        #expect(line.contains("1 user"), "\(line)")
        #expect(try gateway.connect().upgrade(headers: [Self.basic("bob", "hunter2 is fine")]).status == 401)
    }

    // MARK: - Scope

    @Test func scopeAllGuardsPlainHTTPButNotHealth() throws {
        let files = try Files()
        let site = try TemporaryFiles.directory("auth-site")
        defer { TemporaryFiles.removeDirectory(site) }
        try TemporaryFiles.write("hello\n", to: site + "/index.txt")
        let gateway = try GatewayProcess(["--auth-token-key=" + files.key, "--auth-basic=" + files.passwords,
                                          "--auth-scope=all", "--health=/healthz", "--staticdir=" + site])
        let refused = try gateway.connect()
        try refused.send("GET /index.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        let answer = try refused.readHTTPResponse()
        #expect(answer.status == 401)
        #expect(answer.headers.filter { $0.name.lowercased() == "www-authenticate" }.count == 2)

        let admitted = try gateway.connect()
        let authorization = Self.basic("bob", "hunter2 is fine")
        try admitted.send("GET /index.txt HTTP/1.1\r\nHost: x\r\n\(authorization.0): \(authorization.1)\r\n\r\n")
        let file = try admitted.readHTTPResponse()
        #expect(file.status == 200)
        #expect(file.body == "hello\n")

        let check = try gateway.connect()
        try check.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try check.readHTTPResponse().status == 200)
    }

    /// A CGI request's body waits in the socket while its password is checked on a worker
    /// thread, then reaches the script whole; the next request on the connection is answered.
    @Test func aCGIBodyWaitsForThePasswordCheck() throws {
        let files = try Files()
        let scripts = try TemporaryFiles.directory("auth-cgi")
        defer { TemporaryFiles.removeDirectory(scripts) }
        try TemporaryFiles.write("#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\necho \"$REMOTE_USER\"\ncat\n",
                                 to: scripts + "/echo.sh", mode: 0o755)
        let gateway = try GatewayProcess(["--auth-basic=" + files.passwords, "--auth-scope=all", "--cgidir=" + scripts])
        let client = try gateway.connect()
        let authorization = Self.basic("bob", "hunter2 is fine")
        let body = String(repeating: "0123456789", count: 1000)
        try client.send("POST /echo.sh HTTP/1.1\r\nHost: x\r\n\(authorization.0): \(authorization.1)\r\n"
                        + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let answer = try client.readHTTPResponse(timeout: 30, bodyToEOF: true)
        #expect(answer.status == 200)
        #expect(answer.body == "bob\n" + body, "\(answer.body.prefix(100))")
    }

    @Test func scopeWebsocketLeavesPlainHTTPOpen() throws {
        let files = try Files()
        let site = try TemporaryFiles.directory("auth-site")
        defer { TemporaryFiles.removeDirectory(site) }
        try TemporaryFiles.write("hello\n", to: site + "/index.txt")
        let gateway = try GatewayProcess(["--auth-token-key=" + files.key, "--staticdir=" + site, "--echo"])
        let client = try gateway.connect()
        try client.send("GET /index.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readHTTPResponse().status == 200)
        #expect(try gateway.connect().upgrade().status == 401)
    }

    // MARK: - Start-up

    @Test(arguments: ["missing key", "short secret", "missing passwords", "plaintext password"])
    func anUnusableFileStopsTheStartWithOneLineNamingIt(kind: String) throws {
        let files = try Files()
        var flag: String
        switch kind {
        case "missing key": flag = "--auth-token-key=" + files.directory + "/absent.key"
        case "short secret":
            try TemporaryFiles.write("too short\n", to: files.key)
            flag = "--auth-token-key=" + files.key
        case "missing passwords": flag = "--auth-basic=" + files.directory + "/absent"
        default:
            try TemporaryFiles.write("bob:hunter2\n", to: files.passwords)
            flag = "--auth-basic=" + files.passwords
        }
        let process = try ChildProcess(path: Executables.path("wsgate"),
                                       arguments: ["--port=0", "--address=127.0.0.1", flag, "--echo"])
        #expect(try process.waitForExit(timeout: 30) == 1)
        let lines = process.standardOutput.split(separator: "\n")
        #expect(lines.count == 1, "\(process.standardOutput)")
        let path = String(flag.split(separator: "=", maxSplits: 1)[1])
        #expect(lines.first?.contains(path) == true, "\(process.standardOutput)")
    }
}
