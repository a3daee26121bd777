import CWSGateLinux
import Foundation
import Glibc

/// The threads behind a TCPTestBackend: one accepting, one per connection, each serving the
/// backend's mode and recording what it sees.
///
/// Why it exists apart from TCPTestBackend: the threads keep this object alive, not the
/// handle the test holds, so the handle's deinit can run (and stop them) when a test ends.
/// Every blocking call also waits on the `stop` eventfd, which is never read once written, so
/// one write ends every thread.
final class BackendServer: Sendable {
    /// Everything the threads share.
    struct State: Sendable {
        var connections: [TCPTestBackend.Connection] = []
        /// Threads started and not yet ended.
        var running = 0
        var stopped = false
    }

    let mode: TCPTestBackend.Mode
    let state = GuardedState(State())
    private let listener: Int32
    private let stop: Int32
    private let recordLimit: Int
    private let unixPath: String?

    init(mode: TCPTestBackend.Mode, listener: Int32, recordLimit: Int, unixPath: String?) throws {
        let stop = eventfd(0, Int32(EFD_CLOEXEC))
        guard stop >= 0 else {
            close(listener)
            throw TestFailure("eventfd: errno \(errno)")
        }
        (self.mode, self.listener, self.stop, self.recordLimit, self.unixPath) = (mode, listener, stop, recordLimit, unixPath)
        spawn { $0.acceptLoop() }
    }

    /// Ends every thread, then closes the listener (the threads close their sockets) and
    /// removes the Unix socket file. Idempotent. Waits at most 10 s for the threads; one that
    /// is still running then keeps the stop eventfd (leaked rather than reused under it).
    func shutDown() {
        guard state.withLock({ state in
            defer { state.stopped = true }
            return !state.stopped
        }) else { return }
        var one: UInt64 = 1
        _ = write(stop, &one, 8)
        let ended = state.wait(until: TestDeadline(seconds: 10)) { $0.running == 0 ? true : nil } ?? false
        if let unixPath { unlink(unixPath) }
        if ended { close(stop) }
    }

    /// Starts a thread running `body`, counted in `running`.
    private func spawn(_ body: @escaping @Sendable (BackendServer) -> Void) {
        state.update { $0.running += 1 }
        Thread.detachNewThread { [self] in
            body(self)
            state.update { $0.running -= 1 }
        }
    }

    private func acceptLoop() {
        while let fd = BackendSocket.accept(listener, stop: stop) {
            let index = state.update { state in
                state.connections.append(TCPTestBackend.Connection())
                return state.connections.count - 1
            }
            spawn { $0.serve(fd, index: index) }
        }
        close(listener)
    }

    // MARK: - Serving one connection

    private func serve(_ fd: Int32, index: Int) {
        var wasReset = false
        switch mode {
        case .echo:
            echo(fd, index)
        case .lineEcho:
            lineEcho(fd, index)
        case .greetThenClose(let text):
            if send(Array(text.utf8), on: fd, index) {
                shutdown(fd, Int32(SHUT_WR))
                record(index) { $0.finishedSending = true }
            }
            drain(fd, index)
        case .reset:
            BackendSocket.resetAndClose(fd)
            wasReset = true
        case .resetAfterFirstRead:
            _ = receive(fd, index)
            BackendSocket.resetAndClose(fd)
            wasReset = true
        case .answerAfterHalfClose(let text):
            if drain(fd, index), send(Array(text.utf8), on: fd, index) {
                record(index) { $0.finishedSending = true }
            }
        case .flood(let count):
            if flood(count, on: fd, index) { record(index) { $0.finishedSending = true } }
            drain(fd, index)
        case .floodThenClose(let count):
            if flood(count, on: fd, index) {
                shutdown(fd, Int32(SHUT_WR))
                record(index) { $0.finishedSending = true }
            }
            drain(fd, index)
        case .neverRead:
            // Events 0: only a hangup or an error (the gateway reset) ends the wait early.
            _ = BackendSocket.wait(for: 0, on: fd, stop: stop)
        case .recordProxyHeader:
            if let rest = readProxyHeader(fd, index) {
                if !rest.isEmpty, !send(rest, on: fd, index) { break }
                echo(fd, index)
            }
        }
        if !wasReset { close(fd) }
        record(index) { $0.closed = true }
    }

    /// Changes connection `index`'s record and wakes waiters.
    private func record(_ index: Int, _ change: (inout TCPTestBackend.Connection) -> Void) {
        state.update { change(&$0.connections[index]) }
    }

    /// Reads once and records it; nil at EOF (recorded), on an error (recorded) or on stop.
    private func receive(_ fd: Int32, _ index: Int) -> [UInt8]? {
        switch BackendSocket.read(fd, stop: stop) {
        case .bytes(let bytes):
            keep(bytes, index)
            return bytes
        case .endOfInput:
            record(index) { $0.sawEndOfInput = true }
        case .failed(let error):
            record(index) { $0.error = error }
        case .stopped:
            break
        }
        return nil
    }

    /// Records received bytes (counted always, kept up to `recordLimit`).
    private func keep(_ bytes: [UInt8], _ index: Int) {
        record(index) { connection in
            connection.receivedCount += bytes.count
            let room = max(0, recordLimit - connection.received.count)
            connection.received += bytes.prefix(room)
        }
    }

    /// Writes all of `bytes`, counting them; false (error recorded) if it could not. With
    /// `reading`, what arrives meanwhile is recorded (EOF too).
    private func send(_ bytes: [UInt8], on fd: Int32, _ index: Int, reading: Bool = false) -> Bool {
        let wrote = { (count: Int) in
            self.record(index) { connection in
                connection.sent += count
                connection.lastSend = .now
            }
        }
        let received = { (bytes: [UInt8]?) in
            if let bytes { self.keep(bytes, index) } else { self.record(index) { $0.sawEndOfInput = true } }
        }
        let result = BackendSocket.write(fd, bytes, stop: stop, wrote: wrote, received: reading ? received : nil)
        if case .failed(let error) = result { record(index) { $0.error = error } }
        return result == .written
    }

    /// Reads and records until EOF; true if EOF came (not an error or stop).
    @discardableResult
    private func drain(_ fd: Int32, _ index: Int) -> Bool {
        while receive(fd, index) != nil {}
        return state.withLock { $0.connections[index].sawEndOfInput }
    }

    private func echo(_ fd: Int32, _ index: Int) {
        while let bytes = receive(fd, index) {
            guard send(bytes, on: fd, index) else { return }
        }
    }

    private func lineEcho(_ fd: Int32, _ index: Int) {
        var pending: [UInt8] = []
        while let bytes = receive(fd, index) {
            pending += bytes
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                guard send(Array(pending[...newline]), on: fd, index) else { return }
                pending.removeFirst(newline + 1)
            }
        }
        if !pending.isEmpty, state.withLock({ $0.connections[index].sawEndOfInput }) {
            _ = send(pending, on: fd, index)
        }
    }

    /// Writes `count` flood bytes in 64 KiB writes, recording what the gateway sends
    /// meanwhile; true if all went out.
    private func flood(_ count: Int, on fd: Int32, _ index: Int) -> Bool {
        let chunkSize = 65536
        // One pattern buffer, sliced at the right phase for each chunk.
        let pattern = TCPTestBackend.floodBytes(from: 0, count: chunkSize + TCPTestBackend.floodPeriod)
        var offset = 0
        while offset < count {
            let size = min(chunkSize, count - offset)
            let phase = offset % TCPTestBackend.floodPeriod
            guard send(Array(pattern[phase..<phase + size]), on: fd, index, reading: true) else { return false }
            offset += size
        }
        return true
    }

    /// Reads the first line into `proxyHeader`; returns the bytes read after it (nil at EOF,
    /// error or stop, the partial line recorded).
    private func readProxyHeader(_ fd: Int32, _ index: Int) -> [UInt8]? {
        var line: [UInt8] = []
        while true {
            let limit = TCPTestBackend.proxyHeaderLimit
            if let newline = line.firstIndex(of: UInt8(ascii: "\n")), newline < limit {
                return headerFound(Array(line[...newline]), rest: Array(line[(newline + 1)...]), index)
            }
            if line.count >= limit {
                return headerFound(Array(line.prefix(limit)), rest: Array(line.dropFirst(limit)), index)
            }
            let result = BackendSocket.read(fd, stop: stop)
            switch result {
            case .bytes(let bytes):
                // Counted once classified (headerFound): a waiter must never see the count
                // before the bytes.
                line += bytes
            case .endOfInput, .failed, .stopped:
                let partial = String(decoding: line, as: UTF8.self)
                record(index) { [count = line.count] connection in
                    connection.proxyHeader = partial
                    connection.receivedCount += count
                    if case .endOfInput = result { connection.sawEndOfInput = true }
                    if case .failed(let error) = result { connection.error = error }
                }
                return nil
            }
        }
    }

    /// Records the header line and the bytes after it in one step.
    private func headerFound(_ header: [UInt8], rest: [UInt8], _ index: Int) -> [UInt8] {
        let text = String(decoding: header, as: UTF8.self)
        record(index) { connection in
            connection.proxyHeader = text
            connection.receivedCount += header.count + rest.count
            connection.received += rest.prefix(max(0, recordLimit - connection.received.count))
        }
        return rest
    }
}
