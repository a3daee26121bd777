import Testing
import WSGateWebSocket

/// `WebSocketExtensionOffer.parse(headerValues:)`: the RFC 6455 §9.1 list syntax.
@Suite(.timeLimit(.minutes(10))) struct ExtensionOfferTests {
    typealias Offer = WebSocketExtensionOffer
    typealias Parameter = WebSocketExtensionOffer.Parameter

    static func parse(_ values: String...) -> [Offer] {
        Offer.parse(headerValues: values)
    }

    @Test func browserOffers() {
        // Chromium, Python websockets and Node ws; Firefox sends the bare name.
        #expect(Self.parse("permessage-deflate; client_max_window_bits")
            == [Offer(name: "permessage-deflate", parameters: [Parameter(name: "client_max_window_bits")])])
        #expect(Self.parse("permessage-deflate") == [Offer(name: "permessage-deflate")])
    }

    @Test func parametersKeepTheirOrderAndValues() {
        #expect(Self.parse("permessage-deflate; server_max_window_bits=10; client_no_context_takeover; client_max_window_bits")
            == [Offer(name: "permessage-deflate", parameters: [
                Parameter(name: "server_max_window_bits", value: "10"), Parameter(name: "client_no_context_takeover"),
                Parameter(name: "client_max_window_bits"),
            ])])
    }

    @Test func severalOffersInTheClientsOrder() {
        let offers = Self.parse("permessage-deflate; client_max_window_bits=10, permessage-deflate, x-webkit-deflate-frame")
        #expect(offers.map(\.name) == ["permessage-deflate", "permessage-deflate", "x-webkit-deflate-frame"])
        #expect(offers[0].parameters == [Parameter(name: "client_max_window_bits", value: "10")])
    }

    @Test func severalLinesAreOneList() {
        let split = Self.parse("permessage-deflate; server_max_window_bits=10", "x-a, x-b; p", "permessage-deflate")
        #expect(split.map(\.name) == ["permessage-deflate", "x-a", "x-b", "permessage-deflate"])
        #expect(split == Self.parse("permessage-deflate; server_max_window_bits=10, x-a, x-b; p, permessage-deflate"))
    }

    @Test func whitespaceAroundSeparators() {
        let spaced = Self.parse(" \tpermessage-deflate ;\tserver_max_window_bits = 10 ; client_max_window_bits , x-a \t")
        #expect(spaced == Self.parse("permessage-deflate;server_max_window_bits=10;client_max_window_bits,x-a"))
        #expect(spaced.count == 2)
    }

    @Test func emptyElementsAreIgnored() {
        #expect(Self.parse(", ,permessage-deflate,,  , x-a,") == [Offer(name: "permessage-deflate"), Offer(name: "x-a")])
        #expect(Self.parse("").isEmpty)
        #expect(Self.parse(" , ").isEmpty)
        #expect(Offer.parse(headerValues: []).isEmpty)
    }

    @Test func quotedValuesAreUnescaped() {
        #expect(Self.parse("permessage-deflate; server_max_window_bits=\"10\"")
            == [Offer(name: "permessage-deflate", parameters: [Parameter(name: "server_max_window_bits", value: "10")])])
        #expect(Self.parse("x; p=\"a\\bc\"")[0].parameters == [Parameter(name: "p", value: "abc")])
    }

    /// §9.1: "the value after quoted-string unescaping MUST conform to the 'token' ABNF."
    @Test(arguments: ["x; p=\"\"", "x; p=\"a b\"", "x; p=\"a,b\"", "x; p=\"a\\\"b\"", "x; p=\"a;b\"", "x; p=\"é\""])
    func aQuotedValueThatIsNoTokenMakesTheListMalformed(_ value: String) {
        #expect(Self.parse(value).isEmpty)
    }

    /// A malformed list, anywhere, yields no offers: not even the valid elements around it.
    @Test(arguments: [
        "permessage-deflate; p=\"10, permessage-deflate",   // an open quote swallows the rest
        "permessage-deflate, x y",                           // two tokens in one element
        "permessage-deflate;",                               // a parameter without a name
        "permessage-deflate; =10",
        "permessage-deflate; p=",                            // "=" without a value
        "permessage-deflate; p==1",
        "permessage-deflate; p=1 2",
        ";p, permessage-deflate",                            // a parameter without an extension
        "permessage-deflate; p=10\"",
        "perm(essage), permessage-deflate",                  // not tchars
        "permessage-deflate\u{0}",
        "permessage–deflate",                                // not ASCII
    ])
    func malformedListsGiveNoOffers(_ value: String) {
        #expect(Self.parse(value).isEmpty)
    }

    @Test func aMalformedLineSpoilsTheOtherLines() {
        #expect(Self.parse("permessage-deflate", "x; p=\"open").isEmpty)
        #expect(Self.parse("x y", "permessage-deflate").isEmpty)
    }

    @Test func namesKeepTheirSpellingAndCompareIgnoringCase() {
        let offer = Self.parse("PerMessage-Deflate; Client_Max_Window_Bits")[0]
        #expect(offer.name == "PerMessage-Deflate")
        #expect(offer.hasName("permessage-deflate"))
        #expect(!offer.hasName("permessage-deflat"))
        #expect(offer.parameters[0].hasName("client_max_window_bits"))
        #expect(!offer.parameters[0].hasName("server_max_window_bits"))
    }

    @Test func atMostSixteenOffersAreRead() {
        let many = Array(repeating: "permessage-deflate", count: 1_000).joined(separator: ", ")
        #expect(Self.parse(many).count == Offer.maximumOffers)
        // What follows the sixteenth element is not read, so a fault there is not seen.
        let sixteen = Array(repeating: "x", count: Offer.maximumOffers).joined(separator: ",")
        #expect(Self.parse(sixteen + ", y z \"").count == 16)
        #expect(Offer.parse(headerValues: Array(repeating: "x", count: 1_000)).count == 16)
    }

    @Test func anOfferWithTooManyParametersIsDroppedWhole() {
        let seventeen = (0..<17).map { "; p\($0)" }.joined()
        #expect(Self.parse("permessage-deflate\(seventeen), x-next").map(\.name) == ["x-next"])
        let sixteen = (0..<16).map { "; p\($0)" }.joined()
        #expect(Self.parse("permessage-deflate\(sixteen)")[0].parameters.count == 16)
        // A dropped offer still counts towards the sixteen.
        let dropped = Array(repeating: "x\(seventeen)", count: 16).joined(separator: ", ")
        #expect(Self.parse(dropped + ", permessage-deflate").isEmpty)
    }

    @Test func hostileSizesStayCheap() {
        let params = String(repeating: "; p=\"1\"", count: 10_000)
        #expect(Self.parse("permessage-deflate\(params)").isEmpty)
        #expect(Self.parse(String(repeating: ",", count: 100_000)).isEmpty)
    }
}
