/// Why a compressed message could not be inflated.
///
/// Why it exists: the session must tell a peer's bad data (close 1007) from its own lack of
/// memory (close 1011); the inflater knows which, the close codes are the session's business.
public enum InflateError: Error, Equatable, Sendable {
    /// Not valid DEFLATE data for this message and window (RFC 7692 §7.2.2), or a message that
    /// ends in the middle of a block.
    case corruptData
    /// zlib could not allocate its state.
    case outOfMemory
}
