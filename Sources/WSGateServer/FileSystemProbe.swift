public import WSGatePosix

/// The two file-system questions `ScriptResolver` asks, behind a protocol.
///
/// Why it exists: routing must stay pure and testable (a dictionary in tests), while the real
/// answers come from `stat(2)` and `realpath(3)` in the I/O layer. Implementations must follow
/// symlinks, like `stat(2)`, and must not cache: scripts may be added or removed while wsgate
/// runs (websocketd looks them up per request).
public protocol FileSystemProbe: Sendable {
    /// What `path` names after following symlinks.
    func kind(of path: String) -> FileSystem.EntryKind
    /// The canonical absolute path (every symlink, ".", ".." resolved, as `realpath(3)`), or
    /// nil if it cannot be resolved.
    func resolvedPath(_ path: String) -> String?
}
