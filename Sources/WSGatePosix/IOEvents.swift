import CWSGateLinux

/// What a registration wants to hear about.
public struct IOInterest: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let read = IOInterest(rawValue: 1)
    public static let write = IOInterest(rawValue: 2)
}

/// What the kernel reported for a descriptor, in the gateway's words.
public struct IOEvents: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let readable = IOEvents(rawValue: 1)
    public static let writable = IOEvents(rawValue: 2)
    /// The peer shut its sending side (EPOLLRDHUP): more reads will return EOF after the data.
    public static let readEOF = IOEvents(rawValue: 4)
    /// Both directions are gone (EPOLLHUP).
    public static let hangup = IOEvents(rawValue: 8)
    /// A pending socket error (EPOLLERR).
    public static let error = IOEvents(rawValue: 16)
}

// MARK: - The only place EPOLL* flags are spelled

extension IOInterest {
    var epollFlags: UInt32 {
        var flags: UInt32 = 0
        if contains(.read) { flags |= EPOLLIN.rawValue | EPOLLRDHUP.rawValue }
        if contains(.write) { flags |= EPOLLOUT.rawValue }
        return flags
    }
}

extension IOEvents {
    init(epoll flags: UInt32) {
        var events: IOEvents = []
        if flags & EPOLLIN.rawValue != 0 { events.insert(.readable) }
        if flags & EPOLLOUT.rawValue != 0 { events.insert(.writable) }
        if flags & EPOLLRDHUP.rawValue != 0 { events.insert(.readEOF) }
        if flags & EPOLLHUP.rawValue != 0 { events.insert(.hangup) }
        if flags & EPOLLERR.rawValue != 0 { events.insert(.error) }
        self = events
    }
}
