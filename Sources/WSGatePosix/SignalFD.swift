import CWSGateLinux
import Glibc

/// Delivers signals as readable events instead of asynchronous handlers.
///
/// Why it exists: a signal handler may touch almost nothing safely; with the signals blocked and
/// read from a descriptor, SIGTERM, SIGINT and SIGCHLD become ordinary events of the loop that
/// can close connections and reap children with all the loop's state at hand.
public final class SignalFD {
    public let fd: FileDescriptor

    /// Blocks `signals` in the calling thread (call before any thread is started, so every
    /// thread inherits the mask) and opens a descriptor that reports them.
    public init(signals: [Signal]) throws(IOError) {
        var set = sigset_t()
        CWSGateLinux_sigemptyset(&set)
        for signal in signals { CWSGateLinux_sigaddset(&set, signal.rawValue) }
        let blocked = pthread_sigmask(SIG_BLOCK, &set, nil)
        if blocked != 0 { throw IOError(errno: blocked, function: "pthread_sigmask") }
        fd = FileDescriptor(taking: try syscallValue("signalfd") {
            signalfd(-1, &set, Int32(SFD_CLOEXEC | SFD_NONBLOCK))
        })
    }

    deinit { fd.close() }

    /// Reads every pending signal; empty when none is pending.
    public func readPending() throws(IOError) -> [Signal] {
        var received: [Signal] = []
        var info = signalfd_siginfo()
        let size = MemoryLayout<signalfd_siginfo>.size
        while true {
            let raw = fd.rawValue
            switch try syscall("read", { Glibc.read(raw, &info, size) }) {
            case .processed(let count) where count == size:
                received.append(Signal(rawValue: Int32(info.ssi_signo)))
            default:
                return received
            }
        }
    }
}

@available(*, unavailable)
extension SignalFD: Sendable {}

/// A signal number with names for the ones the gateway handles.
public struct Signal: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let interrupt = Signal(rawValue: SIGINT)
    public static let terminate = Signal(rawValue: SIGTERM)
    public static let child = Signal(rawValue: SIGCHLD)
    public static let hangup = Signal(rawValue: SIGHUP)
    public static let kill = Signal(rawValue: SIGKILL)
    public var description: String {
        switch rawValue {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGCHLD: return "SIGCHLD"
        case SIGHUP: return "SIGHUP"
        case SIGKILL: return "SIGKILL"
        default: return "signal \(rawValue)"
        }
    }
}

/// Process-wide signal settings.
public enum ProcessSignals {
    /// Writing to a socket whose peer is gone must return EPIPE, not kill the gateway.
    /// Programs we spawn get SIGPIPE back to its default (the spawner resets every signal).
    public static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }
}
