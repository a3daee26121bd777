/// The address wsgate treats as the client's: the socket peer, or what trusted proxies said.
///
/// Why it exists: `REMOTE_ADDR`/`REMOTE_PORT`, the log's remote and the origin and rate
/// decisions all need the same answer, plus whether it came from a header (a forwarded
/// address may carry no port).
public struct ClientAddress: Sendable, Equatable, CustomStringConvertible {
    /// The client's address, as the peer or the header gave it (an IPv4-mapped peer stays mapped).
    public var address: IPAddress
    /// The port: the peer's, or the one the header gave (nil if it gave none or hid it).
    public var port: UInt16?
    /// The header the address was taken from; nil for the socket peer itself.
    public var source: ForwardedHeader?

    public init(address: IPAddress, port: UInt16?, source: ForwardedHeader? = nil) {
        self.address = address
        self.port = port
        self.source = source
    }

    /// `192.0.2.1:80`, `[2001:db8::1]:80`, or the bare address without a port.
    public var description: String {
        let host = if case .v6 = address { "[\(address)]" } else { "\(address)" }
        return port.map { "\(host):\($0)" } ?? "\(address)"
    }
}
