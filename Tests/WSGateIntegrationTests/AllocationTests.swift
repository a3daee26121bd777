import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

extension Trait where Self == ConditionTrait {
    /// The allocation counts are about the release binary: skipped where it was not built,
    /// except under `CI=true` (where `.ci/run` builds it first), where a missing one fails.
    static var releaseGatewayBuilt: Self {
        .enabled(if: access(AllocationCounter.releaseGateway, X_OK) == 0 || ReferencePeer.isCI,
                 "no release build at \(AllocationCounter.releaseGateway) (swift build -c release; with CI=true this suite fails instead)")
    }
}

/// The steady state of a relay allocates nothing per message (README, 'Performance'): the
/// release `wsgate` runs with every malloc counted, and a batch of round trips after a warm-up
/// must not add allocations. Before the write queue kept its scratch buffer and the loop
/// reused its arrays, `--echo` made 5 allocations per message and a `cat` program 10.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .releaseGatewayBuilt, .serialized) struct AllocationTests {
    static let warmUp = 200
    static let measured = 2000
    /// Allocations allowed for the whole measured batch: none per message, with room for a
    /// rare one-off (a buffer growing once) that is not per message.
    static let allowance: UInt64 = 10

    /// Round trips of `payload` as one message each; the reply may arrive in several messages
    /// (byte mode), so bytes are counted.
    static func roundTrips(_ client: TestClient, _ count: Int, payload: [UInt8], binary: Bool) throws {
        let frame = binary ? FrameBytes.binary(payload) : FrameBytes.text(String(decoding: payload, as: UTF8.self))
        for _ in 0..<count {
            try client.send(frame)
            var received = 0
            while received < payload.count {
                let message = try client.readFrame()
                #expect(message.payload == Array(payload[received..<(received + message.payload.count)]))
                received += message.payload.count
            }
        }
    }

    /// Allocations made by the gateway during `measured` round trips after a warm-up.
    static func allocationsPerBatch(_ arguments: [String], payload: [UInt8], binary: Bool = false) throws -> UInt64 {
        let counter = try AllocationCounter()
        let gateway = try GatewayProcess(arguments, environment: counter.environment, executable: AllocationCounter.releaseGateway)
        let client = try gateway.openWebSocket()
        try roundTrips(client, warmUp, payload: payload, binary: binary)
        let before = try counter.count()
        #expect(before > 0, "the counting library did not count (LD_PRELOAD not applied?)")
        try roundTrips(client, measured, payload: payload, binary: binary)
        return try counter.count() - before
    }

    static let text64 = Array(String(repeating: "0123456789abcdef", count: 4).utf8)

    @Test func echo() throws {
        let count = try Self.allocationsPerBatch(["--echo"], payload: Self.text64)
        #expect(count <= Self.allowance, "--echo: \(count) allocations for \(Self.measured) messages")
    }

    @Test func catInLineMode() throws {
        let count = try Self.allocationsPerBatch(["/bin/cat"], payload: Self.text64)
        #expect(count <= Self.allowance, "cat: \(count) allocations for \(Self.measured) messages")
    }

    @Test func catInByteMode() throws {
        let payload = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        let count = try Self.allocationsPerBatch(["--binary", "/bin/cat"], payload: payload, binary: true)
        #expect(count <= Self.allowance, "--binary cat: \(count) allocations for \(Self.measured) messages")
    }

    @Test func tcpBackend() throws {
        let backend = try TCPTestBackend(.echo)
        let count = try Self.allocationsPerBatch(["--binary", backend.gatewayArgument], payload: Self.text64, binary: true)
        #expect(count <= Self.allowance, "--tcp: \(count) allocations for \(Self.measured) messages")
    }

    /// `--health`: a check on a kept-alive connection allocates only what reading any request
    /// needs (its parsed head, the next head's timer): its answer is bytes made at start. A
    /// static file's or a 404's answer takes about 20 (release build, when this was written).
    @Test func healthCheck() throws {
        let counter = try AllocationCounter()
        let gateway = try GatewayProcess(["--echo", "--health=/health"], environment: counter.environment,
                                         executable: AllocationCounter.releaseGateway)
        let client = try gateway.connect()
        let check = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        // Within one connection's keep-alive budget (1000 requests).
        for _ in 0..<100 {
            try client.send(check)
            #expect(try client.readHTTPResponse().status == 200)
        }
        let before = try counter.count()
        let checks = 800
        for _ in 0..<checks {
            try client.send(check)
            #expect(try client.readHTTPResponse().body == "ok\n")
        }
        let count = try counter.count() - before
        #expect(count <= UInt64(3 * checks) + Self.allowance, "--health: \(count) allocations for \(checks) checks")
    }
}
