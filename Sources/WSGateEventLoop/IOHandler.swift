public import WSGatePosix

/// Something that owns a registered descriptor and reacts to its readiness.
///
/// Why it exists: the loop knows nothing about connections, listeners or pipes; it only calls
/// this one method on whatever registered the descriptor that became ready.
///
/// - Warning: called on the loop's thread only.
public protocol IOHandler: AnyObject {
    /// The kernel reported `events` for the descriptor this handler registered.
    func handle(_ events: IOEvents)
}

/// Something that wants one call after the current tick's events, to batch work (flushes).
public protocol EndOfTickHandler: AnyObject {
    func endOfTick()
}
