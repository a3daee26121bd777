import Testing
import WSGateWebSocket

/// `PerMessageDeflateNegotiation.negotiate`: RFC 7692 §5 and §7.1, one rule a test.
@Suite(.timeLimit(.minutes(10))) struct PerMessageDeflateNegotiationTests {
    typealias Settings = PerMessageDeflateSettings

    static func negotiate(_ values: String..., settings: Settings = Settings()) -> PerMessageDeflateAgreement? {
        PerMessageDeflateNegotiation.negotiate(WebSocketExtensionOffer.parse(headerValues: values), settings: settings)
    }

    static func response(_ values: String..., settings: Settings = Settings()) -> String? {
        PerMessageDeflateNegotiation.negotiate(WebSocketExtensionOffer.parse(headerValues: values), settings: settings)?
            .responseValue
    }

    // What clients send.

    @Test(arguments: ["permessage-deflate; client_max_window_bits", "permessage-deflate"])
    func browserOffersWithDefaults(_ offer: String) {
        // Chromium, Python websockets, Node ws; Firefox.
        #expect(Self.negotiate(offer) == PerMessageDeflateAgreement(
            serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15,
            clientMaxWindowBits: 15, responseValue: "permessage-deflate"))
    }

    @Test func autobahnOffers() {
        #expect(Self.response("permessage-deflate; client_no_context_takeover; client_max_window_bits")
            == "permessage-deflate; client_no_context_takeover")
        #expect(Self.response("permessage-deflate; server_max_window_bits=8") == "permessage-deflate; server_max_window_bits=8")
        #expect(Self.response("permessage-deflate; server_no_context_takeover; client_max_window_bits=9")
            == "permessage-deflate; server_no_context_takeover; client_max_window_bits=9")
        let list = "permessage-deflate; server_max_window_bits=9; client_max_window_bits=9, "
            + "permessage-deflate; server_max_window_bits=9, permessage-deflate"
        #expect(Self.response(list) == "permessage-deflate; server_max_window_bits=9; client_max_window_bits=9")
    }

    @Test func noOfferNoAgreement() {
        #expect(Self.negotiate() == nil)
        #expect(Self.negotiate("x-webkit-deflate-frame") == nil)
        #expect(Self.negotiate("permessage-deflate; foo") == nil)
    }

    // Declined offers (§7: "A server MUST decline an extension negotiation offer for this
    // extension if any of the following conditions are met"); the next one is tried.

    @Test(arguments: [
        "permessage-deflate; foo",                                             // not defined for an offer
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",  // twice
        "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
        "permessage-deflate; server_no_context_takeover=1",                   // no value allowed
        "permessage-deflate; client_no_context_takeover=\"x\"",
        "permessage-deflate; server_max_window_bits",                         // a value is required
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=09",                      // leading zero
        "permessage-deflate; server_max_window_bits=010",
        "permessage-deflate; server_max_window_bits=+9",
        "permessage-deflate; client_max_window_bits=0",
        "permessage-deflate; client_max_window_bits=abc",
        "permessage-deflate; client_max_window_bits=\"16\"",
    ])
    func aRefusedOfferIsSkippedForTheNext(_ offer: String) {
        #expect(Self.negotiate(offer) == nil)
        #expect(Self.response(offer + ", permessage-deflate; server_no_context_takeover")
            == "permessage-deflate; server_no_context_takeover")
    }

    @Test func theFirstAcceptableOfferWins() {
        #expect(Self.response("permessage-deflate; client_no_context_takeover, permessage-deflate; server_no_context_takeover")
            == "permessage-deflate; client_no_context_takeover")
        #expect(Self.response("x-webkit-deflate-frame, permessage-deflate") == "permessage-deflate")
    }

    @Test func namesCompareIgnoringCase() {
        #expect(Self.response("PERMESSAGE-DEFLATE; Server_No_Context_Takeover")
            == "permessage-deflate; server_no_context_takeover")
    }

    // server_no_context_takeover (§7.1.1.1) and client_no_context_takeover (§7.1.1.2): the server
    // "MAY include" either even when the offer did not.

    @Test(arguments: ["server_no_context_takeover", "client_no_context_takeover"])
    func noContextTakeoverOfferedConfiguredOrBoth(_ parameter: String) {
        let isServer = parameter.hasPrefix("server")
        let configured = isServer ? Settings(serverNoContextTakeover: true) : Settings(requestClientNoContextTakeover: true)
        for (offer, settings) in [("permessage-deflate; \(parameter)", Settings()), ("permessage-deflate", configured),
                                  ("permessage-deflate; \(parameter)", configured)] {
            let agreement = Self.negotiate(offer, settings: settings)
            #expect((isServer ? agreement?.serverNoContextTakeover : agreement?.clientNoContextTakeover) == true)
            #expect((isServer ? agreement?.clientNoContextTakeover : agreement?.serverNoContextTakeover) == false)
            #expect(agreement?.responseValue == "permessage-deflate; \(parameter)")
        }
    }

    // server_max_window_bits (§7.1.2.1) and client_max_window_bits (§7.1.2.2).

    /// §7.1.2.1: the response has "the same or smaller value as the offer"; §7.1.2.2: "a value
    /// equal to or smaller than the received value".
    @Test(arguments: [
        ("server_max_window_bits", 8, 15, 8), ("server_max_window_bits", 12, 15, 12), ("server_max_window_bits", 15, 15, 15),
        ("server_max_window_bits", 15, 10, 10), ("server_max_window_bits", 12, 10, 10), ("server_max_window_bits", 9, 10, 9),
        ("client_max_window_bits", 10, 15, 10), ("client_max_window_bits", 15, 15, 15), ("client_max_window_bits", 15, 9, 9),
        ("client_max_window_bits", 8, 12, 8), ("client_max_window_bits", 13, 12, 12),
    ])
    func offeredWindowIsTheSmallerOfBoth(_ parameter: String, _ offered: Int, _ limit: Int, _ agreed: Int) {
        let isServer = parameter.hasPrefix("server")
        let settings = isServer ? Settings(serverMaxWindowBits: limit) : Settings(clientMaxWindowBits: limit)
        let agreement = Self.negotiate("permessage-deflate; \(parameter)=\(offered)", settings: settings)
        #expect((isServer ? agreement?.serverMaxWindowBits : agreement?.clientMaxWindowBits) == agreed)
        #expect(agreement?.responseValue == "permessage-deflate; \(parameter)=\(agreed)")
    }

    @Test func quotedServerWindow() {
        #expect(Self.response("permessage-deflate; server_max_window_bits=\"10\"") == "permessage-deflate; server_max_window_bits=10")
    }

    @Test func configuredServerWindowIsStatedWhenNotOffered() {
        let agreement = Self.negotiate("permessage-deflate", settings: Settings(serverMaxWindowBits: 11))
        #expect(agreement?.serverMaxWindowBits == 11)
        #expect(agreement?.responseValue == "permessage-deflate; server_max_window_bits=11")
    }

    @Test func clientWindowWithoutValue() {
        let unlimited = Self.negotiate("permessage-deflate; client_max_window_bits")
        #expect(unlimited?.clientMaxWindowBits == 15)
        #expect(unlimited?.responseValue == "permessage-deflate")
        let limited = Self.negotiate("permessage-deflate; client_max_window_bits", settings: Settings(clientMaxWindowBits: 12))
        #expect(limited?.clientMaxWindowBits == 12)
        #expect(limited?.responseValue == "permessage-deflate; client_max_window_bits=12")
    }

    /// "If a received extension negotiation offer doesn't have the "client_max_window_bits"
    /// extension parameter, the corresponding extension negotiation response to the offer MUST
    /// NOT include" it.
    @Test func clientWindowNotOfferedIsNeverStated() {
        let agreement = Self.negotiate("permessage-deflate", settings: Settings(clientMaxWindowBits: 9))
        #expect(agreement?.clientMaxWindowBits == 15)
        #expect(agreement?.responseValue == "permessage-deflate")
    }

    // The response.

    @Test func everythingInTheFixedOrder() {
        let settings = Settings(serverMaxWindowBits: 12, requestClientNoContextTakeover: true, serverNoContextTakeover: true,
                                clientMaxWindowBits: 10)
        let agreement = Self.negotiate("permessage-deflate; client_max_window_bits=11; server_max_window_bits=13", settings: settings)
        #expect(agreement == PerMessageDeflateAgreement(
            serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 12, clientMaxWindowBits: 10,
            responseValue: "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                + "server_max_window_bits=12; client_max_window_bits=10"))
    }

    @Test func settingsOutsideTheRangeAreClamped() {
        let agreement = Self.negotiate("permessage-deflate; client_max_window_bits",
                                       settings: Settings(serverMaxWindowBits: 3, clientMaxWindowBits: 40))
        #expect(agreement?.serverMaxWindowBits == 8)
        #expect(agreement?.clientMaxWindowBits == 15)
        #expect(agreement?.responseValue == "permessage-deflate; server_max_window_bits=8")
    }

    @Test func theResponseParsesBackToOneAcceptableOffer() {
        let settings = Settings(serverMaxWindowBits: 10, requestClientNoContextTakeover: true, serverNoContextTakeover: true,
                                clientMaxWindowBits: 9)
        let response = Self.response("permessage-deflate; client_max_window_bits", settings: settings) ?? ""
        let offers = WebSocketExtensionOffer.parse(headerValues: [response])
        #expect(offers.count == 1)
        #expect(PerMessageDeflateNegotiation.negotiate(offers, settings: settings)?.responseValue == response)
    }

    @Test func aThousandOffersCostSixteen() {
        let refused = Array(repeating: "permessage-deflate; foo", count: 1_000).joined(separator: ", ")
        #expect(Self.negotiate(refused + ", permessage-deflate") == nil)
        let accepted = Array(repeating: "permessage-deflate", count: 1_000).joined(separator: ", ")
        #expect(Self.response(accepted) == "permessage-deflate")
    }
}
