import Glibc

/// The few file-system questions the gateway asks at start-up.
public enum FileSystem {
    /// `true` if `path` names a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// `true` if `path` is a regular file this process may execute.
    public static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }

    /// Removes a file (a stale Unix socket); errors are ignored.
    public static func unlink(_ path: String) {
        _ = Glibc.unlink(path)
    }
}
