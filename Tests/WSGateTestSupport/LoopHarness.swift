import Glibc
public import WSGateEventLoop
public import WSGatePosix

/// An event loop driven tick by tick, with time that moves only when the test says so.
///
/// Why it exists: the I/O classes (transports, sessions, relays, programs) react to readiness
/// and timers; through the real binary a test sees only the end result. Here a test sets up
/// exact byte sequences on socket pairs (`PeerSocket`), runs single ticks, and fires timers by
/// advancing the clock, so every step and event order can be asserted. Nothing sleeps: each
/// tick takes what is ready now, and every wait is a bounded number of ticks.
public final class LoopHarness {
    public let clock = ManualClock()
    public let loop: EventLoop

    public init(readChunkSize: Int = 65536) throws {
        loop = try EventLoop(readChunkSize: readChunkSize, manualClock: clock)
    }

    /// Runs `count` ticks.
    public func tick(_ count: Int = 1) throws {
        for _ in 0..<count { try loop.tick() }
    }

    /// Moves time forward by `milliseconds`, then ticks once (timers now due fire).
    public func advance(milliseconds: Int) throws {
        clock.advance(milliseconds: milliseconds)
        try loop.tick()
    }

    /// Ticks until `condition` holds, at most `maxTicks` times; throws naming `what` if it never
    /// does. Each tick handles what the kernel has ready, so this waits on events, not time.
    public func tick(until what: String, maxTicks: Int = 1000, _ condition: () throws -> Bool) throws {
        for _ in 0..<maxTicks {
            if try condition() { return }
            try loop.tick()
        }
        if try condition() { return }
        throw TestFailure("\(what): not reached after \(maxTicks) ticks")
    }
}

/// The test's end of a socket pair whose other end a class under test owns.
///
/// Why it exists: harness tests play the client, the backend or the program's side of a pipe
/// with exact bytes, and look at what arrived, without blocking.
public final class PeerSocket {
    public let descriptor: FileDescriptor
    /// Everything read so far.
    public private(set) var received: [UInt8] = []
    /// The other end half-closed or closed (a read returned 0).
    public private(set) var sawEOF = false

    /// A connected pair: the first end for the code under test, this peer on the second. With
    /// `sendBuffer`, the code under test's kernel send buffer is that small (to provoke EAGAIN).
    public static func pair(sendBuffer: Int? = nil) throws -> (FileDescriptor, PeerSocket) {
        let (ours, theirs) = try Socket.pair()
        if let sendBuffer { try Socket.setSendBufferSize(ours, sendBuffer) }
        return (ours, PeerSocket(theirs))
    }

    public init(_ descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    deinit { descriptor.close() }

    /// Writes what the kernel takes now; returns how many bytes that was.
    @discardableResult
    public func write(_ bytes: [UInt8]) throws -> Int {
        let result = try bytes.withUnsafeBytes { (raw) throws(IOError) in try descriptor.write(raw) }
        if case .processed(let count) = result { return count }
        return 0
    }

    /// Writes all of `bytes`; fails if the kernel buffer cannot take them now.
    public func writeAll(_ bytes: [UInt8]) throws {
        let written = try write(bytes)
        guard written == bytes.count else { throw TestFailure("peer wrote only \(written) of \(bytes.count) bytes") }
    }

    /// Reads everything available now into `received`; returns the new bytes.
    @discardableResult
    public func read() throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var fresh: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor.rawValue, $0.baseAddress, $0.count) }
            if count > 0 {
                fresh += buffer[0..<count]
            } else if count == 0 {
                sawEOF = true
                break
            } else if errno == EAGAIN || errno == EINTR {
                break
            } else if errno == ECONNRESET {
                sawEOF = true
                break
            } else {
                throw TestFailure("read: errno \(errno)")
            }
        }
        received += fresh
        return fresh
    }

    /// Sends our FIN; we can still read.
    public func shutdownWrite() throws {
        try Socket.shutdownWrite(descriptor)
    }

    /// Closes our end (the code under test sees EOF or, if it writes, EPIPE).
    public func close() {
        descriptor.close()
    }
}
