import Glibc
import Testing
import WSGateCore
import WSGatePosix

@Suite(.timeLimit(.minutes(10))) struct FileDescriptorTests {
    @Test func aDescriptorIsOpenUntilClosed() throws {
        let (a, b) = try Socket.pair()
        defer { b.close() }
        let raw = a.rawValue
        #expect(a.isOpen)
        #expect(raw >= 0)
        a.close()
        #expect(!a.isOpen)
        #expect(a.rawValue == -1)
        // The kernel really closed it: the peer sees end of file.
        var buffer = ByteBuffer()
        #expect(try b.read(into: &buffer, maxBytes: 8) == .processed(0))
    }

    @Test func closeIsIdempotent() throws {
        let (a, b) = try Socket.pair()
        defer { b.close() }
        a.close()
        a.close()
        a.close()
        #expect(!a.isOpen)
        #expect(a.rawValue == -1)
        // The peer is untouched by the repeated closes.
        #expect(b.isOpen)
        #expect(isNonBlocking(b.rawValue))
    }

    @Test func takingAnExistingNumberKeepsIt() throws {
        let raw = dup(STDERR_FILENO)
        try #require(raw >= 0)
        let descriptor = FileDescriptor(taking: raw)
        defer { descriptor.close() }
        #expect(descriptor.rawValue == raw)
        #expect(descriptor.isOpen)
    }

    /// What a small static body is read with: straight behind what the buffer holds (the head).
    @Test func readAtAppendsExactlyTheBytesAskedForOrNothing() throws {
        let path = "/tmp/wsgate-pread-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let raw = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
        try #require(raw >= 0)
        unlink(path)
        let file = FileDescriptor(taking: raw)
        defer { file.close() }
        try #require(write(raw, "hello world", 11) == 11)
        var buffer = ByteBuffer(string: "head:")
        #expect(file.read(at: 6, count: 5, appendingTo: &buffer))
        #expect(buffer == ByteBuffer(string: "head:world"))
        // Fewer bytes than asked (the file shrank since its size was taken): nothing appended.
        #expect(!file.read(at: 6, count: 6, appendingTo: &buffer))
        #expect(buffer == ByteBuffer(string: "head:world"))
    }

    @Test func setNonBlockingSwitchesONonBlockOn() throws {
        var fds: [Int32] = [-1, -1]
        try #require(pipe(&fds) == 0)
        let reader = FileDescriptor(taking: fds[0])
        let writer = FileDescriptor(taking: fds[1])
        defer { reader.close(); writer.close() }
        #expect(!isNonBlocking(reader.rawValue))
        try reader.setNonBlocking()
        #expect(isNonBlocking(reader.rawValue))
        var buffer = ByteBuffer()
        #expect(try reader.read(into: &buffer, maxBytes: 8) == .wouldBlock, "an empty pipe no longer blocks")
    }

    @Test func writevSendsTheReadableBytesOfEveryBufferInOrder() throws {
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        var consumed = ByteBuffer(string: "xxTWO")
        consumed.moveReaderIndex(forwardBy: 2)
        let chunks = [ByteBuffer(string: "one "), consumed, ByteBuffer(), ByteBuffer(string: " three")]
        #expect(try a.writev(chunks[...]) == .processed(13))
        var buffer = ByteBuffer()
        #expect(try b.read(into: &buffer, maxBytes: 100) == .processed(13))
        #expect(buffer.readableBytesArray == Array("one TWO three".utf8))
    }

    @Test func writevTakesAtMostMaxVectorsBuffers() throws {
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        let chunks = ["a", "b", "c", "d"].map { ByteBuffer(string: $0) }
        #expect(try a.writev(chunks[1...], maxVectors: 2) == .processed(2))
        var buffer = ByteBuffer()
        #expect(try b.read(into: &buffer, maxBytes: 100) == .processed(2))
        #expect(buffer.readableBytesArray == Array("bc".utf8))
    }

    @Test func writevOfNothingWritesNothing() throws {
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        #expect(try a.writev([ByteBuffer]()[...]) == .processed(0))
        var buffer = ByteBuffer()
        #expect(try b.read(into: &buffer, maxBytes: 100) == .wouldBlock)
    }

    @Test func writeAllWritesEveryByte() throws {
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
        try bytes.withUnsafeBytes { try a.writeAll($0) }
        var buffer = ByteBuffer()
        while buffer.readableBytes < bytes.count,
              case .processed(let count) = try b.read(into: &buffer, maxBytes: 4096), count > 0 {}
        #expect(buffer.readableBytesArray == bytes)
    }

    #if DEBUG
    @Test func aDescriptorNeverClosedIsReportedInDebugBuilds() async {
        await #expect(processExitsWith: .failure) {
            _ = FileDescriptor(taking: dup(STDERR_FILENO))
        }
    }
    #endif

    @Test func aNegativeNumberIsRefused() async {
        await #expect(processExitsWith: .failure) {
            _ = FileDescriptor(taking: -1)
        }
    }
}
