import WSGatePasswords
import WSGatePosix

/// `--auth-basic`'s htpasswd file, reloaded when it changes.
///
/// Why it exists: operators add and remove users without a restart, so the file is polled
/// (as the certificates are: changed, then unchanged for one poll) and read again on SIGHUP. A
/// new version that does not parse is logged and the users loaded before stay. Password checks
/// run off the loops (bcrypt is slow by design), so the current file is swapped under a lock.
final class PasswordFile: Sendable {
    let path: String
    private let current: LockedValue<HtpasswdFile>
    /// The file's stamp when `current` was read, and at the last poll.
    private let stamps: LockedValue<(loaded: FileStamp?, polled: FileStamp?)>

    /// Reads the file; throws a line naming it if it cannot be read or parsed.
    init(path: String) throws(StartupRefusal) {
        self.path = path
        let before = FileStamp(path: path)
        current = LockedValue(try Self.read(path))
        stamps = LockedValue((before, before))
    }

    /// The users as last read.
    var users: HtpasswdFile { current.withLock { $0 } }

    /// Reads the file again; on success it replaces the users and the count is returned, on a
    /// failure the users stay and the error is thrown. Either way this version counts as seen.
    @discardableResult
    func reload() throws(StartupRefusal) -> Int {
        let before = FileStamp(path: path)
        stamps.withLock { $0 = (before, before) }
        let fresh = try Self.read(path)
        current.withLock { $0 = fresh }
        return fresh.count
    }

    /// Polled every few seconds: the file differs from the one loaded and did not change
    /// since the last poll.
    func changedAndSettled() -> Bool {
        let now = FileStamp(path: path)
        return stamps.withLock { stamps in
            defer { stamps.polled = now }
            return now != stamps.loaded && now == stamps.polled
        }
    }

    /// "1 user", "2 users": for log lines.
    static func users(_ count: Int) -> String { count == 1 ? "1 user" : "\(count) users" }

    private static func read(_ path: String) throws(StartupRefusal) -> HtpasswdFile {
        let limits = HtpasswdLimits()
        let bytes: [UInt8]
        switch FileSystem.readBytes(path, limit: limits.maxBytes) {
        case .success(let value): bytes = value
        case .failure(let error): throw StartupRefusal("Cannot read --auth-basic file \(path): \(error)")
        }
        do {
            return try HtpasswdFile(parsing: bytes, limits: limits)
        } catch {
            throw StartupRefusal("--auth-basic file \(path): \(error)")
        }
    }
}
