/// What the server is configured to accept and request when a client offers permessage-deflate
/// (RFC 7692 §7).
///
/// Why it exists: the negotiation is a pure function of the client's offers and these choices,
/// so a configuration flag maps onto one value and the handshake stays testable. Window sizes
/// outside 8...15 are clamped into that range by the negotiation.
public struct PerMessageDeflateSettings: Hashable, Sendable {
    /// Largest LZ77 window the server deflates with (`server_max_window_bits`), 8...15.
    public var serverMaxWindowBits: Int
    /// The server asks the client not to keep context between messages
    /// (`client_no_context_takeover` in the response even when not offered, which §7.1.1.2
    /// allows), so the server's inflater holds nothing between messages.
    public var requestClientNoContextTakeover: Bool
    /// The server does not keep context between its messages (`server_no_context_takeover` in
    /// the response), e.g. so one compressed frame can go to many clients.
    public var serverNoContextTakeover: Bool
    /// Largest window the server is willing to inflate with, 8...15: answered as
    /// `client_max_window_bits=N` when the client offered `client_max_window_bits` (without
    /// that offer the client may use 15, and the server must accept it, §7.1.2.2).
    public var clientMaxWindowBits: Int

    /// The defaults take what the client offers and ask for nothing: 15-bit windows, context
    /// kept on both sides unless the client asks otherwise.
    public init(
        serverMaxWindowBits: Int = 15,
        requestClientNoContextTakeover: Bool = false,
        serverNoContextTakeover: Bool = false,
        clientMaxWindowBits: Int = 15
    ) {
        self.serverMaxWindowBits = serverMaxWindowBits
        self.requestClientNoContextTakeover = requestClientNoContextTakeover
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientMaxWindowBits = clientMaxWindowBits
    }
}
