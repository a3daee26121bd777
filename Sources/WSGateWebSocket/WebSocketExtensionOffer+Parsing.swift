extension WebSocketExtensionOffer {
    /// How many list elements are read at the most; later ones are ignored (a browser sends one
    /// to three, and a hostile header then costs at most this many offers).
    public static let maximumOffers = 16
    /// How many parameters an offer may have; an offer with more is dropped whole (cutting it
    /// short could turn an offer that must be declined into one that is accepted).
    public static let maximumParameters = 16

    /// The offers in the `Sec-WebSocket-Extensions` field values `values`, in order.
    ///
    /// RFC 9110 §5.3: several field lines of one name are one comma-separated list, in order.
    /// A malformed list, in any of the lines, yields no offers at all: a broken quoted string
    /// may swallow commas, so no element after it can be trusted, and judging each line alone
    /// would make the answer depend on how a client spread the list over lines. Only the
    /// elements before the `maximumOffers`-th (inclusive) are read, so a fault after them is not
    /// seen. §9.1 says the recipient of a value not matching the ABNF "MUST immediately _Fail
    /// the WebSocket Connection_"; wsgate instead answers without an extension (the upgrade
    /// still succeeds): browsers never send a malformed value, and refusing would only turn a
    /// proxy's or tool's mistake into an outage, while "no extension" is always a safe answer.
    public static func parse(headerValues values: [String]) -> [WebSocketExtensionOffer] {
        var offers: [WebSocketExtensionOffer] = []
        var considered = 0
        for value in values {
            var reader = WebSocketExtensionListReader(value)
            while considered < maximumOffers, let element = reader.next() {
                considered += 1
                switch element {
                case .offer(let offer): offers.append(offer)
                case .tooManyParameters: continue
                case .malformed: return []
                }
            }
        }
        return offers
    }
}
