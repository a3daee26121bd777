import CWSGateLinux
import Glibc

/// A directory whose files are served (`--staticdir`), opened once, from which files are only
/// ever opened beneath it.
///
/// Why it exists: the static file server must never hand out a file outside its directory,
/// whatever the URL or the symbolic links inside the directory say. Every open goes through
/// `CWSGateLinux_open_beneath` relative to the descriptor held here, so the kernel enforces the
/// boundary at the moment of the open (and renaming the directory away changes nothing).
/// Shared by every loop: `openat` on one descriptor from several threads is safe.
public final class ServedDirectory: Sendable {
    private let root: Int32
    private let useOpenat2: Bool

    /// What an open found.
    public enum Entry {
        /// A regular file or a directory, open for reading, and what `fstat` said of it.
        case found(FileDescriptor, FileInfo)
        /// Nothing there (or a path component that is not a directory).
        case missing
        /// The path leads out of the directory (a symbolic link or `..`), or is a special file
        /// (FIFO, device, socket), or may not be read.
        case refused(reason: String)
        /// The gateway could not open it for want of resources (descriptors, memory): not the
        /// request's fault, and it may work later.
        case failed(IOError)
    }

    /// Opens `path` as the served directory; `useOpenat2: false` takes the fallback that
    /// follows no symbolic link at all (kernels before 5.6; tests).
    public init(path: String, useOpenat2: Bool = true) throws(IOError) {
        root = try syscallValue("open \(path)") { Glibc.open(path, CWSGateLinux_o_path() | O_DIRECTORY | O_CLOEXEC) }
        self.useOpenat2 = useOpenat2
    }

    deinit { Glibc.close(root) }

    /// Opens `relativePath` (bytes, no leading "/", "" for the directory itself) beneath the
    /// served directory.
    public func open(_ relativePath: [UInt8]) -> Entry {
        guard !relativePath.contains(0) else { return .missing }
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        let flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
        let path = relativePath.isEmpty ? [UInt8(ascii: "."), 0] : relativePath + [0]
        let fd = path.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                CWSGateLinux_open_beneath(root, $0.baseAddress, flags, useOpenat2 ? 1 : 0)
            }
        }
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR, ENAMETOOLONG: return .missing
            case EXDEV, ELOOP: return .refused(reason: "leads outside the directory")
            case EACCES, EPERM: return .refused(reason: "permission denied")
            case EMFILE, ENFILE, ENOMEM: return .failed(IOError(errno: errno, function: "open"))
            default: return .refused(reason: String(cString: strerror(errno)))
            }
        }
        let descriptor = FileDescriptor(taking: fd)
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let error = IOError(errno: errno, function: "fstat")
            descriptor.close()
            return .failed(error)
        }
        let info = FileInfo(status)
        guard info.kind != .other else {
            descriptor.close()
            return .refused(reason: "not a regular file")
        }
        return .found(descriptor, info)
    }

    /// The entries of the open directory `directory` (not "." and ".."), at most `limit` of
    /// them, each with whether it is a directory (a link to one counts). `directory` stays
    /// open. It was opened for reading, so what fails here is the gateway's resources.
    public func entries(of directory: FileDescriptor, limit: Int) throws(IOError) -> [(name: [UInt8], isDirectory: Bool)] {
        // fdopendir takes over the descriptor it gets, so it gets its own copy.
        let copy = try syscallValue("fcntl") { fcntl(directory.rawValue, F_DUPFD_CLOEXEC, 0) }
        guard let stream = fdopendir(copy) else {
            let error = IOError(errno: errno, function: "fdopendir")
            Glibc.close(copy)
            throw error
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var entries: [(name: [UInt8], isDirectory: Bool)] = []
        while entries.count < limit, let entry = readdir(stream) {
            if DirectoryEntryName.isDotOrDotDot(entry) { continue }
            let name = DirectoryEntryName.bytes(of: entry)
            var isDirectory = Int32(entry.pointee.d_type) == Int32(DT_DIR)
            if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) || Int32(entry.pointee.d_type) == Int32(DT_LNK) {
                var status = stat()
                isDirectory = (name + [0]).withUnsafeBufferPointer { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { fstatat(directory.rawValue, $0.baseAddress!, &status, 0) == 0 }
                } && status.st_mode & S_IFMT == S_IFDIR
            }
            entries.append((name, isDirectory))
        }
        return entries
    }
}

/// What `fstat` says of a served file.
public struct FileInfo: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case regular
        case directory
        case other
    }

    public let kind: Kind
    public let size: Int
    /// Last modification, seconds and nanoseconds since the Unix epoch.
    public let modifiedSeconds: Int
    public let modifiedNanoseconds: Int

    init(_ status: stat) {
        switch status.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        size = Int(status.st_size)
        modifiedSeconds = Int(status.st_mtim.tv_sec)
        modifiedNanoseconds = Int(status.st_mtim.tv_nsec)
    }

    public init(kind: Kind, size: Int, modifiedSeconds: Int, modifiedNanoseconds: Int) {
        self.kind = kind
        self.size = size
        self.modifiedSeconds = modifiedSeconds
        self.modifiedNanoseconds = modifiedNanoseconds
    }
}
