import WSGateEventLoop
import WSGatePosix

/// `--unixsocket=PATH`: the Unix listening socket, with one listener of it per event loop.
///
/// Why it exists: TCP listeners are replicated per loop with `SO_REUSEPORT`, which Linux does
/// not offer for Unix sockets (a second bind to the path fails). So the path is bound once and
/// every further loop gets a duplicate descriptor of that one socket, as the systemd sockets
/// do: each loop's epoll waits on it, whichever loop wakes first accepts, the others find
/// nothing (`EAGAIN`) and go on. Connections thus go to the loops that are free, with no
/// hand-off between threads; the price is an idle wake-up of the other loops per burst.
/// Connections accepted here are served exactly like TCP ones (the peer address says Unix).
struct UnixSocketListeners {
    /// The bound file, removed by the gateway at exit.
    let file: UnixSocketFile
    /// One listener per loop, in the loops' order.
    let perLoop: [Listener]

    /// Claims `path` (a stale socket is replaced, a live one or a non-socket is an error) and
    /// makes a listener for each loop.
    static func open(path: String, loops: [EventLoop], logger: Logger) throws(Gateway.ListenError) -> UnixSocketListeners {
        let claimed: (socket: FileDescriptor, file: UnixSocketFile)
        do {
            claimed = try UnixSocketFile.listen(at: path)
        } catch {
            throw Gateway.ListenError(message: "listen unix \(path): \(error)")
        }
        let address = SocketAddress(unixPath: path) ?? .anyIPv4(port: 0)
        var listeners: [Listener] = []
        for (index, loop) in loops.enumerated() {
            do {
                let descriptor = index == 0 ? claimed.socket : try SystemdIntegration.duplicate(claimed.socket)
                listeners.append(Listener(descriptor: descriptor, address: address, loop: loop, logger: logger))
            } catch {
                for listener in listeners { listener.close() }
                claimed.file.remove()
                throw Gateway.ListenError(message: "listen unix \(path): \(error)")
            }
        }
        return UnixSocketListeners(file: claimed.file, perLoop: listeners)
    }
}
