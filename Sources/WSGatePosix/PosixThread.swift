import CWSGateLinux
import Glibc

/// A plain POSIX thread running one body, for one event loop per core.
///
/// Why it exists: Foundation's `Thread` may not be linked into the gateway, and Dispatch's
/// pool threads are not ours to block forever in `epoll_wait`. The body crosses to the new
/// thread in an `Unmanaged` box; the new thread inherits the creator's signal mask, so start
/// threads only after the signals for the signalfd are blocked.
public final class PosixThread: @unchecked Sendable {
    // @unchecked: `handle` is written once in `start` before the object is shared and only
    // read by `join`, which the creating thread calls.
    private var handle = pthread_t()

    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private init() {}

    /// Starts a thread running `body`.
    public static func start(_ body: @escaping @Sendable () -> Void) throws(IOError) -> PosixThread {
        let thread = PosixThread()
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        let status = pthread_create(&thread.handle, nil, { argument in
            let body = Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue()
            body.run()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            throw IOError(errno: status, function: "pthread_create")
        }
        return thread
    }

    /// Waits for the thread to end.
    public func join() {
        pthread_join(handle, nil)
    }

    /// Lets the thread end on its own without being joined (its resources are freed when it
    /// ends); `join` may not be called after.
    public func detach() {
        pthread_detach(handle)
    }
}
