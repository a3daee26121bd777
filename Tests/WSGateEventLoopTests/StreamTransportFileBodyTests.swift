import Glibc
import Testing
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateTestSupport

/// `StreamTransport.sendFile` on a socket pair driven tick by tick: the file's bytes follow the
/// queued ones in order through many EAGAINs, the completion runs once and the file is closed;
/// a close waits for the file, an abort drops it, a file that shrank ends the connection.
@Suite(.timeLimit(.minutes(10))) struct StreamTransportFileBodyTests {
    /// A file holding `bytes`, opened for reading (the path is removed at once).
    static func openFile(_ bytes: [UInt8]) throws -> FileDescriptor {
        let path = TemporaryFiles.path("body")
        let fd = open(path, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        unlink(path)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return FileDescriptor(taking: fd)
    }

    static let content = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) }

    @Test func theFileFollowsTheQueuedBytesInOrderAndCompletesOnce() throws {
        let (harness, transport, recorder, peer) = try StreamTransportHarnessTests.start(sendBuffer: 4096)
        let file = try Self.openFile(Self.content)
        var completions = 0
        transport.write(ByteBuffer(bytes: Array("HEAD".utf8)))
        transport.sendFile(file, offset: 1000, count: 200_000) { completions += 1 }
        var rounds = 0
        while peer.received.count < 4 + 200_000 && rounds < 100_000 {
            try harness.tick()
            try peer.read()
            rounds += 1
        }
        #expect(peer.received.count == 4 + 200_000)
        #expect(peer.received.prefix(4).elementsEqual("HEAD".utf8))
        #expect(peer.received.dropFirst(4).elementsEqual(Self.content[1000..<201_000]))
        #expect(completions == 1)
        #expect(!file.isOpen)
        // Writing goes on after the file.
        transport.write(ByteBuffer(bytes: [42]))
        try harness.tick(until: "the next bytes") { try peer.read(); return peer.received.last == 42 }
        #expect(recorder.events.isEmpty)
    }

    @Test func aCloseSendsTheWholeFileFirst() throws {
        let (harness, transport, recorder, peer) = try StreamTransportHarnessTests.start(sendBuffer: 4096)
        let file = try Self.openFile(Self.content)
        transport.sendFile(file, offset: 0, count: Self.content.count) {}
        transport.close()
        var rounds = 0
        while !peer.sawEOF && rounds < 100_000 {
            try harness.tick()
            try peer.read()
            rounds += 1
        }
        #expect(peer.received.elementsEqual(Self.content))
        peer.close()
        try harness.tick(until: "closed") { !transport.isOpen }
        #expect(recorder.events == ["closed"])
    }

    @Test func anAbortDropsTheFileWithoutCompleting() throws {
        let (harness, transport, recorder, peer) = try StreamTransportHarnessTests.start(sendBuffer: 4096)
        let file = try Self.openFile(Self.content)
        var completed = false
        transport.sendFile(file, offset: 0, count: Self.content.count) { completed = true }
        try harness.tick()
        #expect(try peer.read().count > 0)
        transport.abort()
        #expect(!file.isOpen)
        #expect(!completed)
        #expect(recorder.events == ["closed"])
    }

    @Test func aFileShorterThanPromisedEndsTheConnection() throws {
        let (harness, transport, recorder, peer) = try StreamTransportHarnessTests.start()
        let file = try Self.openFile(Array(repeating: 1, count: 100))
        var completed = false
        transport.sendFile(file, offset: 0, count: 500) { completed = true }
        try harness.tick(until: "closed") { try peer.read(); return !transport.isOpen }
        #expect(recorder.events == ["closed with error"])
        #expect(!completed)
        #expect(!file.isOpen)
        #expect(peer.received.count == 100)
    }
}
