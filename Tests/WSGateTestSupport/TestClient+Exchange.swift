import CWSGateLinux
import Glibc

extension TestClient {
    /// Sends the chunks `nextChunk` makes (nil: nothing more) while reading what the gateway
    /// sends, handing each frame to `onFrame` until it returns `false`.
    ///
    /// Why it exists: a message bigger than every buffer between the client and a program
    /// (relayed to `cat` and back) deadlocks a client that sends it all before it reads. A
    /// send the gateway refuses (it closed after an error) ends the sending, not the reading.
    public func exchange(timeout: Double = 300, nextChunk: () -> [UInt8]?, onFrame: (Frame) throws -> Bool) throws {
        let deadline = TestDeadline(seconds: timeout)
        var pending = nextChunk()
        var offset = 0
        while true {
            while let frame = try parseFrame() {
                if try !onFrame(frame) { return }
            }
            let wanted = Int16(POLLIN) | (pending == nil ? 0 : Int16(POLLOUT))
            var poller = pollfd(fd: fd, events: wanted, revents: 0)
            let ready = poll(&poller, 1, deadline.remainingMilliseconds)
            if ready == 0 { throw TestFailure("timeout exchanging with the gateway") }
            if ready < 0 { continue }
            if let chunk = pending, poller.revents & Int16(POLLOUT) != 0 {
                let count = chunk[offset...].withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                }
                if count >= 0 {
                    offset += count
                    if offset == chunk.count {
                        pending = nextChunk()
                        offset = 0
                    }
                } else if errno != EAGAIN && errno != EINTR {
                    pending = nil
                }
            }
            if poller.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                if try !fill(deadline) { throw TestFailure("connection closed during the exchange") }
            }
        }
    }
}
