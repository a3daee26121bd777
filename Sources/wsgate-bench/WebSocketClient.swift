import Glibc
import WSGateBackends
import WSGateCompression
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateTLS
import WSGateWebSocket

/// The client side of one WebSocket connection (RFC 6455), built on the project's own loop,
/// transport and codec in client role.
///
/// Why it exists: the benchmark must speak the protocol exactly as a browser would (masked
/// frames, a real close handshake) and must notice every deviation of the server: a refused
/// upgrade, a wrong accept key, a frame of the wrong type, a close it did not ask for, a missing
/// close reply or EOF. Each of those ends the connection with a failure reason; nothing is
/// silently tolerated. It does not interpret payloads: those go to the delegate as bytes.
///
/// - Warning: loop-confined.
final class WebSocketClient: MessageChannel, StreamTransportDelegate {
    /// What every connection of a run shares.
    struct Settings {
        let loop: EventLoop
        let address: SocketAddress
        /// The Host header.
        let host: String
        let path: String
        /// A subprotocol to offer, if any.
        let subprotocol: String?
        /// Binary messages (else text).
        let binary: Bool
        /// Connect, handshake and close-reply deadline.
        let timeoutMilliseconds: Int
        /// wss:// instead of ws:// (`--tls`): each connection gets an engine from it.
        let tls: TLSClientContext?
        /// Offer permessage-deflate and fail a connection whose server does not accept it
        /// (`--compress`).
        let compress: Bool
        /// Where the bytes on the wire are counted (while it measures).
        let metrics: RunMetrics
    }

    /// The key we send and the accept value RFC 6455 §1.3 derives from it (its own example).
    static let requestKey = "dGhlIHNhbXBsZSBub25jZQ=="
    static let expectedAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    /// The largest response head accepted.
    static let maxHeadLength = 16384

    private enum State {
        case idle, connecting, handshaking, open
        /// Our Close is sent; waiting for the server's.
        case closeSent
        /// Both Close frames exchanged; waiting for the server to end the TCP connection
        /// (§7.1.1: "the server [...] SHOULD close the underlying TCP connection first").
        case awaitingEOF
        case closed
    }

    weak var delegate: (any MessageChannelDelegate)?
    private let settings: Settings
    private let opcode: WebSocketOpcode
    private let maskingKey: WebSocketMaskingKey
    private var state = State.idle
    private var transport: StreamTransport?
    private var connector: SocketConnector?
    private var decoder = WebSocketFrameDecoder(role: .client, maxPayloadLength: UInt64.max)
    /// The agreed permessage-deflate codec (`--compress`, once the server accepted it).
    private var compression: ClientCompression?
    /// True between the first frame of a data message and its final frame.
    private var inMessage = false
    private var finalFrame = false
    private var timer: TimerID?

    init(settings: Settings, seed: UInt32) {
        self.settings = settings
        opcode = settings.binary ? .binary : .text
        maskingKey = WebSocketMaskingKey(networkOrder: (seed &+ 1) &* 2_654_435_761 | 0x0101_0101)
    }

    // MARK: - MessageChannel

    func start() {
        guard state == .idle else { return }
        state = .connecting
        armTimer("no upgrade within")
        connector = SocketConnector(addresses: [settings.address], timeoutMilliseconds: settings.timeoutMilliseconds,
                                    loop: settings.loop) { [weak self] result in
            self?.connected(result.map(\.0).mapError { .setup("\($0)") })
        }
    }

    private func connected(_ result: Result<FileDescriptor, BenchError>) {
        connector = nil
        guard state == .connecting else {
            if case .success(let socket) = result { socket.close() }
            return
        }
        switch result {
        case .failure(let error):
            fail("\(error)")
        case .success(let socket):
            let transport: StreamTransport
            do {
                let engine: TLSEngine?
                do {
                    engine = try settings.tls?.makeEngine()
                } catch {
                    socket.close()
                    fail("TLS: \(error)")
                    return
                }
                transport = try .startedClient(on: socket, loop: settings.loop, delegate: self, tls: engine)
            } catch {
                fail("register: \(error)")
                return
            }
            self.transport = transport
            state = .handshaking
            var request = "GET \(settings.path) HTTP/1.1\r\nHost: \(settings.host)\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: \(Self.requestKey)\r\nSec-WebSocket-Version: 13\r\n"
            if let subprotocol = settings.subprotocol { request += "Sec-WebSocket-Protocol: \(subprotocol)\r\n" }
            if settings.compress { request += "Sec-WebSocket-Extensions: \(ClientCompression.offer)\r\n" }
            transport.write(ByteBuffer(string: request + "\r\n"))
        }
    }

    func send(_ payload: UnsafeRawBufferPointer) {
        guard state == .open else { return }
        // With permessage-deflate every message goes compressed (RSV1), whatever its size; the
        // deflater answers nil only when zlib has no memory, and then it goes as it is (§6).
        if let compressed = compression?.deflater.compress(ByteBuffer(bytes: payload)) {
            compressed.withUnsafeReadableBytes { writeMessage($0, compressed: true) }
        } else {
            writeMessage(payload, compressed: false)
        }
    }

    private func writeMessage(_ payload: UnsafeRawBufferPointer, compressed: Bool) {
        guard let transport else { return }
        let frameLength = payload.count + WebSocketFrameEncoder.headerLength(payloadLength: payload.count, masked: true)
        if settings.metrics.measuring { settings.metrics.wireBytesSent += frameLength }
        if payload.count < WriteQueue.copyThreshold {
            transport.write(minimumCapacity: frameLength) { buffer in
                WebSocketFrameEncoder.writeFrame(compressed: compressed, opcode: opcode, payload: payload,
                                                 maskingKey: maskingKey, into: &buffer)
            }
        } else {
            // A big frame gets its own buffer, queued without a further copy.
            var buffer = ByteBuffer(capacity: frameLength)
            WebSocketFrameEncoder.writeFrame(compressed: compressed, opcode: opcode, payload: payload,
                                             maskingKey: maskingKey, into: &buffer)
            transport.write(buffer)
        }
    }

    func close() {
        guard state == .open, let transport else { return }
        state = .closeSent
        let body = WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: "")
        transport.write(minimumCapacity: 16) { buffer in
            WebSocketFrameEncoder.writeFrame(opcode: .close, payload: body, maskingKey: maskingKey, into: &buffer)
        }
        armTimer("no close reply and EOF within")
    }

    func abort(_ reason: String) {
        fail(reason)
    }

    /// Stops reading the socket for good (a client that never reads: the fan-out slow client),
    /// with a small receive buffer so that the server's own queue, not the kernel's buffers
    /// (megabytes on loopback), soon holds what this client does not read.
    func stopReading() {
        guard let transport else { return }
        transport.pauseReading()
        var bytes: Int32 = 4096
        _ = setsockopt(transport.descriptor.rawValue, SOL_SOCKET, SO_RCVBUF, &bytes, socklen_t(MemoryLayout<Int32>.size))
    }

    // MARK: - StreamTransportDelegate

    func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer) {
        if state == .handshaking {
            guard readResponseHead(&buffer) else { return }
        }
        while state == .open || state == .closeSent {
            let event: WebSocketFrameEvent?
            do {
                if compression != nil {
                    event = try compression!.reader.next(from: &decoder, &buffer, produceOutput: true)
                } else {
                    event = try decoder.next(&buffer)
                }
            } catch {
                fail("protocol error from the server: \(error)")
                return
            }
            guard let event else { return }
            handle(event)
        }
        if state == .awaitingEOF && !buffer.isEmpty {
            fail("bytes after the server's Close frame")
        }
    }

    /// Parses the 101 response; returns true once the connection is open.
    private func readResponseHead(_ buffer: inout ByteBuffer) -> Bool {
        guard let end = buffer.withUnsafeReadableBytes({ Self.headEnd(in: $0) }) else {
            if buffer.readableBytes > Self.maxHeadLength { fail("response head longer than \(Self.maxHeadLength) bytes") }
            return false
        }
        let head = buffer.readString(end) ?? ""
        guard head.hasPrefix("HTTP/1.1 101 ") else {
            fail("upgrade refused: \(head.prefix { $0 != "\r" })")
            return false
        }
        // §4.1: the client MUST fail the connection if the accept value is not the one derived
        // from its key.
        guard head.contains(Self.expectedAccept) else {
            fail("wrong or missing Sec-WebSocket-Accept")
            return false
        }
        if settings.compress {
            do {
                compression = try ClientCompression(answer: Self.fieldValues("Sec-WebSocket-Extensions", in: head))
            } catch {
                fail(error.description)
                return false
            }
            decoder = WebSocketFrameDecoder(role: .client, maxPayloadLength: UInt64.max, allowsCompressedMessages: true)
        }
        state = .open
        cancelTimer()
        delegate?.channelDidOpen(self)
        return state == .open
    }

    private func handle(_ event: WebSocketFrameEvent) {
        switch event {
        case .dataHeader(let header):
            if settings.metrics.measuring {
                settings.metrics.wireBytesReceived += WebSocketFrameEncoder.headerLength(
                    payloadLength: Int(header.payloadLength), masked: header.masked) + Int(header.payloadLength)
                if header.rsv1 { settings.metrics.compressedMessagesReceived += 1 }
            }
            if header.rsv2 || header.rsv3 || (header.rsv1 && compression == nil) {
                fail("frame with RSV bits set that no negotiated extension defines")
            } else if header.opcode == .continuation {
                if !inMessage { fail("continuation frame without a message") }
            } else if inMessage {
                fail("new \(header.opcode) frame inside a fragmented message")
            } else if header.opcode != opcode {
                fail("\(header.opcode) message, expected \(opcode)")
            }
            inMessage = true
            finalFrame = header.fin
        case .dataPayload(let chunk):
            chunk.withUnsafeReadableBytes { bytes in
                delegate?.channel(self, didReceive: bytes)
            }
        case .dataEnd:
            if finalFrame { inMessage = false }
        case .control(let controlOpcode, let payload):
            switch controlOpcode {
            case .close:
                guard state == .closeSent else {
                    let parsed = try? WebSocketMessageAssembler.parseClosePayload(payload)
                    fail("the server closed the connection (code \(parsed?.code.map { "\($0.rawValue)" } ?? "none"))")
                    return
                }
                state = .awaitingEOF
            case .ping:
                transport?.write(minimumCapacity: 140) { buffer in
                    WebSocketFrameEncoder.writeFrame(opcode: .pong, payload: payload, maskingKey: maskingKey, into: &buffer)
                }
            default:
                break
            }
        }
    }

    func transportDidReadEOF(_ transport: StreamTransport) {
        switch state {
        case .awaitingEOF:
            state = .closed
            cancelTimer()
            transport.abort()
            delegate?.channelDidClose(self, failure: nil)
        case .closeSent:
            fail("EOF before the server's Close frame")
        case .handshaking:
            fail("EOF before the upgrade response")
        default:
            fail("the server ended the connection (EOF without a Close frame)")
        }
    }

    func transportDidDrain(_ transport: StreamTransport) {}

    func transportDidClose(_ transport: StreamTransport, error: IOError?) {
        guard state != .closed else { return }
        fail("connection lost: \(error.map { "\($0)" } ?? "closed")")
    }

    // MARK: - Helpers

    private func fail(_ reason: String) {
        guard state != .closed else { return }
        state = .closed
        cancelTimer()
        connector = nil
        transport?.abort()
        delegate?.channelDidClose(self, failure: reason)
    }

    private func armTimer(_ what: String) {
        cancelTimer()
        let milliseconds = settings.timeoutMilliseconds
        timer = settings.loop.scheduleTimer(afterMilliseconds: milliseconds) { [weak self] in
            self?.timer = nil
            self?.fail("\(what) \(milliseconds) ms")
        }
    }

    private func cancelTimer() {
        if let timer { settings.loop.cancelTimer(timer) }
        timer = nil
    }

    /// The values of the header fields called `name` (any case) in a response head, in order.
    private static func fieldValues(_ name: String, in head: String) -> [String] {
        let lowercasedName = name.lowercased()
        return head.split(separator: "\r\n").dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == lowercasedName else { return nil }
            return String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" })
        }
    }

    private static func headEnd(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3 ..< bytes.count
        where bytes[index] == 10 && bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13 {
            return index + 1
        }
        return nil
    }
}
