import WSGatePosix

/// The real file system, as `ScriptResolver` asks about it for `--dir`.
///
/// Why it exists: the resolver's rules are pure and tested with a fake; this is the one place
/// they meet `stat` and `realpath`. Nothing is cached: scripts may be added and removed while
/// the gateway runs (as with websocketd).
struct PosixFileSystem: FileSystemProbe {
    func kind(of path: String) -> FileSystem.EntryKind { FileSystem.kindOfEntry(path) }
    func resolvedPath(_ path: String) -> String? { FileSystem.resolvedPath(path) }
}
