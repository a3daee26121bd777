/// A value that belongs to one event loop, carried through a `@Sendable` closure that will
/// bring it back to that loop (e.g. a connection waiting for work done on another thread).
///
/// Why it exists: connections are loop-confined and not `Sendable`, so the compiler refuses to
/// let them cross threads. Work that must leave the loop (a blocking DNS lookup) takes a
/// `LoopBound` of the connection with it and hands it back through `loop.execute`; reading
/// the value anywhere but on its loop traps in debug builds.
public struct LoopBound<Value>: @unchecked Sendable {
    // @unchecked: `storedValue` is only touched through `value`, which asserts it runs on
    // `loop`'s thread; the value never really leaves that thread.
    public let loop: EventLoop
    private let storedValue: Value

    /// Wraps `value`; call on `loop`'s thread.
    public init(_ value: Value, loop: EventLoop) {
        loop.assertInLoop()
        self.loop = loop
        storedValue = value
    }

    /// The value; only on its loop.
    public var value: Value {
        loop.assertInLoop()
        return storedValue
    }
}
