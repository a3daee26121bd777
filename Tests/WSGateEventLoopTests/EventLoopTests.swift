import Testing
import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// Records what the loop reported and can run an action on the first event.
final class RecordingHandler: IOHandler {
    var events: [IOEvents] = []
    var onEvent: ((IOEvents) -> Void)?
    func handle(_ events: IOEvents) {
        self.events.append(events)
        onEvent?(events)
    }
}

@Suite(.timeLimit(.minutes(10))) struct EventLoopTests {
    @Test func timersFireInDeadlineOrderAndCancelledOnesDoNot() throws {
        let loop = try EventLoop()
        var fired: [Int] = []
        loop.scheduleTimer(afterMilliseconds: 20) { fired.append(2) }
        loop.scheduleTimer(afterMilliseconds: 5) { fired.append(1) }
        let cancelled = loop.scheduleTimer(afterMilliseconds: 10) { fired.append(99) }
        loop.cancelTimer(cancelled)
        loop.scheduleTimer(afterMilliseconds: 30) {
            fired.append(3)
            loop.stop()
        }
        try loop.run()
        #expect(fired == [1, 2, 3])
    }

    @Test func readinessIsDispatchedToTheRegisteredHandler() throws {
        let loop = try EventLoop()
        let (a, b) = try Socket.pair()
        defer { a.close(); b.close() }
        let handler = RecordingHandler()
        let registration = try loop.register(b, interest: .read, handler: handler)
        handler.onEvent = { _ in
            loop.deregister(registration)
            loop.stop()
        }
        _ = try [UInt8]("x".utf8).withUnsafeBytes { try a.write($0) }
        try loop.run()
        #expect(handler.events.count == 1)
        #expect(handler.events[0].contains(.readable))
        #expect(loop.registrationCount == 0)
    }

    /// Two descriptors ready in the same tick: the first handler deregisters the second, whose
    /// already-drained event must then be dropped, not delivered to a dead registration.
    @Test func eventsOfARegistrationDroppedInTheSameTickAreIgnored() throws {
        let loop = try EventLoop()
        let (a1, b1) = try Socket.pair()
        let (a2, b2) = try Socket.pair()
        defer { [a1, b1, a2, b2].forEach { $0.close() } }
        let first = RecordingHandler()
        let second = RecordingHandler()
        let r1 = try loop.register(b1, interest: .read, handler: first)
        let r2 = try loop.register(b2, interest: .read, handler: second)
        for handler in [first, second] {
            handler.onEvent = { _ in
                loop.deregister(r1)
                loop.deregister(r2)
                loop.stop()
            }
        }
        _ = try [UInt8]("x".utf8).withUnsafeBytes { try a1.write($0) }
        _ = try [UInt8]("y".utf8).withUnsafeBytes { try a2.write($0) }
        try loop.run()
        #expect(first.events.count + second.events.count == 1)
    }

    @Test func executeFromAnotherThreadWakesTheLoop() async throws {
        let loop = try EventLoop()
        let done = LoopFlag()
        let thread = Task.detached {
            loop.execute {
                done.set()
                loop.stop()
            }
        }
        try loop.run()
        await thread.value
        #expect(done.isSet)
    }

    /// Regression: work queued before `run()` (a client writing its request before the loop
    /// starts) waited for an unrelated event, because the first tick blocked in epoll_wait.
    @Test func endOfTickWorkQueuedBeforeRunHappensWithoutAnyEvent() throws {
        final class Stopper: EndOfTickHandler {
            let loop: EventLoop
            var ran = false
            init(loop: EventLoop) { self.loop = loop }
            func endOfTick() {
                ran = true
                loop.stop()
            }
        }
        let loop = try EventLoop()
        let stopper = Stopper(loop: loop)
        loop.runAtEndOfTick(stopper)
        var timedOut = false
        loop.scheduleTimer(afterMilliseconds: 10_000) {
            timedOut = true
            loop.stop()
        }
        try loop.run()
        #expect(stopper.ran)
        #expect(!timedOut)
    }

    @Test func endOfTickHandlersRunOnceAfterTheEvents() throws {
        final class Counter: EndOfTickHandler {
            var calls = 0
            func endOfTick() { calls += 1 }
        }
        let loop = try EventLoop()
        let counter = Counter()
        loop.scheduleTimer(afterMilliseconds: 0) {
            loop.runAtEndOfTick(counter)
            loop.stop()
        }
        try loop.run()
        #expect(counter.calls == 1)
    }
}

import Synchronization

/// A thread-safe flag for the cross-thread test.
final class LoopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .sequentiallyConsistent) }
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}
