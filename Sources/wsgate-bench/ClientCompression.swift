import WSGateCompression
import WSGateCore
import WSGateWebSocket

/// permessage-deflate (RFC 7692) on the client side of one benchmark connection (`--compress`):
/// the offer, the check of the server's answer, and the codec both then use.
///
/// Why it exists: a compression benchmark must compare servers doing the same work, so the
/// client offers what browsers offer, insists that the server accepts it (a server that
/// answers without the extension would be measured uncompressed), and keeps to exactly what
/// the answer says: its own window and context rules for what it sends, the server's for what
/// it inflates. Masking happens after compression (the encoder masks the compressed payload).
///
/// - Warning: loop-confined.
struct ClientCompression {
    /// The offer: what Chrome and Firefox send.
    static let offer = "\(PerMessageDeflateNegotiation.extensionName); client_max_window_bits"

    let deflater: MessageDeflater
    var reader: PerMessageDeflateReader

    /// The codec the `Sec-WebSocket-Extensions` values of the 101 response agree on. Throws the
    /// reason when they do not accept the offer: no extension, another one, more than one, or
    /// parameters §7.1 does not allow in a response to it.
    init(answer values: [String]) throws(BenchError) {
        let answer = values.joined(separator: ", ")
        let elements = WebSocketExtensionOffer.parse(headerValues: values)
        guard !elements.isEmpty else {
            throw .setup(values.isEmpty ? "the server did not accept permessage-deflate (no Sec-WebSocket-Extensions)"
                                        : "unreadable Sec-WebSocket-Extensions: \(answer)")
        }
        // §7: the response names one extension we offered, once.
        guard elements.count == 1, elements[0].hasName(PerMessageDeflateNegotiation.extensionName),
              let parameters = PerMessageDeflateOffer(elements[0].parameters) else {
            throw .setup("an answer that does not accept the offer: Sec-WebSocket-Extensions: \(answer)")
        }
        // §7.1.2.2: the client MUST fail the connection if the response has a
        // client_max_window_bits without a value; with none, the client may use 15.
        if parameters.offersClientMaxWindowBits && parameters.clientMaxWindowBitsHint == nil {
            throw .setup("client_max_window_bits without a value in the answer: \(answer)")
        }
        // The client's own work runs on the same cores as the server's, so it is kept small
        // alike for every server: the fastest level, and no allocation per message.
        deflater = MessageDeflater(windowBits: parameters.clientMaxWindowBitsHint ?? 15, level: 1,
                                   noContextTakeover: parameters.clientNoContextTakeover, keepsStateWithoutContext: true)
        reader = PerMessageDeflateReader(windowBits: parameters.serverMaxWindowBits ?? 15,
                                         noContextTakeover: parameters.serverNoContextTakeover)
    }
}
