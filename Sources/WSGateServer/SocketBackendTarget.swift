import Dispatch
import WSGateEventLoop
import WSGatePosix

/// Where `--tcp` / `--unix` connections go, and the addresses that name resolves to.
///
/// Why it exists: a backend name is resolved at start and again when connecting fails (a
/// backend that moved to a new address is found without a restart). Resolution blocks, so a
/// re-resolution runs off the loop; its result replaces the addresses for later connections.
///
/// - Warning: `addresses` is loop-confined (each loop keeps its own copy).
final class SocketBackendTarget {
    enum Kind: Sendable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    let kind: Kind
    private(set) var addresses: [SocketAddress]

    init(kind: Kind, addresses: [SocketAddress]) {
        self.kind = kind
        self.addresses = addresses
    }

    /// `HOST:PORT` or the socket path, for log lines.
    var description: String {
        switch kind {
        case .tcp(let host, let port): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): return path
        }
    }

    /// `true` if resolving again could give other addresses (a name, not a literal or path).
    var canResolveAgain: Bool {
        if case .tcp(let host, let port) = kind { return SocketAddress(ipLiteral: host, port: port) == nil }
        return false
    }

    /// The addresses of `kind` now (blocking; at start-up or off the loop).
    static func resolve(_ kind: Kind) -> Result<[SocketAddress], IOError> {
        switch kind {
        case .tcp(let host, let port):
            do {
                return .success(try SocketAddress.resolve(host: host, port: port))
            } catch {
                return .failure(error)
            }
        case .unix(let path):
            guard let address = SocketAddress(unixPath: path) else {
                return .failure(IOError(errno: IOError.Code.invalidArgument, function: "unix socket path \(path)"))
            }
            return .success([address])
        }
    }

    /// Resolves again off `loop`'s thread and calls `completion` on the loop with the new
    /// addresses (kept for later connections too).
    func resolveAgain(on loop: EventLoop, completion: @escaping ([SocketAddress]) -> Void) {
        let kind = kind
        let box = LoopBound((self, completion), loop: loop)
        DispatchQueue.global().async {
            let result = Self.resolve(kind)
            box.loop.execute {
                let (target, completion) = box.value
                if case .success(let fresh) = result, !fresh.isEmpty { target.addresses = fresh }
                completion(target.addresses)
            }
        }
    }
}
