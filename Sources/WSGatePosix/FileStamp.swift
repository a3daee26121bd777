import CWSGateLinux
import Glibc

/// What identifies one version of a file without reading it: device, inode, size and
/// modification time (nanoseconds), following symbolic links.
///
/// Why it exists: a renewed certificate is noticed by polling its files cheaply. A file
/// replaced by a rename (or a symbolic link moved to a new target, as certbot does) gets a
/// new inode; one rewritten in place a new size or modification time.
public struct FileStamp: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    /// The stamp of `path`'s current version; nil if it cannot be examined (missing).
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
