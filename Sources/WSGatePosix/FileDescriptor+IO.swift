public import WSGateCore
import CWSGateLinux
import Glibc

// MARK: - Reading and writing bytes

extension FileDescriptor {
    /// Reads up to `maxBytes` into the writable end of `buffer`. Returns `.processed(0)` at EOF.
    public func read(into buffer: inout ByteBuffer, maxBytes: Int) throws(IOError) -> IOResult<Int> {
        let fd = rawValue
        var result = IOResult<Int>.wouldBlock
        _ = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: maxBytes) { (area) throws(IOError) -> Int in
            result = try syscall("read") { Glibc.read(fd, area.baseAddress, Swift.min(area.count, maxBytes)) }
            if case .processed(let count) = result { return count }
            return 0
        }
        return result
    }

    /// Writes from `bytes`; returns how many were taken.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(IOError) -> IOResult<Int> {
        let fd = rawValue
        return try syscall("write") { Glibc.write(fd, bytes.baseAddress, bytes.count) }
    }

    /// Writes the readable bytes of up to `maxVectors` buffers with one `writev(2)`; returns
    /// how many bytes were taken (they may end in the middle of a buffer).
    public func writev(_ chunks: ArraySlice<ByteBuffer>, maxVectors: Int = 64) throws(IOError) -> IOResult<Int> {
        let fd = rawValue
        let count = Swift.min(chunks.count, maxVectors)
        return try withUnsafeTemporaryAllocation(of: iovec.self, capacity: Swift.max(count, 1)) {
            (vectors) throws(IOError) -> IOResult<Int> in
            var index = 0
            for chunk in chunks.prefix(count) {
                // The pointer outlives the closure only while `chunks` (which holds the storage)
                // is alive and unmodified: for the duration of this call.
                let base = chunk.withUnsafeReadableBytes { $0.baseAddress }
                vectors[index] = iovec(iov_base: UnsafeMutableRawPointer(mutating: base), iov_len: chunk.readableBytes)
                index += 1
            }
            return try withExtendedLifetime(chunks) { () throws(IOError) -> IOResult<Int> in
                try syscall("writev") { Glibc.writev(fd, vectors.baseAddress, Int32(count)) }
            }
        }
    }

    /// Sends up to `count` bytes of `file` from `offset` with `sendfile(2)` (no copy through
    /// user space); returns how many the kernel took.
    public func sendFile(_ file: FileDescriptor, offset: Int, count: Int) throws(IOError) -> IOResult<Int> {
        let fd = rawValue
        var position = off_t(offset)
        return try syscall("sendfile") { Glibc.sendfile(fd, file.rawValue, &position, count) }
    }

    /// Appends exactly `count` bytes from `offset` to `buffer` with `pread(2)` (a regular
    /// file: never blocks for long); false, and nothing appended, if the file ended first or
    /// the read failed.
    public func read(at offset: Int, count: Int, appendingTo buffer: inout ByteBuffer) -> Bool {
        let fd = rawValue
        var complete = false
        _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { area -> Int in
            var done = 0
            while done < count {
                let got = pread(fd, area.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { return 0 }
                done += got
            }
            complete = true
            return count
        }
        return complete
    }

    /// Writes all of `bytes`, waiting while the descriptor is full (for blocking descriptors
    /// such as stdout; never used on a client socket).
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        var offset = 0
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            switch try write(rest) {
            case .processed(let count): offset += count
            case .wouldBlock:
                var poller = pollfd(fd: rawValue, events: Int16(POLLOUT), revents: 0)
                _ = poll(&poller, 1, 1000)
            }
        }
    }

    /// Switches `O_NONBLOCK` on.
    public func setNonBlocking() throws(IOError) {
        let fd = rawValue
        let flags = try syscallValue("fcntl") { fcntl(fd, F_GETFL) }
        _ = try syscallValue("fcntl") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }
}

// MARK: - Hang-up

extension FileDescriptor {
    /// `true` when the other end is gone for good (`POLLHUP`): a pipe whose every writer closed
    /// it, a socket shut down both ways. Bytes may still be waiting to be read.
    public var hasHungUp: Bool {
        var poller = pollfd(fd: rawValue, events: 0, revents: 0)
        return poll(&poller, 1, 0) == 1 && poller.revents & Int16(POLLHUP) != 0
    }
}
