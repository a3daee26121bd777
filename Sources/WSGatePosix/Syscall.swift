import CWSGateLinux
import Glibc

/// Runs one system call the way the whole gateway does: retried on `EINTR`, `EAGAIN` returned
/// as `.wouldBlock`, any other failure thrown as `IOError` naming the call.
///
/// `EBADF` and `EFAULT` mean the gateway itself is broken (a closed or foreign descriptor, a bad
/// pointer), never a peer's doing, so they stop the process instead of being handled.
///
/// `@inline(never)` keeps errno from being clobbered between the call and the read of it.
@inline(never)
func syscall<T: FixedWidthInteger>(
    _ function: String, _ body: () -> T
) throws(IOError) -> IOResult<T> {
    while true {
        let result = body()
        if result >= 0 { return .processed(result) }
        let err = errno
        switch err {
        case EINTR:
            continue
        case EAGAIN:
            return .wouldBlock
        case EBADF, EFAULT:
            preconditionFailure("\(function) failed with \(IOError.message(err)): a gateway bug")
        default:
            throw IOError(errno: err, function: function)
        }
    }
}

/// `syscall` for calls that cannot return `EAGAIN` (blocking ones, or set-up calls).
@inline(never)
func syscallValue<T: FixedWidthInteger>(_ function: String, _ body: () -> T) throws(IOError) -> T {
    switch try syscall(function, body) {
    case .processed(let value): return value
    case .wouldBlock: throw IOError(errno: EAGAIN, function: function)
    }
}
