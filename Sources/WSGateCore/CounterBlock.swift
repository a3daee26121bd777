public import Synchronization

/// A fixed number of integer counters written by one thread and read by any.
///
/// Why it exists: the gateway counts on every connection and every message (`--metrics`), on
/// one event loop per thread, and a scrape on one loop sums every loop's counts. A lock, or
/// even an atomic read-modify-write on a line other threads also write, would put a cost on
/// the relay's hot path. Instead each loop owns its block: only that loop writes it, with a
/// relaxed load and a relaxed store (two plain moves on x86-64 and arm64, no lock prefix, no
/// allocation), and a scrape on any thread reads each slot with a relaxed load. Atomics keep
/// these cross-thread reads defined (and ThreadSanitizer quiet); a reader sees every slot's
/// latest value or one a moment older, never a torn one, which is all a scrape needs.
///
/// - Warning: `add` only from the owning thread (one writer); `value(at:)` from any thread. A
///   second writer would lose counts, never crash.
public final class CounterBlock: @unchecked Sendable {
    // @unchecked: `slots` is immutable and points to atomics only; every access is atomic.
    @usableFromInline let slots: UnsafeMutablePointer<Atomic<Int>>
    /// How many counters the block holds.
    public let count: Int

    /// `count` counters, all 0.
    public init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        for index in 0..<count { (slots + index).initialize(to: Atomic(0)) }
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// Adds `amount` (negative for a gauge going down) to counter `index`; owning thread only.
    @inlinable @inline(__always)
    public func add(_ amount: Int, at index: Int) {
        let slot = slots + index
        slot.pointee.store(slot.pointee.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    /// The current value of counter `index`, from any thread.
    public func value(at index: Int) -> Int {
        precondition(index >= 0 && index < count, "counter index out of range")
        return slots[index].load(ordering: .relaxed)
    }
}
