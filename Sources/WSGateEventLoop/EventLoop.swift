public import WSGateCore
public import WSGatePosix
import Glibc
import Synchronization

/// A reactor: one thread waiting in `epoll_wait` and dispatching readiness, timers and tasks.
///
/// Why it exists: every connection, listener and pipe of the gateway lives on exactly one loop
/// from start to end, so their state needs no locks. Nothing here assumes there is only one
/// loop: a gateway may run one per core, each with its own listeners (`SO_REUSEPORT`).
///
/// Thread rules: `execute(_:)` and `wakeup()` may be called from any thread; everything else
/// only from the loop's own thread while it runs (or before `run()`, from the thread that will
/// run it). Fields are protected by the loop thread unless a comment says otherwise.
public final class EventLoop: @unchecked Sendable {
    // @unchecked: see the thread rules above; `pendingTasks` is the only cross-thread state and
    // is guarded by its lock, `wakeupFD` is an eventfd whose write is thread-safe.
    private let epoll: Epoll
    private let wakeupFD: EventFD
    private let pendingTasks = LockedValue<[@Sendable () -> Void]>([])
    private var registrations: [UInt32: Registration] = [:]
    private var nextRegistrationID: UInt32 = 1
    private var timers = TimerQueue()
    private var stopRequested = false
    private var endOfTickHandlers: [any EndOfTickHandler] = []
    private var readyScratch: [(Registration, IOEvents)] = []
    /// When to poll instead of sleeping (off unless the creator asks for a window).
    private var busyPoll: BusyPollPolicy
    /// The running thread's id, 0 when not running. Atomic: `isCurrent` reads it from other
    /// threads (the child reaper asks which loop it is on).
    private let threadID = Atomic<UInt>(0)

    /// The monotonic time at the start of the current tick; what timers and deadlines use.
    public private(set) var now: Instant
    /// Set for a loop driven by a test: time comes from it and ticks never block.
    private let manualClock: ManualClock?

    /// A scratch buffer for reads, shared by everything on this loop: a connection borrows it,
    /// reads into it, parses what it can and keeps only the leftover, so idle connections hold
    /// no big buffer.
    private var readBuffer: LentBuffer
    /// Where TLS reads are decrypted (see `takePlaintextBuffer`).
    private var plaintextBuffer = LentBuffer()

    /// Size of `readBuffer` and of a single read.
    public let readChunkSize: Int

    /// Spare scratch buffers for the write queues on this loop.
    public let scratchPool = ScratchPool()

    /// `busyPollMicroseconds`: after activity, poll for this long before sleeping, while
    /// polling pays (see `BusyPollPolicy`); 0 = always sleep at once. `manualClock`: for tests
    /// that drive the loop with `tick()` and move time themselves (see `ManualClock`).
    public init(readChunkSize: Int = 65536, busyPollMicroseconds: Int = 0, manualClock: ManualClock? = nil) throws(IOError) {
        self.manualClock = manualClock
        busyPoll = BusyPollPolicy(windowMicroseconds: busyPollMicroseconds)
        epoll = try Epoll()
        wakeupFD = try EventFD()
        self.readChunkSize = readChunkSize
        readBuffer = LentBuffer(capacity: readChunkSize)
        now = manualClock?.now ?? SystemClock.monotonicNow()
        try epoll.add(wakeupFD.fd, interest: .read, tag: 0)
    }

    // MARK: - Descriptors

    /// Starts watching `descriptor` for `interest`, reporting to `handler` (kept alive until
    /// `deregister`). The caller still owns the descriptor and must deregister before closing it.
    public func register(_ descriptor: FileDescriptor, interest: IOInterest, handler: any IOHandler) throws(IOError) -> Registration {
        assertInLoop()
        var id = nextRegistrationID
        while id == 0 || registrations[id] != nil { id &+= 1 }
        nextRegistrationID = id &+ 1
        let registration = Registration(id: id, descriptor: descriptor, interest: interest, handler: handler)
        try epoll.add(descriptor, interest: interest, tag: registration.tag)
        registrations[id] = registration
        return registration
    }

    /// Changes what `registration` waits for; a no-op when nothing changes.
    public func setInterest(_ interest: IOInterest, for registration: Registration) {
        assertInLoop()
        guard registration.isActive, registration.interest != interest else { return }
        do {
            try epoll.modify(registration.descriptor, interest: interest, tag: registration.tag)
            registration.interest = interest
        } catch {
            // Only possible if the descriptor was closed behind our back: a bug, but not one
            // worth crashing a gateway full of clients for; the handler sees no more events.
            assertionFailure("epoll_ctl(MOD) failed: \(error)")
        }
    }

    /// Stops watching; events already drained for it this tick are dropped. Pass
    /// `descriptorWillClose` when the descriptor is closed right after (and not shared with
    /// another process): closing removes it from epoll, so the `epoll_ctl` call is saved.
    public func deregister(_ registration: Registration, descriptorWillClose: Bool = false) {
        assertInLoop()
        guard registration.isActive else { return }
        if !descriptorWillClose { try? epoll.remove(registration.descriptor) }
        registrations[registration.id] = nil
        registration.handler = nil
    }

    /// How many descriptors are registered (for tests and metrics).
    public var registrationCount: Int { registrations.count }

    /// Borrows the loop's read buffer (empty); give it back with `recycleReadBuffer`.
    public func takeReadBuffer() -> ByteBuffer { readBuffer.lend() }

    /// Returns a borrowed read buffer so the next read reuses its memory. If a slice of it is
    /// still alive elsewhere (a queued payload), the next borrower gets fresh memory instead.
    public func recycleReadBuffer(_ buffer: ByteBuffer) { readBuffer.giveBack(buffer) }

    /// Borrows the loop's second buffer (empty), which TLS decrypts a read into; give it back
    /// with `recyclePlaintextBuffer`. Made on first use: a loop without TLS never has one.
    public func takePlaintextBuffer() -> ByteBuffer { plaintextBuffer.lend() }

    /// Returns a borrowed plaintext buffer (or the read buffer it was swapped with).
    public func recyclePlaintextBuffer(_ buffer: ByteBuffer) { plaintextBuffer.giveBack(buffer) }

    // MARK: - Timers

    /// Calls `body` on this loop `milliseconds` from the start of the current tick.
    @discardableResult
    public func scheduleTimer(afterMilliseconds milliseconds: Int, _ body: @escaping () -> Void) -> TimerID {
        assertInLoop()
        return timers.schedule(at: now.adding(milliseconds: milliseconds), body)
    }

    /// Forgets a timer; harmless if it already fired.
    public func cancelTimer(_ timer: TimerID) {
        assertInLoop()
        timers.cancel(timer)
    }

    /// Calls `handler.endOfTick()` once after this tick's events (e.g. one flush per tick
    /// however many messages were queued).
    public func runAtEndOfTick(_ handler: any EndOfTickHandler) {
        assertInLoop()
        endOfTickHandlers.append(handler)
    }

    // MARK: - Cross-thread door

    /// Runs `task` on the loop thread soon (callable from any thread).
    public func execute(_ task: @escaping @Sendable () -> Void) {
        pendingTasks.withLock { $0.append(task) }
        wakeupFD.signal()
    }

    /// Interrupts `epoll_wait` (callable from any thread).
    public func wakeup() {
        wakeupFD.signal()
    }

    // MARK: - Running

    /// Runs until `stop()`; returns after the tick in which it was called.
    public func run() throws(IOError) {
        threadID.store(CurrentThread.id, ordering: .releasing)
        defer { threadID.store(0, ordering: .releasing) }
        stopRequested = false
        while !stopRequested {
            try tick()
        }
    }

    /// Makes `run()` return at the end of the current tick.
    public func stop() {
        assertInLoop()
        stopRequested = true
    }

    /// One round: wait for readiness or the next timer, dispatch, run due timers and tasks.
    /// `run()` repeats it; a test harness calls it directly (with a `ManualClock`, it never
    /// waits).
    public func tick() throws(IOError) {
        var timeout: Int32 = -1
        let waitStart = manualClock?.now ?? SystemClock.monotonicNow()
        if let deadline = timers.nextDeadline() {
            let nanos = deadline.nanoseconds - waitStart.nanoseconds
            timeout = nanos <= 0 ? 0 : Int32(clamping: (nanos + 999_999) / 1_000_000)
        }
        if manualClock != nil || !endOfTickHandlers.isEmpty || !pendingTasks.withLock({ $0.isEmpty }) { timeout = 0 }
        let wait: BusyPollPolicy.Wait
        if timeout == 0 {
            wait = .immediate
        } else if busyPoll.shouldPoll(at: waitStart.nanoseconds) {
            wait = .polling
            timeout = 0
        } else {
            wait = .blocking
        }
        // Moved out, not copied, so `removeAll(keepingCapacity:)` keeps the same storage.
        var ready: [(Registration, IOEvents)] = []
        swap(&ready, &readyScratch)
        ready.removeAll(keepingCapacity: true)
        defer { readyScratch = ready }
        try epoll.wait(timeoutMilliseconds: timeout) { event in
            let id = UInt32(truncatingIfNeeded: event.tag >> 32)
            if id == 0 {
                wakeupFD.drain()
                return
            }
            let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: event.tag))
            guard let registration = registrations[id], registration.descriptor.rawValue == fd else { return }
            ready.append((registration, event.events))
        }
        now = manualClock?.now ?? SystemClock.monotonicNow()
        if busyPoll.record(wait, foundEvents: !ready.isEmpty, start: waitStart.nanoseconds, end: now.nanoseconds) == .yield {
            sched_yield()
        }
        for (registration, events) in ready {
            // A handler earlier in this tick may have deregistered this one: drop its event.
            guard let handler = registration.handler else { continue }
            var relevant = events.intersection([.readEOF, .hangup, .error])
            if registration.interest.contains(.read) { relevant.formUnion(events.intersection(.readable)) }
            if registration.interest.contains(.write) { relevant.formUnion(events.intersection(.writable)) }
            if !relevant.isEmpty { handler.handle(relevant) }
        }
        for callback in timers.takeDue(at: now) { callback() }
        runEndOfTickHandlers()
        let tasks = pendingTasks.withLock { tasks in
            let taken = tasks
            tasks.removeAll()
            return taken
        }
        for task in tasks { task() }
        runEndOfTickHandlers()
    }

    private func runEndOfTickHandlers() {
        // Handlers may queue more handlers while running: those run in the same pass. Indexing
        // instead of iterating a copy keeps the array's storage for the next tick.
        var index = 0
        while index < endOfTickHandlers.count {
            let handler = endOfTickHandlers[index]
            index += 1
            handler.endOfTick()
        }
        endOfTickHandlers.removeAll(keepingCapacity: true)
    }

    /// `true` on the thread running this loop.
    public var isCurrent: Bool { threadID.load(ordering: .acquiring) == CurrentThread.id }

    /// Traps in debug builds when called off the loop thread.
    public func assertInLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert({
            let running = threadID.load(ordering: .acquiring)
            return running == 0 || running == CurrentThread.id
        }(), "called off the event loop thread", file: file, line: line)
    }
}
