import Dispatch
import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// A room whose program floods 16 MiB of 64-byte lines, one client reading and one that stops
/// reading, under each `--slow-client` policy with `--room-queue=256 KiB`: the reader gets
/// every line (at once under disconnect and drop, once the slow one reads under block), the
/// slow one is closed, loses messages or gets everything, and wsgate's memory stays bounded.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct SlowRoomClientTests {
    static let floodBytes = 16 << 20
    /// 64-byte lines: 63 bytes of payload and a 2-byte header each.
    static var lineCount: Int { floodBytes / 64 }
    static let frameBytes = 65

    /// The room program waits for a line, so both clients are in before the flood.
    static func startRoom(policy: String) throws -> (GatewayProcess, reader: TestClient, slow: TestClient) {
        let flood = Executables.path("wsgate-testcmd") + " flood \(floodBytes)"
        let gateway = try GatewayProcess(["--broadcast", "--room-queue=262144", "--slow-client=\(policy)",
                                          "--loglevel=debug", "--metrics=/metrics", "/bin/sh", "-c", "read go; exec \(flood)"])
        let slow = try gateway.openWebSocket(path: "/flood")
        let reader = try gateway.openWebSocket(path: "/flood")
        return (gateway, reader, slow)
    }

    /// Reads to EOF; returns the data frames seen and the close code.
    /// Reads both clients at once: the reader from now, the slow client from the moment the
    /// gateway logs `slowAfter`. The results by index: 0 the reader, 1 the slow client (absent
    /// if its read failed).
    static func readBoth(reader: TestClient, slow: TestClient, slowAfter line: String, on gateway: GatewayProcess,
                         timeout: Double) -> [Int: (messages: Int, closeCode: UInt16?)] {
        let lock = GuardedState<[Int: (messages: Int, closeCode: UInt16?)]>([:])
        nonisolated(unsafe) let clients = (reader: reader, slow: slow, gateway: gateway)
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let result: (messages: Int, closeCode: UInt16?)?
            if index == 0 {
                result = try? readAll(clients.reader)
            } else {
                _ = try? clients.gateway.process.waitForOutputLine(containing: line, timeout: timeout)
                result = try? readAll(clients.slow)
            }
            lock.update { $0[index] = result }
        }
        return lock.withLock { $0 }
    }

    static func readAll(_ client: TestClient) throws -> (messages: Int, closeCode: UInt16?) {
        var bytes: [UInt8] = []
        while true {
            let chunk = try client.readAvailable(timeout: 30)
            if chunk.isEmpty {
                let frames = ServerFrames.decode(bytes)
                let close = frames.first { $0.opcode == WebSocketOpcode.close.rawValue && $0.payload.count >= 2 }
                let messages = frames.count { $0.opcode == WebSocketOpcode.text.rawValue || $0.opcode == WebSocketOpcode.binary.rawValue }
                return (messages, close.map { UInt16($0.payload[0]) << 8 | UInt16($0.payload[1]) })
            }
            bytes += chunk
        }
    }

    /// The slow client reads from the moment wsgate disconnects it: wsgate's close frame waits
    /// behind what was queued, and a client that takes no bytes for the close timeout (5 s) is
    /// cut off without it, so reading only after the reader's 16 MiB would race that timer.
    @Test func disconnectClosesTheSlowClientWith1008AndTheReaderGetsEverything() throws {
        let (gateway, reader, slow) = try Self.startRoom(policy: "disconnect")
        let before = try #require(gateway.process.residentKilobytes)
        try reader.send(FrameBytes.text("go"))
        let results = Self.readBoth(reader: reader, slow: slow, slowAfter: "closed with 1008", on: gateway, timeout: 120)
        let seen = try #require(results[0])
        let slowSeen = try #require(results[1])
        #expect(seen.messages == Self.lineCount)
        #expect(seen.closeCode == 1000)
        let peak = try #require(gateway.process.peakResidentKilobytes)
        expectRSSGrowth(from: before, to: peak, below: 8 * 1024, "a 16 MiB flood with a 256 KiB room queue")
        #expect(slowSeen.closeCode == 1008)
        #expect(slowSeen.messages < Self.lineCount)
        let scrape = try MetricsScrape(try gateway.connect())
        #expect(scrape["wsgate_room_slow_disconnects_total"] == "1")
        #expect(scrape["wsgate_room_messages_dropped_total"] == "0")
    }

    @Test func dropLosesMessagesForTheSlowClientOnly() throws {
        let (gateway, reader, slow) = try Self.startRoom(policy: "drop")
        let before = try #require(gateway.process.residentKilobytes)
        try reader.send(FrameBytes.text("go"))
        // The slow client reads once dropping began, alongside the reader: its close waits
        // behind what was queued, and the close timer would cut a client still not reading.
        let results = Self.readBoth(reader: reader, slow: slow, slowAfter: "dropping its messages", on: gateway, timeout: 120)
        let seen = try #require(results[0])
        let slowSeen = try #require(results[1])
        #expect(seen.messages == Self.lineCount)
        #expect(seen.closeCode == 1000)
        let peak = try #require(gateway.process.peakResidentKilobytes)
        expectRSSGrowth(from: before, to: peak, below: 8 * 1024, "a 16 MiB flood with a 256 KiB room queue")
        #expect(slowSeen.messages < Self.lineCount)
        #expect(slowSeen.closeCode == 1008, "it lost messages: never 1000")
        try gateway.process.waitForOutputLine(containing: "messages dropped")
        // Every line the slow client did not get is counted, exactly.
        let scrape = try MetricsScrape(try gateway.connect())
        #expect(scrape["wsgate_room_messages_dropped_total"] == String(Self.lineCount - slowSeen.messages))
        #expect(scrape["wsgate_room_slow_disconnects_total"] == "0")
    }

    /// block: the slow client starts reading only once wsgate says the backend waits for it;
    /// both get every line and 1000.
    @Test func blockDeliversEverythingToBoth() throws {
        let (gateway, reader, slow) = try Self.startRoom(policy: "block")
        let before = try #require(gateway.process.residentKilobytes)
        try reader.send(FrameBytes.text("go"))
        let results = Self.readBoth(reader: reader, slow: slow, slowAfter: "Backend paused until", on: gateway, timeout: 30)
        #expect(results.count == 2)
        for (_, result) in results {
            #expect(result.messages == Self.lineCount)
            #expect(result.closeCode == 1000)
        }
        let peak = try #require(gateway.process.peakResidentKilobytes)
        expectRSSGrowth(from: before, to: peak, below: 8 * 1024, "a 16 MiB flood with a 256 KiB room queue")
    }
}
