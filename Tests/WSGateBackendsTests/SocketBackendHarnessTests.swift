import Glibc
import Testing
import WSGateBackends
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateTestSupport

/// Records the connector's one completion.
final class ConnectResult {
    var results: [Result<(FileDescriptor, SocketAddress), IOError>] = []
    var socket: FileDescriptor? {
        if case .success(let (socket, _)) = results.first { return socket }
        return nil
    }
    var error: IOError? {
        if case .failure(let error) = results.first { return error }
        return nil
    }
}

/// `SocketConnector` and `SocketEndpoint` on a harness loop against real loopback TCP: a
/// connect that succeeds, one refused, one that never answers (the deadline fired by the
/// clock to the millisecond), and a backend that closes, half-closes or resets.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct SocketBackendHarnessTests {
    static func connect(_ addresses: [SocketAddress], timeout: Int, on harness: LoopHarness) -> (SocketConnector, ConnectResult) {
        let result = ConnectResult()
        let connector = SocketConnector(addresses: addresses, timeoutMilliseconds: timeout, loop: harness.loop) {
            result.results.append($0)
        }
        return (connector, result)
    }

    /// Connects, accepts and starts a `SocketEndpoint` on the connected socket.
    static func endpoint(preamble: ByteBuffer? = nil) throws -> (LoopHarness, SocketEndpoint, EndpointRecorder, PeerSocket) {
        let harness = try LoopHarness()
        let listener = try LoopbackListener()
        let (connector, result) = connect([listener.address], timeout: 3000, on: harness)
        let backend = try listener.accept()
        try harness.tick(until: "connected") { !result.results.isEmpty }
        guard let socket = result.socket else { throw TestFailure("connect failed: \(String(describing: result.error))") }
        _ = connector
        let endpoint = SocketEndpoint(socket: socket, loop: harness.loop, preamble: preamble)
        let recorder = EndpointRecorder()
        endpoint.delegate = recorder
        endpoint.start()
        return (harness, endpoint, recorder, backend)
    }

    @Test func connectsToALoopbackListenerWithNoDelay() throws {
        let harness = try LoopHarness()
        let listener = try LoopbackListener()
        let (connector, result) = Self.connect([listener.address], timeout: 3000, on: harness)
        let backend = try listener.accept()
        try harness.tick(until: "completion") { !result.results.isEmpty }
        guard case .success(let (socket, address)) = result.results.first else {
            Issue.record("connect failed: \(String(describing: result.error))")
            return
        }
        defer { socket.close() }
        #expect(address == listener.address)
        var noDelay: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(socket.rawValue, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, &length)
        #expect(noDelay == 1)
        #expect(harness.loop.registrationCount == 0, "the connector let go of the socket")
        try backend.writeAll([1, 2, 3])
        #expect(LoopbackListener.waitReadable(socket.rawValue))
        var bytes = [UInt8](repeating: 0, count: 8)
        #expect(Glibc.read(socket.rawValue, &bytes, 8) == 3)
        #expect(Array(bytes.prefix(3)) == [1, 2, 3])
        // The deadline was cancelled: the completion never comes twice.
        try harness.advance(milliseconds: 3000)
        #expect(result.results.count == 1)
        _ = connector
    }

    @Test func aRefusedPortFailsWithConnectionRefused() throws {
        let harness = try LoopHarness()
        let refused = try LoopbackListener.refusedAddress()
        let (connector, result) = Self.connect([refused], timeout: 3000, on: harness)
        try harness.tick(until: "completion") { !result.results.isEmpty }
        #expect(result.error?.errno == ECONNREFUSED)
        #expect(harness.loop.registrationCount == 0)
        try harness.advance(milliseconds: 3000)
        #expect(result.results.count == 1)
        _ = connector
    }

    /// Addresses are tried in order: a refused one, then one that answers.
    @Test func aRefusedAddressIsFollowedByTheNext() throws {
        let harness = try LoopHarness()
        let listener = try LoopbackListener()
        let refused = try LoopbackListener.refusedAddress()
        let (connector, result) = Self.connect([refused, listener.address], timeout: 3000, on: harness)
        try harness.tick(until: "completion") { !result.results.isEmpty }
        let backend = try listener.accept()
        guard case .success(let (socket, address)) = result.results.first else {
            Issue.record("connect failed: \(String(describing: result.error))")
            return
        }
        socket.close()
        #expect(address == listener.address)
        _ = (connector, backend)
    }

    /// A listener whose accept queue is full drops the SYN, so the connect hangs: the
    /// deadline ends it exactly when the clock reaches it, with ETIMEDOUT.
    @Test func theDeadlineFiresToTheMillisecond() throws {
        let harness = try LoopHarness()
        let listener = try LoopbackListener(backlog: 0)
        let filler = try listener.fillAcceptQueue()
        defer { filler.close() }
        let (connector, result) = Self.connect([listener.address], timeout: 3000, on: harness)
        try harness.tick(5)
        #expect(result.results.isEmpty, "the SYN was dropped: nothing can complete yet")
        try harness.advance(milliseconds: 2999)
        #expect(result.results.isEmpty)
        try harness.advance(milliseconds: 1)
        #expect(result.error == IOError(errno: ETIMEDOUT, function: "connect (after 3000 ms)"))
        #expect(harness.loop.registrationCount == 0, "the pending socket is closed")
        _ = connector
    }

    /// Cancelled (the client left): the completion never comes, not even at the deadline.
    @Test func aCancelledConnectNeverCompletes() throws {
        let harness = try LoopHarness()
        let listener = try LoopbackListener(backlog: 0)
        let filler = try listener.fillAcceptQueue()
        defer { filler.close() }
        let (connector, result) = Self.connect([listener.address], timeout: 3000, on: harness)
        connector.cancel()
        #expect(harness.loop.registrationCount == 0)
        try harness.advance(milliseconds: 3000)
        #expect(result.results.isEmpty)
    }

    /// The preamble (a PROXY line) goes before the relayed bytes; the backend's answer and
    /// close end the endpoint with `finished`.
    @Test func preambleFirstThenBytesThenTheBackendCloses() throws {
        let (harness, endpoint, recorder, backend) = try Self.endpoint(preamble: ByteBuffer(string: "PROXY UNKNOWN\r\n"))
        endpoint.write(ByteBuffer(bytes: [1, 2]))
        endpoint.write(minimumCapacity: 1) { $0.writeInteger(UInt8(3)) }
        try harness.tick(until: "bytes at the backend") { try backend.read(); return backend.received.count >= 18 }
        #expect(backend.received == Array("PROXY UNKNOWN\r\n".utf8) + [1, 2, 3])
        try backend.writeAll([7, 8, 9])
        backend.close()
        try harness.tick(until: "finished") { recorder.events.last == "finish" }
        #expect(recorder.output == [7, 8, 9])
        #expect(recorder.distinctEvents == ["output", "end finished", "finish"])
        #expect(endpoint.endDescription == "backend closed")
    }

    /// The client closing half-closes the backend after what was queued; the backend can still
    /// answer, and its close ends the endpoint normally.
    @Test func clientClosingHalfClosesAndTheAnswerStillComes() throws {
        let (harness, endpoint, recorder, backend) = try Self.endpoint()
        endpoint.write(ByteBuffer(bytes: Array("last\n".utf8)))
        #expect(endpoint.clientIsClosing(), "a socket relays its answer after the client's close")
        try harness.tick(until: "EOF at the backend") { try backend.read(); return backend.sawEOF }
        #expect(backend.received == Array("last\n".utf8))
        try backend.writeAll(Array("ok\n".utf8))
        try backend.shutdownWrite()
        try harness.tick(until: "finished") { recorder.events.last == "finish" }
        #expect(recorder.output == Array("ok\n".utf8))
        #expect(recorder.distinctEvents == ["output", "end finished", "finish"])
    }

    /// The client is gone: the backend gets EOF at once; no outcome is reported, only the end.
    @Test func clientGoneClosesTheBackend() throws {
        let (harness, endpoint, recorder, backend) = try Self.endpoint()
        endpoint.clientIsGone()
        try harness.tick(until: "EOF at the backend") { try backend.read(); return backend.sawEOF }
        backend.close()
        try harness.tick(until: "finished") { recorder.events.last == "finish" }
        #expect(recorder.events == ["finish"])
        #expect(endpoint.endDescription == "closed by the gateway")
    }

    /// A backend that resets (SO_LINGER 0, then close): output already read was delivered,
    /// then the failure with the system's reason, then the end.
    @Test func aResetIsAFailureWithItsReason() throws {
        let (harness, endpoint, recorder, backend) = try Self.endpoint()
        try backend.writeAll([5, 6])
        try harness.tick(until: "output") { recorder.output.count == 2 }
        var abortive = linger(l_onoff: 1, l_linger: 0)
        setsockopt(backend.descriptor.rawValue, SOL_SOCKET, SO_LINGER, &abortive, socklen_t(MemoryLayout<linger>.size))
        backend.close()
        try harness.tick(until: "finished") { recorder.events.last == "finish" }
        #expect(recorder.events == ["output", "end failed: backend: Connection reset by peer", "finish"])
        #expect(endpoint.endDescription == "backend: Connection reset by peer")
    }
}
