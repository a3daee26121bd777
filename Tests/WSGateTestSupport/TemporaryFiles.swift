import Glibc
import WSGatePosix

/// Unique paths under /tmp, and small files written there, for tests that need real files
/// (scripts, config files, sockets).
///
/// Why it exists: tests run in parallel, in several test processes at once; every path made
/// here carries the process id and a random number, so no two tests share one.
public enum TemporaryFiles {
    /// `/tmp/wsgate-NAME-PID-RANDOM` followed by `suffix`; nothing is created.
    public static func path(_ name: String, suffix: String = "") -> String {
        "/tmp/wsgate-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))\(suffix)"
    }

    /// A new, empty, private directory `/tmp/wsgate-NAME-XXXXXX` (mkdtemp).
    public static func directory(_ name: String) throws -> String {
        var template = Array("/tmp/wsgate-\(name)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TestFailure("mkdtemp: errno \(errno)")
        }
        return String(cString: made)
    }

    /// Removes `directory` and the files directly in it (what `directory(_:)` made and a test
    /// put there); errors are ignored.
    public static func removeDirectory(_ directory: String) {
        if let listing = opendir(directory) {
            while let item = readdir(listing) {
                if !DirectoryEntryName.isDotOrDotDot(item) { unlink(directory + "/" + DirectoryEntryName.string(of: item)) }
            }
            closedir(listing)
        }
        rmdir(directory)
    }

    /// Creates (or truncates) `path` with `mode` (a `mode_t`) and writes `text` into it.
    public static func write(_ text: String, to path: String, mode: UInt32 = 0o644) throws {
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw TestFailure("open \(path): errno \(errno)") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
            throw TestFailure("write \(path): errno \(errno)")
        }
        // open's mode is filtered by the umask; the test asked for exactly `mode`.
        fchmod(fd, mode)
    }
}
