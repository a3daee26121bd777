import CWSGateLinux
import Glibc

/// An epoll instance: the kernel's readiness notification for many descriptors at once.
///
/// Why it exists: it is the reactor's only blocking point. Kernel flags stop here: callers speak
/// `IOInterest` and get `IOEvents` back, with a 64-bit tag per registration that lets the loop
/// recognise and drop events for registrations that are already gone.
public final class Epoll {
    private let fd: FileDescriptor
    private var events: UnsafeMutableBufferPointer<epoll_event>

    /// One event drained from `wait`.
    public struct Event {
        public var tag: UInt64
        public var events: IOEvents
    }

    public init(maxEventsPerWait: Int = 256) throws(IOError) {
        fd = FileDescriptor(taking: try syscallValue("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) })
        events = .allocate(capacity: maxEventsPerWait)
    }

    deinit {
        fd.close()
        events.deallocate()
    }

    public func add(_ target: FileDescriptor, interest: IOInterest, tag: UInt64) throws(IOError) {
        try control(EPOLL_CTL_ADD, target.rawValue, interest, tag)
    }

    public func modify(_ target: FileDescriptor, interest: IOInterest, tag: UInt64) throws(IOError) {
        try control(EPOLL_CTL_MOD, target.rawValue, interest, tag)
    }

    public func remove(_ target: FileDescriptor) throws(IOError) {
        try control(EPOLL_CTL_DEL, target.rawValue, [], 0)
    }

    /// Waits up to `timeoutMilliseconds` (-1 = forever) and hands each ready event to `body`.
    public func wait(timeoutMilliseconds: Int32, _ body: (Event) -> Void) throws(IOError) {
        let raw = fd.rawValue
        let buffer = events
        let count = try syscallValue("epoll_wait") {
            epoll_wait(raw, buffer.baseAddress, Int32(buffer.count), timeoutMilliseconds)
        }
        for index in 0..<Int(count) {
            var event = buffer[index]
            body(Event(tag: CWSGateLinux_epoll_event_data(&event), events: IOEvents(epoll: event.events)))
        }
    }

    private func control(_ operation: Int32, _ target: Int32, _ interest: IOInterest, _ tag: UInt64) throws(IOError) {
        var event = epoll_event()
        CWSGateLinux_epoll_event_set(&event, interest.epollFlags, tag)
        let raw = fd.rawValue
        _ = try syscallValue("epoll_ctl") { epoll_ctl(raw, operation, target, &event) }
    }
}

@available(*, unavailable)
extension Epoll: Sendable {}
