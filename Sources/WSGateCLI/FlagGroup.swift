/// The section of the help text (and man page) a flag is listed under.
///
/// Why it exists: forty flags in one list are unreadable; the groups follow what a user is
/// trying to do. The order of the cases is the order of the sections.
public enum FlagGroup: Sendable, Equatable, CaseIterable {
    case listening
    case backends
    case rooms
    case relay
    case security
    case logging
    case misc

    /// The section heading.
    public var title: String {
        switch self {
        case .listening: "Listening"
        case .backends: "Backends and plain-HTTP services"
        case .rooms: "Rooms (--broadcast)"
        case .relay: "Relay"
        case .security: "Security"
        case .logging: "Logging"
        case .misc: "Miscellaneous"
        }
    }
}
