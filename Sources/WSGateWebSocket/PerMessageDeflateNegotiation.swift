/// Server-side negotiation of permessage-deflate (RFC 7692 §5, §7.1).
///
/// Why it exists: it turns the client's offers and the server's settings into the one agreement
/// the connection uses and the response value that states it, with every rule of §7.1 in one
/// place. It offers nothing itself: a server only answers (§5).
public enum PerMessageDeflateNegotiation {
    /// The extension name (RFC 7692 §7: "The registered extension name for this extension is
    /// "permessage-deflate".").
    public static let extensionName = "permessage-deflate"

    /// The agreement for the first acceptable `permessage-deflate` offer in the client's order,
    /// or nil when there is none (the response then names no extension).
    ///
    /// §5: "The order of elements is important as it specifies the client's preference."
    /// An offer §7 says to decline is skipped and the next one tried. Other extensions are
    /// ignored, so the response holds exactly one.
    public static func negotiate(_ offers: [WebSocketExtensionOffer],
                                 settings: PerMessageDeflateSettings) -> PerMessageDeflateAgreement? {
        for offer in offers where offer.hasName(extensionName) {
            if let parameters = PerMessageDeflateOffer(offer.parameters) {
                return agreement(accepting: parameters, settings: settings)
            }
        }
        return nil
    }

    private static func agreement(accepting offer: PerMessageDeflateOffer,
                                  settings: PerMessageDeflateSettings) -> PerMessageDeflateAgreement {
        // §7.1.1.1: "A server MAY include the "server_no_context_takeover" extension parameter
        // in an extension negotiation response even if the extension negotiation offer being
        // accepted by the extension negotiation response didn't include" it.
        let serverNoContextTakeover = offer.serverNoContextTakeover || settings.serverNoContextTakeover
        // §7.1.1.2: "A server MAY include the "client_no_context_takeover" extension parameter
        // in an extension negotiation response."
        let clientNoContextTakeover = offer.clientNoContextTakeover || settings.requestClientNoContextTakeover
        // §7.1.2.1: the response carries "the same or smaller value as the offer", and "A server
        // MAY include the "server_max_window_bits" extension parameter in an extension
        // negotiation response even if the extension negotiation offer being accepted by the
        // response didn't include" it.
        let serverLimit = clamped(settings.serverMaxWindowBits)
        let serverBits = min(offer.serverMaxWindowBits ?? 15, serverLimit)
        let statesServerBits = offer.serverMaxWindowBits != nil || serverBits < 15
        // §7.1.2.2: "If a received extension negotiation offer doesn't have the
        // "client_max_window_bits" extension parameter, the corresponding extension negotiation
        // response to the offer MUST NOT include" it; then the client may use 15. With it, the
        // response value is "equal to or smaller than the received value".
        var clientBits = 15
        var statesClientBits = false
        if offer.offersClientMaxWindowBits {
            clientBits = min(offer.clientMaxWindowBitsHint ?? 15, clamped(settings.clientMaxWindowBits))
            statesClientBits = offer.clientMaxWindowBitsHint != nil || clientBits < 15
        }

        var response = extensionName
        if serverNoContextTakeover { response += "; " + PerMessageDeflateOffer.Name.serverNoContextTakeover.text }
        if clientNoContextTakeover { response += "; " + PerMessageDeflateOffer.Name.clientNoContextTakeover.text }
        if statesServerBits { response += "; \(PerMessageDeflateOffer.Name.serverMaxWindowBits.text)=\(serverBits)" }
        if statesClientBits { response += "; \(PerMessageDeflateOffer.Name.clientMaxWindowBits.text)=\(clientBits)" }
        return PerMessageDeflateAgreement(
            serverNoContextTakeover: serverNoContextTakeover, clientNoContextTakeover: clientNoContextTakeover,
            serverMaxWindowBits: serverBits, clientMaxWindowBits: clientBits, responseValue: response)
    }

    /// A configured window size forced into the 8...15 that §7.1.2 allows.
    private static func clamped(_ bits: Int) -> Int {
        min(max(bits, 8), 15)
    }
}
