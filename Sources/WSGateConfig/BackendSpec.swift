/// What each accepted WebSocket connection is relayed to.
///
/// Why it exists: wsgate has several mutually exclusive backends (a program, a script directory, a
/// TCP or Unix socket, the built-in echo) and the command line must end up with exactly one of
/// them; an enum makes "two backends at once" unrepresentable after validation.
/// It only names the backend: it must not start, open or check anything itself.
public enum BackendSpec: Sendable, Equatable {
    /// `wsgate [OPTIONS] COMMAND [ARG...]`: run `path` (already resolved through `$PATH` at start)
    /// with `arguments` (the words after COMMAND, verbatim) for every connection.
    case command(path: String, arguments: [String])
    /// `--dir=DIR`: `DIR/a/b.sh` serves `/a/b.sh`, the rest of the URL path is `PATH_INFO`.
    case directory(String)
    /// `--tcp=HOST:PORT`: connect to this TCP endpoint per connection. `host` is a name or an IP
    /// address, IPv6 without its brackets; `port` is 1...65535.
    case tcp(host: String, port: Int)
    /// `--unix=PATH`: connect to this Unix-domain stream socket per connection.
    case unix(String)
    /// `--echo`: the built-in exact echo (every message comes back unchanged).
    case echo
    /// No WebSocket backend: only plain-HTTP services run (`--staticdir`, `--cgidir`,
    /// `--devconsole`); every request, upgrades included, goes to them.
    case none
}
