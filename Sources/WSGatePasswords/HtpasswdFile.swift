/// The users and hashes of an htpasswd file (Apache's format: one `user:hash` a line).
///
/// Why it exists: `--auth-basic=FILE` reads this file at start and on every change; parsing is
/// kept apart from reading so it is tested on bytes and fuzzed. Lines are trimmed of spaces,
/// tabs and a CR (CRLF files work); blank lines and lines starting with `#` are skipped. A user
/// listed twice keeps the first entry, as Apache's `mod_authn_file` does. Users are compared
/// as bytes (no Unicode normalization).
public struct HtpasswdFile: Sendable {
    /// Each user's entry, keyed by the name's UTF-8 bytes.
    private let entries: [[UInt8]: HtpasswdEntry]
    /// The first entry in the file: an unknown user's password is hashed with its setting, so
    /// a miss costs what a real check costs (nil for a file without users).
    public let decoy: HtpasswdEntry?

    /// How many distinct users.
    public var count: Int { entries.count }

    /// The entry of `user` (its UTF-8 bytes), or nil.
    public func entry(for user: some Sequence<UInt8>) -> HtpasswdEntry? { entries[Array(user)] }

    /// Parses a whole file. Throws if it is over a limit or if any line is bad.
    public init(parsing bytes: some Collection<UInt8>, limits: HtpasswdLimits = HtpasswdLimits()) throws(HtpasswdError) {
        guard bytes.count <= limits.maxBytes else { throw .tooLarge(limit: limits.maxBytes) }
        let lines = Array(bytes).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // A final newline ends the last line; it does not start another.
        let lineCount = lines.last?.isEmpty == true ? lines.count - 1 : lines.count
        guard lineCount <= limits.maxLines else { throw .tooManyLines(limit: limits.maxLines) }
        var entries: [[UInt8]: HtpasswdEntry] = [:]
        var decoy: HtpasswdEntry?
        var problems: [HtpasswdLineProblem] = []
        for (index, line) in lines.enumerated() {
            switch Self.parse(line: line) {
            case nil: continue
            case .failure(let reason): problems.append(HtpasswdLineProblem(line: index + 1, reason: reason))
            case .success(let (user, entry)):
                if entries[user] == nil { entries[user] = entry }
                if decoy == nil { decoy = entry }
            }
        }
        guard problems.isEmpty else { throw .badLines(problems) }
        self.entries = entries
        self.decoy = decoy
    }
}
