/// The permessage-deflate parameters both peers use on one connection, and the response value
/// that announces them (RFC 7692 §7).
///
/// Why it exists: the compressor and decompressor of a connection need the negotiated window
/// sizes and context-takeover rules, and the 101 response must state exactly the same ones;
/// producing both from one negotiation keeps them from disagreeing.
public struct PerMessageDeflateAgreement: Hashable, Sendable {
    /// The server resets its deflater after each message.
    public var serverNoContextTakeover: Bool
    /// The client resets its deflater after each message, so the server may reset its inflater.
    public var clientNoContextTakeover: Bool
    /// The window the server deflates with, 8...15.
    public var serverMaxWindowBits: Int
    /// The window the server inflates with, 8...15 (15 when the client is not limited).
    public var clientMaxWindowBits: Int
    /// The `Sec-WebSocket-Extensions` response value, e.g.
    /// `permessage-deflate; server_no_context_takeover; client_max_window_bits=12`.
    public var responseValue: String

    public init(serverNoContextTakeover: Bool, clientNoContextTakeover: Bool, serverMaxWindowBits: Int,
                clientMaxWindowBits: Int, responseValue: String) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
        self.responseValue = responseValue
    }
}
