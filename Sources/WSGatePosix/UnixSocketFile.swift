import CWSGateLinux
import Glibc

/// The file a listening Unix socket is bound to: claimed at start, removed at exit.
///
/// Why it exists: a Unix socket leaves its file behind when its process dies, and bind(2)
/// fails on any existing file, so a server restarted after a crash must replace its own stale
/// socket; yet it must never take the path of a server that still runs, nor delete a file that
/// is not a socket. The rule: connect to the socket found there; refused means nobody listens,
/// so it is stale and removed; accepted (or a full backlog) means a live server, and start-up
/// fails. At exit only the file this process bound (same device and inode) is removed, never
/// one another server bound there since. The file's mode is the umask's: nothing is chmod-ed.
public struct UnixSocketFile: Sendable {
    /// The path as given (relative paths are relative to the working directory).
    public let path: String
    private let device: UInt64
    private let inode: UInt64

    /// Why the path cannot be listened on.
    public enum ClaimError: Error, Sendable, CustomStringConvertible {
        /// A server accepts connections there.
        case inUse
        /// Something that is not a socket is there; it is left alone.
        case notASocket
        /// A system call failed (permissions, a missing directory, a name too long…).
        case failed(IOError)

        public var description: String {
            switch self {
            case .inUse: return "bind: \(IOError.message(EADDRINUSE)) (a server is listening on it)"
            case .notASocket: return "the path exists and is not a socket (left as it is)"
            case .failed(let error): return error.description
            }
        }
    }

    /// A non-blocking, close-on-exec socket listening at `path`, after removing a stale socket
    /// left there by a dead process.
    public static func listen(at path: String, backlog: Int32 = Socket.ListenOptions().backlog)
        throws(ClaimError) -> (socket: FileDescriptor, file: UnixSocketFile) {
        guard let address = SocketAddress(unixPath: path) else {
            throw .failed(IOError(errno: ENAMETOOLONG, function: "socket path"))
        }
        switch try existingEntry(at: path, address: address) {
        case .none:
            break
        case .staleSocket:
            guard Glibc.unlink(path) == 0 || errno == ENOENT else {
                throw .failed(IOError(errno: errno, function: "unlink stale socket"))
            }
        case .liveSocket:
            throw .inUse
        case .notASocket:
            throw .notASocket
        }
        var options = Socket.ListenOptions()
        options.backlog = backlog
        let socket: FileDescriptor
        do {
            socket = try Socket.listen(on: address, options: options)
        } catch {
            // Another server bound the path between the check and our bind.
            throw error.errno == EADDRINUSE ? .inUse : .failed(error)
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let failure = IOError(errno: errno, function: "lstat")
            socket.close()
            throw .failed(failure)
        }
        return (socket, UnixSocketFile(path: path, device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }

    /// Removes the socket file if it is still the one `listen` bound.
    public func remove() {
        var info = stat()
        guard lstat(path, &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode else { return }
        _ = Glibc.unlink(path)
    }

    private enum Entry {
        case none, staleSocket, liveSocket, notASocket
    }

    /// What is at `path` now. Symbolic links are not followed: a link is "not a socket".
    private static func existingEntry(at path: String, address: SocketAddress) throws(ClaimError) -> Entry {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return .none }
            throw .failed(IOError(errno: errno, function: "lstat"))
        }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else { return .notASocket }
        do {
            // Connected, or in progress (EAGAIN: its backlog is full): someone listens.
            let probe = try Socket.connect(to: address)
            probe.socket.close()
            return .liveSocket
        } catch {
            switch error.errno {
            case ECONNREFUSED: return .staleSocket
            case ENOENT: return .none  // removed meanwhile
            default: throw .failed(error)
            }
        }
    }
}
