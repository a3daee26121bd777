import CWSGateLinux
import Glibc

/// A kernel counter used to wake an event loop from another thread.
///
/// Why it exists: `epoll_wait` sleeps until a descriptor is ready; writing to this descriptor
/// (from any thread) makes it ready, which is the loop's one thread-safe door.
public final class EventFD: @unchecked Sendable {
    // @unchecked: `fd` is set once in init and only closed by the owning loop at shutdown;
    // `signal()` from other threads is a plain write(2), which the kernel serialises.
    public let fd: FileDescriptor

    public init() throws(IOError) {
        fd = FileDescriptor(taking: try syscallValue("eventfd") {
            eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        })
    }

    deinit { fd.close() }

    /// Makes the descriptor readable (callable from any thread).
    public func signal() {
        var one: UInt64 = 1
        _ = Glibc.write(fd.rawValue, &one, 8)
    }

    /// Resets the counter after a wake-up.
    public func drain() {
        var value: UInt64 = 0
        _ = Glibc.read(fd.rawValue, &value, 8)
    }
}
