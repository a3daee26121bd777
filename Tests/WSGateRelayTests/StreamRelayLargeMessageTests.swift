import Testing
import WSGateEventLoop
import WSGateRelay
import WSGateTestSupport
import WSGateWebSocket

/// A message bigger than what the backend takes at once goes through `StreamRelay` in parts:
/// the session stops reading the client in the middle of the frame, once the backend's input
/// is above its high watermark, and goes on as the backend reads; the backend gets the exact
/// bytes and, in line mode, one `\n` after them.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct StreamRelayLargeMessageTests {
    static let payloadLength = 3 << 20

    @Test(arguments: [StreamRelay.Mode.lines, .bytes])
    func aMessageBiggerThanTheBackendTakesPausesTheClientMidFrame(mode: StreamRelay.Mode) throws {
        let rig = try RelayRig(mode: mode, backendSendBuffer: 4096)
        let payload = (0..<Self.payloadLength).map { UInt8(0x61 + $0 % 26) }
        let frame = FrameBytes.frame(.text, payload)
        var written = 0
        func writeMore() throws {
            written += try rig.client.write(Array(frame[written..<min(written + 65536, frame.count)]))
        }
        try rig.harness.tick(until: "the backend's full input pauses the client") {
            try writeMore()
            return rig.session.transport.isReadingPaused
        }
        #expect(written < frame.count, "paused in the middle of the frame")

        let expected = payload + (mode == .lines ? [0x0A] : [])
        try rig.harness.tick(until: "the whole message at the backend", maxTicks: 100_000) {
            if written < frame.count { try writeMore() }
            try rig.backend.read()
            return rig.backend.received.count >= expected.count
        }
        #expect(rig.backend.received == expected)
        #expect(rig.client.received.isEmpty)
    }
}
