import Glibc
import Testing
import WSGatePosix

@Suite(.timeLimit(.minutes(10))) struct EventFDTests {
    @Test func aFreshEventFDIsNotReadable() throws {
        let event = try EventFD()
        defer { event.fd.close() }
        #expect(event.fd.isOpen)
        #expect(!isReadable(event.fd.rawValue))
        #expect(isNonBlocking(event.fd.rawValue))
        #expect(isCloseOnExec(event.fd.rawValue))
    }

    @Test func signalMakesItReadableAndDrainResetsIt() throws {
        let event = try EventFD()
        defer { event.fd.close() }
        event.signal()
        #expect(isReadable(event.fd.rawValue))
        event.drain()
        #expect(!isReadable(event.fd.rawValue))
        // Signalling again works after a drain.
        event.signal()
        #expect(isReadable(event.fd.rawValue))
        event.drain()
        #expect(!isReadable(event.fd.rawValue))
    }

    @Test func signalsAddUpUntilDrained() throws {
        let event = try EventFD()
        defer { event.fd.close() }
        event.signal()
        event.signal()
        event.signal()
        var counter: UInt64 = 0
        #expect(read(event.fd.rawValue, &counter, 8) == 8)
        #expect(counter == 3)
    }

    @Test func oneDrainClearsManySignals() throws {
        let event = try EventFD()
        defer { event.fd.close() }
        for _ in 0..<5 { event.signal() }
        event.drain()
        #expect(!isReadable(event.fd.rawValue))
    }

    @Test func drainingWithoutASignalDoesNotBlock() throws {
        let event = try EventFD()
        defer { event.fd.close() }
        event.drain()
        event.drain()
        #expect(!isReadable(event.fd.rawValue))
    }

    @Test func signalFromAnotherThreadWakesTheOwner() async throws {
        let event = try EventFD()
        defer { event.fd.close() }
        await Task.detached { event.signal() }.value
        #expect(isReadable(event.fd.rawValue, waitingUpTo: 10_000))
        event.drain()
        #expect(!isReadable(event.fd.rawValue))
    }
}
