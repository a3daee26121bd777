import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Programs start, end and are cleaned up: the kill sequence, process groups, reaping, the
/// drain on SIGTERM, and nothing leaked after many connections.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct ProgramLifecycleTests {
    static var testcmd: String { Executables.path("wsgate-testcmd") }

    /// The pid of the `index`-th program wsgate started (its children, in pid order; the
    /// CONNECT line has no pid, as websocketd's). Waits until there are that many.
    static func programPID(_ gateway: GatewayProcess, connection index: Int = 0) throws -> Int32 {
        var programs: [Int32] = []
        _ = ProcessTable.wait(upTo: 10) {
            programs = ProcessTable.children(of: gateway.process.pid).map(\.pid).sorted()
            return programs.count > index
        }
        guard index < programs.count else { throw TestFailure("no program \(index) among \(programs)") }
        return programs[index]
    }

    /// The client leaves; the program ignores SIGINT and SIGTERM; websocketd's sequence
    /// (stdin closed, SIGINT, SIGTERM, SIGKILL) reaches it in that order and it is killed.
    @Test func aProgramIgnoringSignalsIsKilledInWebsocketdsOrder() throws {
        let gateway = try GatewayProcess([Self.testcmd, "signals"])
        let client = try gateway.openWebSocket()
        #expect(try client.readMessage().text == "ready")
        let pid = try Self.programPID(gateway)
        try client.send(FrameBytes.close(code: 1000))
        #expect(try client.readFrame().closeCode == 1000)
        let line = try gateway.process.waitForOutputLine(containing: "DISCONNECT")
        #expect(line.contains("status:'signal 9'"))
        let log = gateway.process.standardOutput
        let order = ["stdin closed", "got SIGINT", "got SIGTERM"].map { log.firstRange(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil }, "the program logs every step on stderr")
        if order.allSatisfy({ $0 != nil }) {
            #expect(order[0]! < order[1]! && order[1]! < order[2]!)
        }
        #expect(!ProcessTable.isRunning(pid))
    }

    /// websocketd #191: signals went to the child only, so `sh -c 'sleep 1000 & …'` left
    /// `sleep` running. The whole process group goes.
    @Test func aGrandchildIsGoneAfterTheClientLeaves() throws {
        let gateway = try GatewayProcess([Self.testcmd, "spawn-grandchild"])
        let client = try gateway.openWebSocket()
        let announced = try client.readMessage().text
        let grandchild = try #require(Int32(announced.split(separator: " ").last ?? ""))
        #expect(ProcessTable.isRunning(grandchild))
        client.close()
        try gateway.process.waitForOutputLine(containing: "DISCONNECT")
        #expect(ProcessTable.wait(upTo: 5) { !ProcessTable.isRunning(grandchild) })
    }

    /// The program exits at once but leaves a grandchild holding stdout: the output so far is
    /// delivered, the session closes with the program's status, and the grandchild is killed.
    @Test func aShellThatBackgroundsAJobStillEndsTheSession() throws {
        let gateway = try GatewayProcess(["/bin/sh", "-c", "sleep 1000 & echo started"])
        let client = try gateway.openWebSocket()
        #expect(try client.readMessage().text == "started")
        #expect(try client.readFrame().closeCode == 1000)
        try client.send(FrameBytes.close(code: 1000))
        // The program is gone by now: its pid (and group) from the DISCONNECT line.
        let disconnect = try gateway.process.waitForOutputLine(containing: "DISCONNECT")
        let start = try #require(disconnect.firstRange(of: "pid:'")?.upperBound)
        let pid = try #require(Int32(disconnect[start...].prefix { $0.isNumber }))
        #expect(ProcessTable.wait(upTo: 5) { ProcessTable.living(inGroup: pid).isEmpty })
    }

    @Test func manyConnectionsInARowLeaveNoZombieAndNoDescriptor() throws {
        let gateway = try GatewayProcess([Self.testcmd, "echo"])
        let wsgate = gateway.process.pid
        let descriptorsBefore = ProcessTable.openDescriptorCount(wsgate)
        // One full connection first: closed by the client (so wsgate's wait for its FIN ends at
        // once), it must leave nothing behind either.
        let warmUp = try gateway.openWebSocket()
        try warmUp.send(FrameBytes.close(code: 1000))
        _ = try warmUp.readFrame()
        #expect(try warmUp.waitForEOF())
        warmUp.close()
        #expect(ProcessTable.wait(upTo: 5) { ProcessTable.children(of: wsgate).isEmpty })
        #expect(ProcessTable.wait(upTo: 10) { ProcessTable.openDescriptorCount(wsgate) == descriptorsBefore })
        for round in 0..<200 {
            let client = try gateway.openWebSocket()
            try client.send(FrameBytes.text("round \(round)"))
            #expect(try client.readMessage().text == "round \(round)")
            if round % 2 == 0 {
                try client.send(FrameBytes.close(code: 1000))
                _ = try client.readFrame()
            }
            client.close()
        }
        #expect(ProcessTable.wait(upTo: 10) { ProcessTable.children(of: wsgate).isEmpty },
                "children left: \(ProcessTable.children(of: wsgate))")
        #expect(ProcessTable.zombieChildren(of: wsgate).isEmpty)
        #expect(ProcessTable.wait(upTo: 10) { ProcessTable.openDescriptorCount(wsgate) == descriptorsBefore },
                "descriptors: \(descriptorsBefore) before, \(ProcessTable.openDescriptorCount(wsgate)) after")
    }

    @Test func aHundredConcurrentConnectionsEachHaveTheirOwnProgram() throws {
        let gateway = try GatewayProcess([Self.testcmd, "pgid"])
        let clients = try (0..<100).map { _ in try gateway.openWebSocket() }
        var pids = Set<Substring>()
        for client in clients {
            let ids = try client.readMessage().text.split(separator: " ")
            pids.insert(ids[1])
            _ = try client.readMessage()  // the fds line
        }
        #expect(pids.count == 100)
        for (index, client) in clients.enumerated() {
            try client.send(FrameBytes.text("client \(index)"))
        }
        for (index, client) in clients.enumerated() {
            #expect(try client.readMessage().text == "client \(index)")
        }
    }

    /// SIGTERM to wsgate: clients get 1001, programs (even ones ignoring SIGTERM) go through
    /// the kill sequence, wsgate exits 0 and leaves no child behind.
    @Test func sigtermDrainsClientsAndProgramsThenExitsZero() throws {
        let gateway = try GatewayProcess([Self.testcmd, "signals"])
        let clients = try (0..<3).map { _ in try gateway.openWebSocket() }
        var pids: [Int32] = []
        for (index, client) in clients.enumerated() {
            #expect(try client.readMessage().text == "ready")
            pids.append(try Self.programPID(gateway, connection: index))
        }
        gateway.process.send(signal: SIGTERM)
        for client in clients {
            let close = try client.readFrame()
            #expect(close.closeCode == 1001)
            try client.send(FrameBytes.close(code: 1001))
        }
        #expect(try gateway.process.waitForExit(timeout: 20) == 0)
        for pid in pids { #expect(!ProcessTable.isRunning(pid)) }
    }

    /// A second SIGTERM exits at once, without waiting for the kill sequence: every program
    /// group still alive gets SIGKILL first, so a program that ignores SIGINT and SIGTERM does
    /// not outlive wsgate.
    @Test func aSecondSigtermKillsProgramsThatIgnoreSignalsBeforeExiting() throws {
        let gateway = try GatewayProcess([Self.testcmd, "signals"])
        let client = try gateway.openWebSocket()
        #expect(try client.readMessage().text == "ready")
        let pid = try Self.programPID(gateway)
        defer { if ProcessTable.isRunning(pid) { kill(-pid, SIGKILL) } }  // only if it survived: its pid may be reused
        gateway.process.send(signal: SIGTERM)
        try gateway.process.waitForOutputLine(containing: "Received SIGTERM: closing")
        gateway.process.send(signal: SIGTERM)
        try gateway.process.waitForOutputLine(containing: "Received SIGTERM again")
        #expect(try gateway.process.waitForExit() == 0)
        #expect(ProcessTable.wait(upTo: 10) { !ProcessTable.isRunning(pid) }, "program \(pid) outlived wsgate")
    }
}
