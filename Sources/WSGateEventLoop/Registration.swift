public import WSGatePosix

/// A descriptor's membership in a loop's epoll set, with its current interest.
///
/// Why it exists: it carries the id that tags every epoll event for this descriptor, so an event
/// that arrives after the registration was dropped (or for a reused descriptor number) is
/// recognised as stale and ignored. It also remembers the interest, so turning reading off and
/// on for backpressure costs an `epoll_ctl` only when the interest really changes.
///
/// - Warning: loop-confined.
public final class Registration {
    let id: UInt32
    /// The registered descriptor (still owned by whoever registered it).
    public let descriptor: FileDescriptor
    /// What the loop currently waits for on `descriptor`.
    public internal(set) var interest: IOInterest
    /// Set to nil on deregistration, which ends the loop's strong reference to the handler.
    var handler: (any IOHandler)?

    init(id: UInt32, descriptor: FileDescriptor, interest: IOInterest, handler: any IOHandler) {
        self.id = id
        self.descriptor = descriptor
        self.interest = interest
        self.handler = handler
    }

    /// `true` until `EventLoop.deregister` ran.
    public var isActive: Bool { handler != nil }

    var tag: UInt64 { UInt64(id) << 32 | UInt64(UInt32(bitPattern: descriptor.rawValue)) }
}

@available(*, unavailable)
extension Registration: Sendable {}
