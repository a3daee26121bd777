import Glibc

/// A user or group of this system, looked up by name (or given as a number) once at start.
///
/// Why it exists: `--user` and `--group` name accounts, and the child between vfork and exec
/// may only make system calls, so the ids and the supplementary groups (getgrouplist reads
/// /etc/group and NSS) are resolved before anything is served.
public struct UserAccount: Sendable, Equatable {
    public let name: String
    public let uid: UInt32
    /// The primary group.
    public let gid: UInt32

    /// The user named `name` (or with that decimal uid); nil when there is none.
    public static func user(_ name: String) -> UserAccount? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        if let uid = UInt32(name) {
            guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil else {
                return UserAccount(name: name, uid: uid, gid: uid)
            }
        } else {
            guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        }
        return UserAccount(name: String(cString: entry.pw_name), uid: entry.pw_uid, gid: entry.pw_gid)
    }

    /// The group named `name` (or with that decimal gid); nil when there is none.
    public static func groupID(_ name: String) -> UInt32? {
        if let gid = UInt32(name) { return gid }
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.gr_gid
    }

    /// The user's supplementary groups as /etc/group lists them, `gid` first.
    public func groups(primary gid: UInt32) -> [UInt32] {
        var count: Int32 = 64
        while true {
            var groups = [gid_t](repeating: 0, count: Int(count))
            let wanted = count
            if getgrouplist(name, gid, &groups, &count) >= 0 { return Array(groups.prefix(Int(count))) }
            // Too small: count now holds the number needed.
            if count <= wanted || count > 65536 { return [gid] }
        }
    }

    /// This process's effective user and group.
    public static var effective: (uid: UInt32, gid: UInt32) { (geteuid(), getegid()) }

    /// Whether this process may take another identity: root, or CAP_SETUID and CAP_SETGID in
    /// its effective set (/proc/self/status, as systemd's AmbientCapabilities gives them).
    public static var canChangeIdentity: Bool {
        if geteuid() == 0 { return true }
        guard case .success(let status) = FileSystem.readText("/proc/self/status"),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let mask = UInt64(line.dropFirst("CapEff:".count).trimmingPrefix { $0 == " " || $0 == "\t" }, radix: 16)
        else { return false }
        let setgid: UInt64 = 1 << 6, setuid: UInt64 = 1 << 7
        return mask & setgid != 0 && mask & setuid != 0
    }
}
