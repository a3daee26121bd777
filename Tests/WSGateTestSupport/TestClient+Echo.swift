import WSGateWebSocket

/// What came back when a client sent one binary message to something that echoes it.
public struct BinaryEcho {
    /// The payloads of the messages, joined.
    public var bytes: [UInt8] = []
    /// Every message was binary.
    public var allBinary = true
    /// Not all bytes came back before the deadline.
    public var stalled = false
}

extension TestClient {
    /// Sends `payload` as one binary message in 16 KiB writes, taking what has already come
    /// back between writes (so a server that streams cannot block on a client that is busy
    /// sending, and a server without backpressure shows its stall), then reads until every byte
    /// is back or `timeout` passes.
    public func echo(binary payload: [UInt8], timeout: Double) throws -> BinaryEcho {
        var echo = BinaryEcho()
        func take(_ frame: Frame) {
            if frame.opcode != .continuation && frame.opcode != .binary { echo.allBinary = false }
            echo.bytes += frame.payload
        }
        let frame = FrameBytes.binary(payload)
        var offset = 0
        while offset < frame.count {
            let end = min(offset + 16384, frame.count)
            try send(Array(frame[offset..<end]))
            offset = end
            // Only what is already there: a timeout of 0 keeps a partial frame for later.
            while let ready = try? readFrame(timeout: 0) { take(ready) }
        }
        let deadline = TestDeadline(seconds: timeout)
        while echo.bytes.count < payload.count {
            do {
                take(try readFrame(timeout: Double(deadline.remainingMilliseconds) / 1000))
            } catch let failure as TestFailure where failure.description.hasPrefix("timeout") {
                echo.stalled = true
                break
            }
        }
        return echo
    }

    /// `count` random bytes (payloads that no pattern can fake).
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
