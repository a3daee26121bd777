/// What a PROXY protocol header (HAProxy's specification, versions 1 and 2) said about the
/// connection it was put in front of.
///
/// Why it exists: behind HAProxy's `send-proxy` / `send-proxy-v2` every connection seems to
/// come from the proxy; the header names the real client. This is the part of it wsgate uses:
/// which version was spoken (for the log) and the original endpoints, if the header gives any.
public struct ProxyHeader: Equatable, Hashable, Sendable {
    /// The two header formats of the specification.
    public enum Version: Equatable, Hashable, Sendable {
        /// The human-readable line, `PROXY TCP4 ...\r\n` (section 2.1).
        case v1
        /// The binary header with the 12-byte signature (section 2.2).
        case v2
    }

    /// The original connection: the client (`source`) and the address it connected to
    /// (`destination`), always of the same family.
    public struct Endpoints: Equatable, Hashable, Sendable {
        public let source: ProxyAddress
        public let destination: ProxyAddress

        public init(source: ProxyAddress, destination: ProxyAddress) {
            self.source = source
            self.destination = destination
        }
    }

    public let version: Version
    /// The original endpoints; nil when the header says to keep the connection's own: a v1
    /// `UNKNOWN` line, a v2 `LOCAL` command (a health check), or a v2 family other than TCP over
    /// IPv4 or IPv6 (UNSPEC, UDP, UNIX), which the specification lets a receiver treat as UNSPEC.
    public let endpoints: Endpoints?

    public init(version: Version, endpoints: Endpoints?) {
        self.version = version
        self.endpoints = endpoints
    }
}
