import Synchronization
import WSGateAuth
import WSGateConfig
import WSGatePasswords
import WSGatePosix

/// `--auth-token-key`, `--auth-basic` and their companions: which requests need credentials,
/// how they are checked, and the challenge a refusal carries.
///
/// Why it exists: the gateway starts a program for whoever connects, so a public deployment
/// needs a door. The door is the same for every connection and every loop, is built once from
/// files read at start (a missing or unusable file stops the start with one line naming it),
/// and is shared: token checks run on the loops (microseconds), password checks on a worker
/// thread (bcrypt takes tens of milliseconds on purpose), bounded by `maxPendingPasswordChecks`
/// so a flood of guesses cannot queue without end.
final class AccessControl: Sendable {
    let scope: AuthScope
    /// The cookie and the query parameter a token may come in (nil = not accepted there).
    let tokenCookie: String?
    let tokenParameter: String?
    let tokens: JWTVerifier?
    let passwords: PasswordFile?
    /// `WWW-Authenticate` for a request without credentials, and for a refused token
    /// (RFC 6750 §3.1: `error="invalid_token"`).
    let challenge: [(name: String, value: String)]
    let invalidTokenChallenge: [(name: String, value: String)]
    /// Password checks on worker threads at most; more at once are answered 503.
    static let maxPendingPasswordChecks = 16
    private let pendingPasswordChecks = Atomic<Int>(0)

    /// nil when no `--auth-*` door is configured; throws when a file cannot be used.
    static func make(config: GatewayConfig) throws(StartupRefusal) -> AccessControl? {
        guard config.authTokenKey != nil || config.authBasic != nil else { return nil }
        return try AccessControl(config: config)
    }

    private init(config: GatewayConfig) throws(StartupRefusal) {
        scope = config.authScope
        tokenCookie = config.authTokenCookie
        tokenParameter = config.authTokenParam
        if let path = config.authTokenKey {
            tokens = JWTVerifier(key: try Self.readKey(path), audience: config.authAudience)
        } else {
            tokens = nil
        }
        passwords = try config.authBasic.map { (path: String) throws(StartupRefusal) in try PasswordFile(path: path) }
        let realm = "realm=\"\(config.authRealm)\""
        var challenge: [(name: String, value: String)] = []
        var invalid: [(name: String, value: String)] = []
        if tokens != nil {
            challenge.append(("WWW-Authenticate", "Bearer \(realm)"))
            invalid.append(("WWW-Authenticate", "Bearer \(realm), error=\"invalid_token\""))
        }
        if passwords != nil {
            challenge.append(("WWW-Authenticate", "Basic \(realm), charset=\"UTF-8\""))
            invalid.append(("WWW-Authenticate", "Basic \(realm), charset=\"UTF-8\""))
        }
        self.challenge = challenge
        invalidTokenChallenge = invalid
    }

    /// The start-up line: what is asked for, and of which requests.
    var startupDescription: String {
        var ways: [String] = []
        if let tokens { ways.append("a \(tokens.key.algorithm) token") }
        if let passwords { ways.append("a password (\(PasswordFile.users(passwords.users.count)) in \(passwords.path))") }
        let what = scope == .all ? "every request but --health" : "WebSocket upgrades"
        return "Credentials required for \(what): \(ways.joined(separator: " or "))"
    }

    /// Whether a request going to `routes` needs credentials: upgrades always, plain-HTTP
    /// services with `--auth-scope=all`, `--health` never.
    func guards(_ routes: [RequestRoute]) -> Bool {
        if routes.first == .health { return false }
        if routes.first == .webSocket { return true }
        return scope == .all
    }

    /// The key file: a PEM public key, or a secret (its bytes without a final newline, so
    /// `openssl rand -hex 32 > FILE` works as written).
    private static func readKey(_ path: String) throws(StartupRefusal) -> JWTKey {
        var bytes: [UInt8]
        switch FileSystem.readBytes(path, limit: JWTKey.maximumBytes) {
        case .success(let value): bytes = value
        case .failure(let error): throw StartupRefusal("Cannot read --auth-token-key file \(path): \(error)")
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        do {
            return try JWTKey(fileContents: bytes)
        } catch {
            throw StartupRefusal("--auth-token-key file \(path): \(error)")
        }
    }

    // MARK: - Checks

    /// The subject of a valid token, or why it is refused.
    func checkToken(_ token: String, now: Int64) -> Result<String, AccessRefusal> {
        guard let tokens else { return .failure(AccessRefusal("a Bearer token, but --auth-token-key is not set")) }
        switch tokens.verify(token, now: now) {
        case .valid(let subject, _): return .success(subject)
        case .refused(let why): return .failure(AccessRefusal("token refused: \(why)", invalidToken: true))
        }
    }

    /// Takes a worker slot for a password check; false when `maxPendingPasswordChecks` run.
    func beginPasswordCheck() -> Bool {
        var pending = pendingPasswordChecks.load(ordering: .relaxed)
        while pending < Self.maxPendingPasswordChecks {
            let (exchanged, original) = pendingPasswordChecks.compareExchange(
                expected: pending, desired: pending + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            pending = original
        }
        return false
    }

    /// Checks Basic credentials (blocking: call off the loops, after `beginPasswordCheck`,
    /// whose slot this gives back).
    func checkPassword(authorization value: String) -> Result<String, AccessRefusal> {
        defer { pendingPasswordChecks.subtract(1, ordering: .acquiringAndReleasing) }
        guard let passwords else { return .failure(AccessRefusal("Basic credentials, but --auth-basic is not set")) }
        let credentials: BasicCredentials
        do {
            credentials = try BasicCredentials(authorization: value)
        } catch {
            return .failure(AccessRefusal("Basic credentials refused: \(error)"))
        }
        let verifier = PasswordVerifier(file: passwords.users)
        guard verifier.verify(user: credentials.user.utf8, password: credentials.password.utf8) else {
            return .failure(AccessRefusal("wrong user or password for user '\(credentials.user.prefix(64))'"))
        }
        return .success(credentials.user)
    }
}

/// Why credentials were refused, for the log line; `invalidToken` picks the challenge.
struct AccessRefusal: Error {
    let reason: String
    var invalidToken = false

    init(_ reason: String, invalidToken: Bool = false) {
        self.reason = reason
        self.invalidToken = invalidToken
    }
}
