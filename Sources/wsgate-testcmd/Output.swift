import Glibc

/// An unbuffered output stream: every call is written with write(2) at once.
///
/// It exists because tests watch the program's output live: stdio buffering would hold lines
/// back until exit. It retries short writes and EINTR; on any other error (EPIPE when SIGPIPE is
/// ignored, EBADF when the stream was closed) it reports failure instead of crashing.
struct Output: Sendable {
    /// The file descriptor written to.
    let descriptor: Int32

    static let standardOutput = Output(descriptor: STDOUT_FILENO)
    static let standardError = Output(descriptor: STDERR_FILENO)

    /// Writes all of `bytes`; false if the descriptor refused them.
    @discardableResult
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Writes all of `bytes`; false if the descriptor refused them.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Writes the UTF-8 of `text` (one write(2) call unless the pipe takes it in parts).
    @discardableResult
    func write(_ text: String) -> Bool {
        write(Array(text.utf8))
    }

    /// Writes the bytes or ends the process: with status 1, as a real program would on a write
    /// error (with SIGPIPE at its default the kernel has already ended it on a closed pipe).
    func writeOrExit(_ bytes: UnsafeRawBufferPointer) {
        if !write(bytes) { Glibc.exit(1) }
    }

    /// Writes `text` followed by "\n", or ends the process with status 1.
    func line(_ text: String) {
        if !write(text + "\n") { Glibc.exit(1) }
    }
}
