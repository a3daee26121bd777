import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// How sessions with a socket backend start and end (docs/behaviour.md, 'Socket backends'):
/// the backend refuses, hangs, greets and closes, resets, answers only after the client left,
/// or never answers.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websockifyInstalled) struct ComparisonLifecycleTests {
    /// "The backend closes: its remaining data is sent, then close 1000": the backend writes
    /// "hello\n" and closes at once. Both deliver the greeting in binary messages; websockify
    /// then closes 1000 "Target closed", wsgate 1000 (its reason is its own).
    @Test func aGreetingIsDeliveredThenBothClose1000() throws {
        let both = try onBoth(.greetThenClose("hello\n")) { server, _ in
            try Transcript.read(from: server.openWebSocket())
        }
        #expect(both.websockify.bytes == Array("hello\n".utf8))
        #expect(both.websockify.ending == .closeFrame(code: 1000, reason: "Target closed"))
        #expect(both.websockify.allBinary && !both.websockify.opcodes.isEmpty)
        #expect(both.wsgate.bytes == both.websockify.bytes)
        #expect(both.wsgate.allBinary && !both.wsgate.opcodes.isEmpty)
        #expect(both.wsgate.ending.code == 1000, "wsgate ended with \(both.wsgate.ending)")
    }

    /// (better) "502 for a backend that refuses or times out" versus websockify, whose
    /// upgrade succeeds (101) before it connects, then closes 1011 (docs/behaviour.md,
    /// 'Socket backends'): nothing listens on the backend port. websockify answers 101, then
    /// closes 1011 "Failed to connect to downstream server"; wsgate answers 502, and both log
    /// a line naming the backend and the error.
    @Test func betterARefusedBackendGets502FromWsgateAnd101Then1011FromWebsockify() throws {
        let port = try ReferenceGateway.freeLoopbackPort()
        let both = try onBoth { gateway -> (Int, Transcript?, String) in
            let server = try GatewayServer(gateway, target: .tcp(port: port))
            let client = try server.connect()
            let status = try client.upgrade(headers: [("Sec-WebSocket-Protocol", "binary")]).status
            let transcript = status == 101 ? try Transcript.read(from: client) : nil
            let line = try ProcessTable.waitForLine(in: { server.log }, containing: "127.0.0.1:\(port)", and: "refused")
            return (status, transcript, line)
        }
        #expect(both.websockify.0 == 101)
        #expect(both.websockify.1 == Transcript(
                                                ending: .closeFrame(code: 1011, reason: "Failed to connect to downstream server")))
        #expect(both.websockify.2.contains("Failed to connect to 127.0.0.1:\(port)"))
        #expect(both.wsgate.0 == 502)
        #expect(both.wsgate.1 == nil)
    }

    /// `--connect-timeout=MS` "socket backends: connect deadline, then HTTP 502" versus
    /// websockify, which has no connect deadline and connects only after its 101: the backend
    /// port has a full accept queue (listen backlog 0, already holding one connection), so
    /// the kernel drops further SYNs and a connect hangs. wsgate with
    /// `--connect-timeout=500` answers 502 and logs the backend; websockify answers 101 and
    /// then nothing at all for 3 s (its blocking connect retries SYNs for about two minutes).
    @Test func betterAHangingConnectGets502AfterTheTimeoutFromWsgateAndSilenceFromWebsockify() throws {
        let (listener, port) = try Self.fullListener()
        defer { close(listener.fd) }
        let both = try onBoth { gateway -> (Int, Transcript?, String) in
            let server = try GatewayServer(gateway, target: .tcp(port: port), flags: ["--connect-timeout=500"])
            let client = try server.connect()
            let status = try client.upgrade(headers: [("Sec-WebSocket-Protocol", "binary")]).status
            let transcript = status == 101 ? try Transcript.read(from: client, timeout: 3) : nil
            let line = gateway == .wsgate ? try server.process.waitForOutputLine(containing: "127.0.0.1:\(port):") : ""
            return (status, transcript, line)
        }
        #expect(both.websockify.0 == 101)
        #expect(both.websockify.1 == Transcript(ending: .timedOut))
        #expect(both.wsgate.0 == 502)
        #expect(both.wsgate.2.lowercased().contains("timed out"), "\(both.wsgate.2)")
        print("websockify comparison, hanging connect: wsgate logged \(both.wsgate.2)")
    }

    /// A socket listening on 127.0.0.1 with backlog 0 whose accept queue is already full
    /// (one connection, never accepted): further connects hang. Returns it (and the filler).
    static func fullListener() throws -> ((fd: Int32, filler: RawClient), Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 0) == 0 else { throw TestFailure("bind/listen: errno \(errno)") }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let filler = try RawClient(port: port)
        return ((fd, filler), port)
    }

    /// "The client closes: the backend gets shutdown(SHUT_WR)", its remaining answer is relayed,
    /// then the client's close is answered, versus websockify, which echoes the client's code and
    /// shuts the target down both ways (docs/behaviour.md, 'Socket backends'): the client sends
    /// "question\n", waits until the backend has it, then closes 1000; the backend answers
    /// "answer\n" only once it reads EOF. websockify answers the close at once (1000, no reason)
    /// and the answer is lost; wsgate delivers "answer\n" first, then its close reply.
    @Test func betterTheBackendsLastAnswerReachesTheClosingClientOnlyThroughWsgate() throws {
        let both = try onBoth(.answerAfterHalfClose("answer\n")) { server, backend -> (Transcript, TCPTestBackend.Connection) in
            let client = try server.openWebSocket()
            try client.send(FrameBytes.binary(Array("question\n".utf8)))
            try backend.waitForReceived(atLeast: 9)
            try client.send(FrameBytes.close(code: 1000))
            let transcript = try Transcript.read(from: client, answerClose: false)
            return (transcript, try backend.waitUntilClosed())
        }
        for (gateway, result) in [(Gateway.websockify, both.websockify), (.wsgate, both.wsgate)] {
            #expect(result.1.received == Array("question\n".utf8), "\(gateway)")
            #expect(result.1.sawEndOfInput, "\(gateway): the backend saw the gateway's EOF")
        }
        #expect(both.websockify.0 == Transcript(ending: .closeFrame(code: 1000, reason: "")))
        #expect(both.wsgate.0.bytes == Array("answer\n".utf8))
        #expect(both.wsgate.0.allBinary)
        #expect(both.wsgate.0.ending.code == 1000, "wsgate ended with \(both.wsgate.0.ending)")
    }

    /// "The client closes: … answered at most 1 s later" (README, "Socket backends"): the backend
    /// neither reads nor closes. The client's close is answered by both (websockify at once, wsgate
    /// once its 1 s grace for the backend's last answer has passed), well within 5 s.
    @Test func aClientsCloseIsAnsweredByBothWhenTheBackendNeverEnds() throws {
        let both = try onBoth(.neverRead) { server, backend -> Transcript in
            let client = try server.openWebSocket()
            try backend.waitForConnections()
            try client.send(FrameBytes.close(code: 1000))
            return try Transcript.read(from: client, timeout: 5, answerClose: false)
        }
        #expect(both.websockify == Transcript(ending: .closeFrame(code: 1000, reason: "")))
        #expect(both.wsgate.bytes == [])
        #expect(both.wsgate.ending.code == 1000, "wsgate ended with \(both.wsgate.ending)")
    }

    /// "A backend reset → close 1011 with a reason" versus a websockify defect:
    /// the backend resets (RST) after the client's first message. websockify drops the TCP
    /// connection without a close frame (a browser reports 1006; it logs "handler exception:
    /// [Errno 107] Transport endpoint is not connected", asynchronously, so not asserted);
    /// wsgate closes 1011 with a reason.
    @Test func betterABackendResetGives1011FromWsgateAndADropFromWebsockify() throws {
        let both = try onBoth(.resetAfterFirstRead) { server, backend -> (Transcript, String) in
            let client = try server.openWebSocket()
            try client.send(FrameBytes.binary([0x78]))
            try backend.waitUntilClosed()
            let transcript = try Transcript.read(from: client)
            return (transcript, server.log)
        }
        #expect(both.websockify.0 == Transcript(ending: .endOfStream))
        #expect(both.wsgate.0.bytes == [])
        #expect(both.wsgate.0.ending.code == 1011, "wsgate ended with \(both.wsgate.0.ending)")
        if case .closeFrame(_, let reason) = both.wsgate.0.ending {
            #expect(!reason.isEmpty)
        }
    }

    /// `--proxy-protocol` versus websockify, which has none (websockify #630: "target only sees
    /// 127.0.0.1"): the client sends "hello\n". Through websockify the backend's first line is that
    /// data; through wsgate it is `PROXY TCP4 127.0.0.1 127.0.0.1 <client port> <wsgate port>\r\n`,
    /// then the data.
    @Test func betterOnlyWsgateTellsTheBackendWhoTheClientIs() throws {
        let both = try onBoth(.recordProxyHeader, flags: ["--proxy-protocol"]) { server, backend -> (String, [UInt8], Int) in
            let client = try server.openWebSocket()
            try client.send(FrameBytes.binary(Array("hello\n".utf8)))
            let header = try backend.waitForProxyHeader()
            if server.gateway == .wsgate { try backend.waitForReceived(atLeast: header.utf8.count + 6) }
            return (header, backend.connection(0)?.received ?? [], server.port)
        }
        #expect(both.websockify.0 == "hello\n")
        let fields = both.wsgate.0.split(separator: " ")
        #expect(both.wsgate.0.hasSuffix("\r\n"))
        #expect(fields.count == 6, "\(both.wsgate.0.debugDescription)")
        if fields.count == 6 {
            #expect(Array(fields[0..<4]) == ["PROXY", "TCP4", "127.0.0.1", "127.0.0.1"])
            #expect(UInt16(fields[4]) != nil, "client port \(fields[4])")
            #expect(fields[5] == "\(both.wsgate.2)\r\n")
        }
        #expect(both.wsgate.1 == Array("hello\n".utf8))
    }
}
