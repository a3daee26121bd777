import WSGateWebSocket

/// `Sec-WebSocket-Extensions` parsing and permessage-deflate negotiation: no crash; no more
/// offers or parameters than the caps; the same offers whether the list comes as the given lines,
/// as one line, or cut at every comma into lines; an agreement's window sizes within 8...15 and
/// the settings; and its response value, read back as an offer, is one acceptable
/// permessage-deflate offer that negotiates to the same agreement.
///
/// Input: one byte of settings, then the field values, one per line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtensionOffers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    guard let flags = input.first else { return 0 }
    let settings = PerMessageDeflateSettings(
        serverMaxWindowBits: 8 + Int(flags & 7), requestClientNoContextTakeover: flags & 0x40 != 0,
        serverNoContextTakeover: flags & 0x80 != 0, clientMaxWindowBits: 8 + Int(flags >> 3 & 7))
    let lines = input.dropFirst().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }

    let offers = WebSocketExtensionOffer.parse(headerValues: lines)
    FuzzCheck.require(offers.count <= WebSocketExtensionOffer.maximumOffers, "\(offers.count) offers")
    FuzzCheck.require(offers.allSatisfy { $0.parameters.count <= WebSocketExtensionOffer.maximumParameters },
                      "an offer with too many parameters")
    let oneLine = lines.joined(separator: ",")
    FuzzCheck.require(WebSocketExtensionOffer.parse(headerValues: [oneLine]) == offers, "one line reads differently")
    let cut = Array(oneLine.utf8).split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    FuzzCheck.require(WebSocketExtensionOffer.parse(headerValues: cut) == offers, "cut at commas reads differently")

    guard let agreement = PerMessageDeflateNegotiation.negotiate(offers, settings: settings) else { return 0 }
    FuzzCheck.require((8...settings.serverMaxWindowBits).contains(agreement.serverMaxWindowBits),
                      "server window \(agreement.serverMaxWindowBits) with \(settings)")
    let statesClientWindow = agreement.responseValue.contains("client_max_window_bits")
    FuzzCheck.require(statesClientWindow ? (8...settings.clientMaxWindowBits).contains(agreement.clientMaxWindowBits)
                                         : agreement.clientMaxWindowBits == 15,
                      "client window \(agreement.clientMaxWindowBits) with \(settings): \(agreement.responseValue)")
    let answer = WebSocketExtensionOffer.parse(headerValues: [agreement.responseValue])
    FuzzCheck.require(answer.count == 1 && answer[0].name == PerMessageDeflateNegotiation.extensionName,
                      "response \(agreement.responseValue) reads as \(answer)")
    FuzzCheck.require(PerMessageDeflateNegotiation.negotiate(answer, settings: settings) == agreement,
                      "response \(agreement.responseValue) does not negotiate to itself")
    return 0
}
