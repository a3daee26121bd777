import CWSGateLinux
import Glibc
import WSGatePosix

/// Questions about live processes, answered from /proc, for tests that check that nothing is
/// leaked: no zombie children, no survivors in a process group, no leaked descriptors.
public enum ProcessTable {
    /// One process: its id, parent, group and state letter (R, S, Z…).
    public struct Entry: Equatable {
        public var pid: Int32
        public var parent: Int32
        public var group: Int32
        public var state: Character
    }

    /// Every process visible in /proc.
    public static func all() -> [Entry] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var entries: [Entry] = []
        while let item = readdir(directory) {
            let name = DirectoryEntryName.string(of: item)
            guard let pid = Int32(name), let entry = entry(pid) else { continue }
            entries.append(entry)
        }
        return entries
    }

    /// /proc/PID/stat parsed, or nil if the process is gone.
    public static func entry(_ pid: Int32) -> Entry? {
        guard let text = readFile("/proc/\(pid)/stat"),
              let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm) ": state ppid pgrp …
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count >= 3, let state = fields[0].first,
              let parent = Int32(fields[1]), let group = Int32(fields[2]) else { return nil }
        return Entry(pid: pid, parent: parent, group: group, state: state)
    }

    /// Processes of `group` that are alive (zombies waiting for init do not count).
    public static func living(inGroup group: Int32) -> [Entry] {
        all().filter { $0.group == group && $0.state != "Z" }
    }

    /// `true` while `pid` runs (a zombie is not running).
    public static func isRunning(_ pid: Int32) -> Bool {
        guard let entry = entry(pid) else { return false }
        return entry.state != "Z"
    }

    /// Children of `parent` that exited but were never reaped.
    public static func zombieChildren(of parent: Int32) -> [Entry] {
        all().filter { $0.parent == parent && $0.state == "Z" }
    }

    /// Children of `parent`, in any state.
    public static func children(of parent: Int32) -> [Entry] {
        all().filter { $0.parent == parent }
    }

    /// How many descriptors `pid` has open.
    public static func openDescriptorCount(_ pid: Int32) -> Int {
        guard let directory = opendir("/proc/\(pid)/fd") else { return -1 }
        defer { closedir(directory) }
        var count = 0
        while let item = readdir(directory) {
            if DirectoryEntryName.bytes(of: item).first != UInt8(ascii: ".") { count += 1 }
        }
        return count
    }

    /// A whole small text file (procfs files report size 0, so read until EOF).
    public static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Waits until `condition` holds or `timeout` passes, re-checking every few milliseconds
    /// (for conditions only /proc can tell, which has no event to wait on).
    public static func wait(upTo timeout: Double, until condition: () -> Bool) -> Bool {
        let deadline = TestDeadline(seconds: timeout)
        while !condition() {
            if deadline.hasPassed { return false }
            var pause = timespec(tv_sec: 0, tv_nsec: 5_000_000)
            nanosleep(&pause, nil)
        }
        return true
    }
}
