import Glibc

/// Test helpers that ask the kernel about a raw descriptor directly, so the code under test is
/// checked against the system rather than against itself.

/// `true` when `raw` is readable, waiting up to `milliseconds` for it (0: just look).
/// Waiting is for readiness, never a fixed delay: the call returns as soon as data is there.
func isReadable(_ raw: Int32, waitingUpTo milliseconds: Int32 = 0) -> Bool {
    var poller = pollfd(fd: raw, events: Int16(POLLIN), revents: 0)
    return poll(&poller, 1, milliseconds) == 1 && poller.revents & Int16(POLLIN) != 0
}

/// `true` when `O_NONBLOCK` is set on `raw`.
func isNonBlocking(_ raw: Int32) -> Bool {
    fcntl(raw, F_GETFL) & O_NONBLOCK != 0
}

/// `true` when `FD_CLOEXEC` is set on `raw`.
func isCloseOnExec(_ raw: Int32) -> Bool {
    fcntl(raw, F_GETFD) & FD_CLOEXEC != 0
}

/// An integer socket option of `raw`.
func socketOption(_ raw: Int32, _ level: Int32, _ name: Int32) -> Int32 {
    var value: Int32 = -1
    var length = socklen_t(MemoryLayout<Int32>.size)
    _ = getsockopt(raw, level, name, &value, &length)
    return value
}
