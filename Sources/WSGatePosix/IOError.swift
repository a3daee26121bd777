import CWSGateLinux
import Glibc

/// A failed system call: which call, and the errno it left.
///
/// Why it exists: every syscall in the gateway goes through `syscall(_:_:)`, and this is the one
/// error type that layer throws, so a log line can always say what failed and why.
public struct IOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The errno value the call set.
    public let errno: Int32
    /// The name of the failed call (e.g. `"connect"`), for log lines.
    public let function: String

    public init(errno: Int32, function: String) {
        self.errno = errno
        self.function = function
    }

    /// `"bind: Address already in use"`.
    public var description: String {
        errno == 0 ? function : "\(function): \(IOError.message(errno))"
    }

    /// The C library's text for `errno`.
    public static func message(_ errno: Int32) -> String {
        guard let text = strerror(errno) else { return "errno \(errno)" }
        return String(cString: text)
    }
}

/// The outcome of a non-blocking call: it did something, or it would have blocked.
public enum IOResult<Value> {
    case processed(Value)
    case wouldBlock
}

extension IOResult: Equatable where Value: Equatable {}

extension IOError {
    /// The peer reset the connection (reported by epoll as an error condition).
    public static let connectionReset = IOError(errno: ECONNRESET, function: "epoll_wait")
}

extension IOError {
    /// errno values callers need to tell apart, without importing Glibc.
    public enum Code {
        public static let tooManyOpenFiles = EMFILE
        public static let tooManyOpenFilesInSystem = ENFILE
        public static let noBufferSpace = ENOBUFS
        public static let outOfMemory = ENOMEM
        public static let addressInUse = EADDRINUSE
        public static let permissionDenied = EACCES
        public static let connectionReset = ECONNRESET
        public static let brokenPipe = EPIPE
    }
}

extension IOError.Code {
    public static let connectionRefused = ECONNREFUSED
    public static let timedOut = ETIMEDOUT
}

extension IOError.Code {
    public static let invalidArgument = EINVAL
}
