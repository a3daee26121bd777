import CWSGateLinux
import Glibc

/// An open file descriptor that this object alone owns and closes exactly once.
///
/// Why it exists: a descriptor closed twice can close someone else's newly opened file, and one
/// never closed is a leak the 20,000-fd limit turns into an outage. Every descriptor the gateway
/// creates is created close-on-exec and wrapped here at once; `close()` is idempotent and
/// `deinit` closes one that was forgotten (and asserts in debug builds, since that is a bug).
///
/// - Warning: loop-confined, like the connection that owns it.
public final class FileDescriptor {
    /// The kernel's number, or -1 once closed.
    public private(set) var rawValue: Int32

    /// Takes ownership of `rawValue`.
    public init(taking rawValue: Int32) {
        precondition(rawValue >= 0, "not a descriptor")
        self.rawValue = rawValue
    }

    /// `true` until `close()` ran.
    public var isOpen: Bool { rawValue >= 0 }

    /// Closes the descriptor; later calls do nothing. `EINTR` is not retried: on Linux the
    /// descriptor is gone anyway, and retrying could close a reused number.
    public func close() {
        guard rawValue >= 0 else { return }
        _ = Glibc.close(rawValue)
        rawValue = -1
    }

    deinit {
        assert(rawValue < 0, "file descriptor \(rawValue) was never closed")
        if rawValue >= 0 { _ = Glibc.close(rawValue) }
    }
}

@available(*, unavailable)
extension FileDescriptor: Sendable {}
