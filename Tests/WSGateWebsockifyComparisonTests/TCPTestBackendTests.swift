import Glibc
import Testing
import WSGateTestSupport

/// TCPTestBackend itself (Tests/WSGateTestSupport), mode by mode, through a raw socket: the
/// comparison suites trust what it does and records. Needs neither websockify nor wsgate.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct TCPTestBackendTests {
    @Test func echoWritesBackEveryByteAndRecordsTheEOF() throws {
        let backend = try TCPTestBackend(.echo)
        let client = try RawClient(port: backend.port)
        try client.send("abc")
        #expect(client.receive(exactly: 3).bytes == Array("abc".utf8))
        client.shutdownWrite()
        #expect(client.receive(exactly: 1).failure == .endOfStream)
        let record = try backend.waitUntilClosed()
        #expect(record.received == Array("abc".utf8))
        #expect(record.sawEndOfInput && record.sent == 3 && record.error == nil)
        #expect(backend.acceptedCount == 1)
        #expect(backend.gatewayArgument == "--tcp=127.0.0.1:\(backend.port)")
    }

    @Test func lineEchoWritesBackWholeLinesThenTheRestAtEOF() throws {
        let backend = try TCPTestBackend(.lineEcho)
        let client = try RawClient(port: backend.port)
        try client.send("one\ntw")
        #expect(client.receive(exactly: 4).bytes == Array("one\n".utf8))
        try backend.waitForReceived(atLeast: 6)
        try client.send("o\r\nthree")
        #expect(client.receive(exactly: 5).bytes == Array("two\r\n".utf8))
        client.shutdownWrite()
        let rest = client.receive(exactly: 6)
        #expect(rest.bytes == Array("three".utf8))
        #expect(rest.failure == .endOfStream)
    }

    /// The greeting, then a FIN (not an RST), and the backend reads what still comes.
    @Test func greetThenCloseSendsTheTextThenEndsItsSide() throws {
        let backend = try TCPTestBackend(.greetThenClose("hello\n"))
        let client = try RawClient(port: backend.port)
        let greeting = client.receive(exactly: 7)
        #expect(greeting.bytes == Array("hello\n".utf8))
        #expect(greeting.failure == .endOfStream)
        try client.send("late")
        client.close()
        let record = try backend.waitUntilClosed()
        #expect(record.received == Array("late".utf8))
        #expect(record.finishedSending && record.sawEndOfInput)
    }

    @Test func resetSendsAnRSTAtOnce() throws {
        let backend = try TCPTestBackend(.reset)
        let client = try RawClient(port: backend.port)
        try backend.waitUntilClosed()
        #expect(client.receive(exactly: 1).failure == .reset)
    }

    @Test func resetAfterFirstReadWaitsForTheFirstBytes() throws {
        let backend = try TCPTestBackend(.resetAfterFirstRead)
        let client = try RawClient(port: backend.port)
        try backend.waitForConnections()
        #expect(backend.connection(0)?.closed == false)
        try client.send("x")
        #expect(try backend.waitUntilClosed().received == [0x78])
        #expect(client.receive(exactly: 1).failure == .reset)
    }

    /// Nothing before the half-close, the answer after it.
    @Test func answerAfterHalfCloseAnswersOnlyAfterEOF() throws {
        let backend = try TCPTestBackend(.answerAfterHalfClose("answer\n"))
        let client = try RawClient(port: backend.port)
        try client.send("question\n")
        try backend.waitForReceived(atLeast: 9)
        #expect(backend.connection(0)?.sent == 0)
        client.shutdownWrite()
        let answer = client.receive(exactly: 8)
        #expect(answer.bytes == Array("answer\n".utf8))
        #expect(answer.failure == .endOfStream)
        #expect(try backend.waitUntilClosed().received == Array("question\n".utf8))
    }

    /// A reader that reads nothing stalls the flood (it does not finish); what the client
    /// sends meanwhile is still recorded; then every byte arrives in the pattern.
    @Test func floodStallsOnAClientThatDoesNotReadAndKeepsReading() throws {
        let total = 30_000_000
        let backend = try TCPTestBackend(.flood(total))
        let client = try RawClient(port: backend.port)
        let stall = try backend.waitForSendingToStall(quietSeconds: 0.5)
        #expect(!stall.finishedSending)
        #expect(stall.sent > 0 && stall.sent < total)
        try client.send("during")
        #expect(try backend.waitForReceived(atLeast: 6) == Array("during".utf8))
        let period = TCPTestBackend.floodPeriod
        let pattern = TCPTestBackend.floodBytes(from: 0, count: 65536 + period)
        var offset = 0
        while offset < total {
            guard case .success(let bytes) = client.receive() else { break }
            if !bytes.elementsEqual(pattern[offset % period..<offset % period + bytes.count]) {
                Issue.record("bytes \(offset)..<\(offset + bytes.count) are not the pattern")
                break
            }
            offset += bytes.count
        }
        #expect(offset == total)
        #expect(try backend.waitForSendingToStall(quietSeconds: 0.5).finishedSending)
        // flood keeps the connection open after the last byte.
        #expect(client.receive(maximum: 1, timeout: 0.2) == .failure(.timedOut))
    }

    @Test func floodThenCloseEndsItsSideAfterTheLastByte() throws {
        let backend = try TCPTestBackend(.floodThenClose(1_000_000))
        let client = try RawClient(port: backend.port)
        let all = client.receive(exactly: 1_000_001)
        #expect(all.bytes == TCPTestBackend.floodBytes(from: 0, count: 1_000_000))
        #expect(all.failure == .endOfStream)
    }

    @Test func neverReadStopsTakingBytes() throws {
        let backend = try TCPTestBackend(.neverRead)
        let client = try RawClient(port: backend.port)
        try backend.waitForConnections()
        let sent = client.sendUntilStalled([UInt8](repeating: 1, count: 65536), limit: 256 << 20, stallSeconds: 0.5)
        #expect(sent > 0 && sent < 64 << 20, "sent \(sent)")
        #expect(backend.connection(0)?.receivedCount == 0)
    }

    @Test func recordProxyHeaderKeepsTheFirstLineThenEchoes() throws {
        let backend = try TCPTestBackend(.recordProxyHeader)
        let client = try RawClient(port: backend.port)
        try client.send("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\nhel")
        try client.send("lo")
        #expect(try backend.waitForProxyHeader() == "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n")
        #expect(client.receive(exactly: 5).bytes == Array("hello".utf8))
        #expect(try backend.waitForReceived(atLeast: 50) == Array("hello".utf8))
    }

    /// A first line longer than PROXY v1 allows is recorded cut at 107 bytes; the rest is data.
    @Test func recordProxyHeaderCutsAnOverlongFirstLine() throws {
        let backend = try TCPTestBackend(.recordProxyHeader)
        let client = try RawClient(port: backend.port)
        try client.send(String(repeating: "a", count: 110) + "\n")
        #expect(try backend.waitForProxyHeader() == String(repeating: "a", count: 107))
        #expect(client.receive(exactly: 4).bytes == Array("aaa\n".utf8))
    }

    @Test func aUnixSocketBackendEchoesAndStopRemovesItsFile() throws {
        let path = TCPTestBackend.temporaryUnixPath()
        let backend = try TCPTestBackend(.echo, unixPath: path)
        #expect(backend.gatewayArgument == "--unix=\(path)")
        #expect(backend.port == 0)
        let client = try RawClient(unixPath: path)
        try client.send("unix")
        #expect(client.receive(exactly: 4).bytes == Array("unix".utf8))
        backend.stop()
        #expect(access(path, F_OK) != 0)
        #expect(client.receive(exactly: 1).failure == .endOfStream)
    }

    /// stop() ends open connections, counts stay, and nothing listens any more.
    @Test func stopClosesEverything() throws {
        let backend = try TCPTestBackend(.neverRead)
        let first = try RawClient(port: backend.port)
        let second = try RawClient(port: backend.port)
        try backend.waitForConnections(2)
        backend.stop()
        #expect(first.receive(exactly: 1).failure == .endOfStream)
        #expect(second.receive(exactly: 1).failure == .endOfStream)
        #expect(backend.acceptedCount == 2)
        #expect(backend.connections.allSatisfy { $0.closed })
        #expect(throws: TestFailure.self) { try RawClient(port: backend.port) }
        backend.stop()  // idempotent
    }

    /// A wait that cannot be met throws a failure naming what it waited for.
    @Test func aWaitThatTimesOutSaysWhat() throws {
        let backend = try TCPTestBackend(.echo)
        #expect(throws: TestFailure.self) { try backend.waitForConnections(1, timeout: 0.1) }
    }
}
