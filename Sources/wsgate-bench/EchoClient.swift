import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateWebSocket

/// One benchmark connection: upgrade, then send a message, wait for its echo, repeat until
/// the deadline, then close.
///
/// Why it exists: it measures what a user of an echo-like backend feels: one message in
/// flight per connection, round trip timed from the write to the complete echo. Every echo
/// is compared with what was sent; a wrong or missing reply is counted as an error.
///
/// - Warning: loop-confined.
final class EchoClient: StreamTransportDelegate {
    private let transport: StreamTransport
    private let payload: ByteBuffer
    private let opcode: WebSocketOpcode
    private let deadline: Instant
    private let maskingKey: WebSocketMaskingKey
    private var decoder = WebSocketFrameDecoder(role: .client, maxPayloadLength: UInt64.max)
    private var assembler = WebSocketMessageAssembler(maxMessageLength: Int.max)
    private var handshakeDone = false
    private var sentAt = Instant(nanoseconds: 0)
    private var closing = false
    private(set) var latencies = LatencyRecorder()
    private(set) var errors: [String] = []
    private let onFinish: (EchoClient) -> Void

    init(transport: StreamTransport, payloadSize: Int, binary: Bool, deadline: Instant, seed: UInt32,
         onFinish: @escaping (EchoClient) -> Void) {
        self.transport = transport
        var bytes = ByteBuffer(capacity: payloadSize)
        for index in 0..<payloadSize {
            bytes.writeInteger(binary ? UInt8(truncatingIfNeeded: index &* 7 &+ Int(seed)) : UInt8(0x61 + (index + Int(seed)) % 26))
        }
        payload = bytes
        opcode = binary ? .binary : .text
        self.deadline = deadline
        maskingKey = WebSocketMaskingKey(networkOrder: seed &* 2654435761 | 1)
        self.onFinish = onFinish
    }

    func start(host: String, path: String) {
        transport.delegate = self
        do {
            try transport.start()
        } catch {
            fail("register: \(error)")
            return
        }
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        transport.write(ByteBuffer(string: request))
    }

    private func sendNext() {
        sentAt = SystemClock.monotonicNow()
        let length = payload.readableBytes
        transport.write(minimumCapacity: length + 14) { buffer in
            WebSocketFrameEncoder.writeFrame(opcode: opcode, payload: payload, maskingKey: maskingKey, into: &buffer)
        }
    }

    func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer) {
        if !handshakeDone {
            guard let end = buffer.withUnsafeReadableBytes({ Self.headEnd(in: $0) }) else {
                if buffer.readableBytes > 16384 { fail("no response head") }
                return
            }
            let head = buffer.readString(end) ?? ""
            guard head.hasPrefix("HTTP/1.1 101") else {
                fail("upgrade refused: \(head.prefix { $0 != "\r" })")
                return
            }
            handshakeDone = true
            sendNext()
        }
        while !closing {
            do {
                guard let frame = try decoder.next(&buffer) else { return }
                guard let event = try assembler.receive(frame) else { continue }
                switch event {
                case .message(let kind, let body):
                    received(kind, body)
                case .close:
                    if !closing { fail("server closed the connection") }
                case .ping, .pong:
                    continue
                }
            } catch {
                fail("protocol error from the server: \(error)")
            }
        }
    }

    private func received(_ kind: WebSocketOpcode, _ body: ByteBuffer) {
        let now = SystemClock.monotonicNow()
        latencies.record(microseconds: (now.nanoseconds - sentAt.nanoseconds) / 1000)
        if kind != opcode || body != payload {
            errors.append("wrong echo: \(kind) with \(body.readableBytes) bytes")
        }
        if now < deadline {
            sendNext()
        } else {
            finish()
        }
    }

    private func finish() {
        guard !closing else { return }
        closing = true
        transport.write(minimumCapacity: 16) { buffer in
            let close = WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: "")
            WebSocketFrameEncoder.writeFrame(opcode: .close, payload: close, maskingKey: maskingKey, into: &buffer)
        }
        transport.close(lingerMilliseconds: 1000)
    }

    private func fail(_ reason: String) {
        errors.append(reason)
        closing = true
        transport.abort()
    }

    func transportDidReadEOF(_ transport: StreamTransport) {
        if !closing { fail("server closed the connection early") }
        transport.abort()
    }

    func transportDidDrain(_ transport: StreamTransport) {}

    func transportDidClose(_ transport: StreamTransport, error: IOError?) {
        if let error, !closing { errors.append("connection lost: \(error)") }
        onFinish(self)
    }

    private static func headEnd(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count where bytes[index] == 10 && bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13 {
            return index + 1
        }
        return nil
    }
}
