import WSGateEventLoop
import WSGatePosix
import WSGateTLS

extension StreamTransport {
    /// A started transport on a freshly connected client socket, with Nagle's algorithm off
    /// (the scenarios measure round trips of small messages). Both client kinds open this way.
    /// With `tls`, the stream is a TLS client connection whose ClientHello leaves with the
    /// first flush.
    static func startedClient(on socket: FileDescriptor, loop: EventLoop, delegate: any StreamTransportDelegate,
                              tls: TLSEngine? = nil) throws(IOError) -> StreamTransport {
        try? Socket.setNoDelay(socket)
        let transport = StreamTransport(loop: loop, descriptor: socket, tls: tls)
        transport.delegate = delegate
        do {
            try transport.start()
        } catch {
            transport.delegate = nil   // the caller reports the failure itself
            transport.abort()          // closes the socket
            throw error
        }
        return transport
    }
}
