import Glibc

/// The processes of a `--pty` program's session, found in /proc.
///
/// Why it exists: a shell on a terminal puts each job in its own process group (job
/// control), so signalling the program's group misses `sleep 1000 &`; every group of the
/// session the program leads must get the hang-up and the kill sequence, and the program is
/// only gone once its session is empty.
public enum ProcessSession {
    /// The process groups with a process in `session`, `session` itself (the leader's) first
    /// when it has one.
    public static func groups(in session: Int32) -> [Int32] {
        guard let directory = opendir("/proc") else { return [session] }
        defer { closedir(directory) }
        var groups: [Int32] = []
        while let entry = readdir(directory) {
            let name = DirectoryEntryName.bytes(of: entry)
            guard name.first.map({ (UInt8(ascii: "1")...UInt8(ascii: "9")).contains($0) }) == true,
                  let pid = Int32(String(decoding: name, as: UTF8.self)),
                  let (group, processSession) = groupAndSession(of: pid),
                  processSession == session, !groups.contains(group) else { continue }
            groups.append(group)
        }
        return groups.sorted { $0 == session ? true : ($1 == session ? false : $0 < $1) }
    }

    /// `pgrp` and `session` from /proc/PID/stat (fields 5 and 6, after the command name in
    /// parentheses, which may itself hold spaces and parentheses).
    static func groupAndSession(of pid: Int32) -> (Int32, Int32)? {
        guard case .success(let stat) = FileSystem.readText("/proc/\(pid)/stat", limit: 4096),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 3, let group = Int32(fields[2]), let session = Int32(fields[3]) else { return nil }
        return (group, session)
    }
}
