import Testing
import WSGateTestSupport

/// Thousands of clients that connect and never finish the TLS handshake (a slowloris on the
/// handshake): each costs a bounded amount until the 10 s deadline drops it, and a good client
/// is served meanwhile.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .tlsClientsInstalled)
struct TLSStalledHandshakeTests {
    /// Under a sanitizer, where memory is not asserted, fewer make the same point faster.
    static let stalledCount = Sanitizers.areActive ? 300 : 2000

    @Test func stalledHandshakesDoNotBlockAGoodClientAndAreAllDropped() throws {
        let gateway = try GatewayProcess(TLSTests.tlsFlags + ["--echo"])
        let pid = gateway.process.pid
        let descriptorsBefore = ProcessTable.openDescriptorCount(pid)
        let memoryBefore = try #require(ProcessTable.residentKilobytes(of: pid))
        var stalled: [TestClient] = []
        for index in 0..<Self.stalledCount {
            let client = try gateway.connect()
            // Half say nothing; half announce a 512-byte handshake message that never comes
            // (OpenSSL then holds a record buffer for it).
            if index % 2 == 1 { try client.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]) }
            stalled.append(client)
        }
        #expect(ProcessTable.wait(upTo: 30) {
            ProcessTable.openDescriptorCount(pid) >= descriptorsBefore + Self.stalledCount
        }, "every stalled client accepted")
        let memoryDuring = try #require(ProcessTable.residentKilobytes(of: pid))
        expectRSSGrowth(from: memoryBefore, to: memoryDuring, below: Self.stalledCount * 40,
                        "for \(Self.stalledCount) stalled handshakes (40 KiB each at most)")

        let client = try TLSTests.python(TLSTests.websocketsClient, [String(gateway.port), TLSFixtures.caCertificate, "served"])
        #expect(try client.waitForExit(timeout: 60) == 0, "\(client.standardError)")
        #expect(client.standardOutput == "reply: served\n")

        for connection in stalled { #expect(try connection.waitForEOF(timeout: 60)) }
        #expect(ProcessTable.wait(upTo: 30) { ProcessTable.openDescriptorCount(pid) == descriptorsBefore },
                "every stalled client's descriptor closed")
        // Each dropped with a line saying so, whether it sent nothing or half a record.
        let drops = try gateway.process.waitForOutputLines(containing: "TLS handshake not complete within", count: Self.stalledCount)
        #expect(drops.count == Self.stalledCount)
    }
}
