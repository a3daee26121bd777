public import WSGateCore
import CWSGateLinux
import Glibc

/// Blocking writes to stdout and stderr (logs, help text, error lines).
public enum StandardStreams {
    /// Writes all of `bytes` to stdout.
    public static func writeOut(_ bytes: ByteBuffer) { write(bytes, to: STDOUT_FILENO) }
    /// Writes all of `bytes` to stderr.
    public static func writeError(_ bytes: ByteBuffer) { write(bytes, to: STDERR_FILENO) }
    /// Writes a string to stdout.
    public static func printOut(_ text: String) { writeOut(ByteBuffer(string: text)) }
    /// Writes a string to stderr.
    public static func printError(_ text: String) { writeError(ByteBuffer(string: text)) }

    private static func write(_ bytes: ByteBuffer, to fd: Int32) {
        bytes.withUnsafeReadableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if count > 0 {
                    offset += count
                } else if count < 0 && errno == EINTR {
                    continue
                } else if count < 0 && errno == EAGAIN {
                    var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&poller, 1, 100)
                } else {
                    return  // stdout is gone (closed pipe): logging must never stop the gateway
                }
            }
        }
    }
}
