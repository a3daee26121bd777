import Glibc
import Testing
import WSGateCore
import WSGatePosix

/// A plain blocking IPv4 TCP client made with the C API, so the gateway's socket code is
/// checked against an independent peer. Closed by the caller.
private func connectBlockingClient(to port: Int) -> Int32 {
    let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    #expect(result == 0, "connect: \(IOError.message(errno))")
    return client
}

/// The local port of a raw socket.
private func localPort(_ raw: Int32) -> Int {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(raw, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

private func write(_ text: String, to descriptor: FileDescriptor) throws -> IOResult<Int> {
    try Array(text.utf8).withUnsafeBytes { try descriptor.write($0) }
}

/// 127.0.0.1, port 0 (the kernel picks a free port).
private func loopback() throws -> SocketAddress {
    try #require(SocketAddress(ipLiteral: "127.0.0.1", port: 0))
}

@Suite(.timeLimit(.minutes(10))) struct SocketTests {
    // MARK: - Listening and accepting

    @Test func aListenerOnPortZeroGetsARealPort() throws {
        let listener = try Socket.listen(on: loopback())
        defer { listener.close() }
        let bound = try #require(try Socket.localAddress(listener))
        #expect(bound.host == "127.0.0.1")
        #expect(bound.port != 0)
        #expect(!bound.isIPv6)
        #expect(isNonBlocking(listener.rawValue))
        #expect(isCloseOnExec(listener.rawValue))
    }

    @Test func acceptReturnsTheConnectedPeerNonBlockingAndCloseOnExec() throws {
        let listener = try Socket.listen(on: loopback())
        defer { listener.close() }
        let port = try #require(try Socket.localAddress(listener)).port
        let client = connectBlockingClient(to: port)
        defer { close(client) }

        #expect(isReadable(listener.rawValue, waitingUpTo: 10_000), "the connection is queued")
        guard case .processed(let (accepted, peer)) = try Socket.accept(listener) else {
            Issue.record("accept found no pending connection")
            return
        }
        defer { accepted.close() }
        #expect(peer?.host == "127.0.0.1")
        #expect(peer?.port == localPort(client))
        #expect(peer?.isIPv6 == false)
        #expect(isNonBlocking(accepted.rawValue))
        #expect(isCloseOnExec(accepted.rawValue))
        #expect(try Socket.localAddress(accepted) == SocketAddress(ipLiteral: "127.0.0.1", port: port))

        // The accepted descriptor carries the client's bytes.
        #expect(Glibc.write(client, "ping", 4) == 4)
        #expect(isReadable(accepted.rawValue, waitingUpTo: 10_000))
        var buffer = ByteBuffer()
        #expect(try accepted.read(into: &buffer, maxBytes: 64) == .processed(4))
        #expect(buffer.readableBytesArray == Array("ping".utf8))
    }

    /// Regression: an IPv4 client of the dual-stack "all interfaces" listener was reported as
    /// `::ffff:127.0.0.1`; websocketd (and CGI's REMOTE_ADDR) say `127.0.0.1`.
    @Test(.enabled(if: Socket.supportsIPv6)) func anIPv4ClientOfADualStackListenerIsReportedAsIPv4() throws {
        var options = Socket.ListenOptions()
        options.dualStack = true
        let listener = try Socket.listen(on: .anyIPv6(port: 0), options: options)
        defer { listener.close() }
        let port = try #require(try Socket.localAddress(listener)).port
        let client = connectBlockingClient(to: port)
        defer { close(client) }
        #expect(isReadable(listener.rawValue, waitingUpTo: 10_000))
        guard case .processed(let (accepted, peer)) = try Socket.accept(listener) else {
            Issue.record("accept found no pending connection")
            return
        }
        defer { accepted.close() }
        #expect(peer?.host == "127.0.0.1")
        #expect(peer?.isIPv6 == false)
        #expect(peer?.port == localPort(client))
    }

    @Test func acceptWithNothingPendingWouldBlock() throws {
        let listener = try Socket.listen(on: loopback())
        defer { listener.close() }
        guard case .wouldBlock = try Socket.accept(listener) else {
            Issue.record("accept returned a connection nobody made")
            return
        }
    }

    @Test func aSecondListenerOnTheSamePortFailsWithAddressInUse() throws {
        let first = try Socket.listen(on: loopback())
        defer { first.close() }
        let taken = try #require(try Socket.localAddress(first))
        do {
            let second = try Socket.listen(on: taken)
            second.close()
            Issue.record("two listeners bound \(taken)")
        } catch {
            #expect(error.errno == IOError.Code.addressInUse)
            #expect(error.function == "bind")
            #expect(error.description == "bind: \(IOError.message(IOError.Code.addressInUse))")
        }
    }

    @Test func reusePortLetsTwoListenersShareAPort() throws {
        var options = Socket.ListenOptions()
        options.reusePort = true
        let first = try Socket.listen(on: loopback(), options: options)
        defer { first.close() }
        let taken = try #require(try Socket.localAddress(first))
        let second = try Socket.listen(on: taken, options: options)
        defer { second.close() }
        #expect(try Socket.localAddress(second) == taken)
    }

    @Test func listenOptionsDefaultToAPrivatePortAndALargeBacklog() {
        let options = Socket.ListenOptions()
        #expect(options.backlog == 1024)
        #expect(!options.reusePort)
        #expect(!options.dualStack)
    }

    @Test func noDelayIsSwitchedOnForAcceptedTCPSockets() throws {
        let listener = try Socket.listen(on: loopback())
        defer { listener.close() }
        let client = connectBlockingClient(to: try #require(try Socket.localAddress(listener)).port)
        defer { close(client) }
        #expect(isReadable(listener.rawValue, waitingUpTo: 10_000))
        guard case .processed(let (accepted, _)) = try Socket.accept(listener) else {
            Issue.record("accept found no pending connection")
            return
        }
        defer { accepted.close() }
        #expect(socketOption(accepted.rawValue, Int32(IPPROTO_TCP), TCP_NODELAY) == 0)
        try Socket.setNoDelay(accepted)
        #expect(socketOption(accepted.rawValue, Int32(IPPROTO_TCP), TCP_NODELAY) != 0)
    }

    // MARK: - Socket pairs, reading and writing

    @Test func aPairCarriesBytesBothWays() throws {
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        #expect(isNonBlocking(a.rawValue) && isNonBlocking(b.rawValue))
        #expect(isCloseOnExec(a.rawValue) && isCloseOnExec(b.rawValue))

        #expect(try write("hello", to: a) == .processed(5))
        var buffer = ByteBuffer()
        #expect(try b.read(into: &buffer, maxBytes: 100) == .processed(5))
        #expect(buffer.readableBytesArray == Array("hello".utf8))

        #expect(try write("back", to: b) == .processed(4))
        var other = ByteBuffer()
        #expect(try a.read(into: &other, maxBytes: 100) == .processed(4))
        #expect(other.readableBytesArray == Array("back".utf8))
    }

    @Test func readingWithNothingToReadWouldBlock() throws {
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        var buffer = ByteBuffer(string: "kept")
        #expect(try b.read(into: &buffer, maxBytes: 16) == .wouldBlock)
        #expect(buffer.readableBytesArray == Array("kept".utf8))
    }

    @Test func readTakesAtMostMaxBytesAndAppendsToTheBuffer() throws {
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        #expect(try write("0123456789", to: a) == .processed(10))
        var buffer = ByteBuffer(string: ">")
        #expect(try b.read(into: &buffer, maxBytes: 4) == .processed(4))
        #expect(buffer.readableBytesArray == Array(">0123".utf8))
        #expect(try b.read(into: &buffer, maxBytes: 100) == .processed(6))
        #expect(buffer.readableBytesArray == Array(">0123456789".utf8))
    }

    @Test func readReturnsZeroAtEndOfFileAfterThePeerClosed() throws {
        let (a, b) = try Socket.pair()
        defer { b.close() }
        #expect(try write("last", to: a) == .processed(4))
        a.close()
        var buffer = ByteBuffer()
        #expect(try b.read(into: &buffer, maxBytes: 100) == .processed(4), "data before the EOF comes first")
        #expect(try b.read(into: &buffer, maxBytes: 100) == .processed(0))
        #expect(try b.read(into: &buffer, maxBytes: 100) == .processed(0))
        #expect(buffer.readableBytesArray == Array("last".utf8))
    }

    @Test func shutdownWriteSendsEndOfFileButKeepsReading() throws {
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        try Socket.shutdownWrite(a)
        var buffer = ByteBuffer()
        #expect(try b.read(into: &buffer, maxBytes: 10) == .processed(0))
        // MSG_NOSIGNAL: if `a` had shut its reading side instead, this must fail, not SIGPIPE.
        #expect(send(b.rawValue, "still", 5, Int32(MSG_NOSIGNAL)) == 5)
        #expect(try a.read(into: &buffer, maxBytes: 10) == .processed(5))
        #expect(buffer.readableBytesArray == Array("still".utf8))
    }

    @Test func aSmallerSendBufferIsSmallerInTheKernel() throws {
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        try Socket.setSendBufferSize(a, 1 << 20)
        let large = socketOption(a.rawValue, SOL_SOCKET, SO_SNDBUF)
        try Socket.setSendBufferSize(a, 4096)
        let small = socketOption(a.rawValue, SOL_SOCKET, SO_SNDBUF)
        #expect(small > 0)
        #expect(small < large)
    }
}
