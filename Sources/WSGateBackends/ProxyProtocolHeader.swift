public import WSGatePosix

/// The PROXY protocol v1 line (HAProxy's convention) that tells a TCP backend who the client
/// really is.
///
/// Why it exists: a TCP backend cannot receive CGI variables; behind wsgate every connection
/// seems to come from wsgate itself (websockify #334, #630). Services that understand the
/// PROXY protocol read this one line first: `PROXY TCP4 <client> <server> <cport> <sport>\r\n`.
public enum ProxyProtocolHeader {
    /// The v1 line for a client connected from `client` to `server` (our listening address).
    /// Anything else than two IPv4 or two IPv6 addresses gives `PROXY UNKNOWN\r\n`, as the
    /// specification (section 2.1) says.
    public static func v1(client: SocketAddress?, server: SocketAddress?) -> String {
        guard let client, let server, !client.isUnix, !server.isUnix, client.isIPv6 == server.isIPv6 else {
            return "PROXY UNKNOWN\r\n"
        }
        let family = client.isIPv6 ? "TCP6" : "TCP4"
        return "PROXY \(family) \(client.host) \(server.host) \(client.port) \(server.port)\r\n"
    }
}
