/// The parameters of one `permessage-deflate` offer, checked against RFC 7692 §7.
///
/// Why it exists: §7 lists when a server "MUST decline an extension negotiation offer"; reading
/// an offer into this type either applies those rules or fails, so the negotiation only ever
/// chooses among offers it may accept. A client (wsgate-bench) reads the server's response with it
/// too: a response has the same parameters, and the same ones make it invalid.
package struct PerMessageDeflateOffer: Equatable {
    /// The four parameters §7.1 defines for an offer.
    enum Name: CaseIterable {
        case serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits

        var text: String {
            switch self {
            case .serverNoContextTakeover: "server_no_context_takeover"
            case .clientNoContextTakeover: "client_no_context_takeover"
            case .serverMaxWindowBits: "server_max_window_bits"
            case .clientMaxWindowBits: "client_max_window_bits"
            }
        }
    }

    package var serverNoContextTakeover = false
    package var clientNoContextTakeover = false
    /// The `server_max_window_bits` value, or nil when not offered.
    package var serverMaxWindowBits: Int?
    /// Whether `client_max_window_bits` was offered, with or without a value.
    package var offersClientMaxWindowBits = false
    /// The `client_max_window_bits` value, when one was given.
    package var clientMaxWindowBitsHint: Int?

    /// Nil when §7 says to decline: "The negotiation offer contains an extension parameter not
    /// defined for use in an offer", "... an extension parameter with an invalid value", or
    /// "... multiple extension parameters with the same name".
    package init?(_ parameters: [WebSocketExtensionOffer.Parameter]) {
        var seen: [Name] = []
        for parameter in parameters {
            guard let name = Name.allCases.first(where: { parameter.hasName($0.text) }), !seen.contains(name) else { return nil }
            seen.append(name)
            switch name {
            case .serverNoContextTakeover, .clientNoContextTakeover:
                // §7.1.1.1/§7.1.1.2: the parameter "has no value".
                guard parameter.value == nil else { return nil }
                if name == .serverNoContextTakeover { serverNoContextTakeover = true } else { clientNoContextTakeover = true }
            case .serverMaxWindowBits:
                // §7.1.2.1: "This parameter has a decimal integer value without leading zeroes
                // between 8 to 15, inclusive".
                guard let bits = parameter.value.flatMap(Self.windowBits) else { return nil }
                serverMaxWindowBits = bits
            case .clientMaxWindowBits:
                // §7.1.2.2: "This parameter has no value or a decimal integer value without
                // leading zeroes between 8 to 15 inclusive".
                offersClientMaxWindowBits = true
                if let value = parameter.value {
                    guard let bits = Self.windowBits(value) else { return nil }
                    clientMaxWindowBitsHint = bits
                }
            }
        }
    }

    /// The window bits `text` spells, if it is 8...15 in decimal without leading zeroes or sign.
    static func windowBits(_ text: String) -> Int? {
        guard let bits = Int(text), (8...15).contains(bits), String(bits) == text else { return nil }
        return bits
    }
}
