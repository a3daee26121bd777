import WSGateHTTP

/// Client address resolution behind `--trusted-proxy`: the answer is the peer or an address
/// the header names; an untrusted peer is always its own answer; cutting the header value at
/// its commas into several field lines changes nothing; networks and addresses read back from
/// their own descriptions.
///
/// Input: a flag byte (bit 0: read `Forwarded`, else `X-Forwarded-For`; bit 1: the peer is the
/// first trusted network's address), then NUL-separated the trust list, the peer, the header.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzForwarded(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let (flags, parts) = FuzzCheck.flagsAndFields(FuzzCheck.input(data, size), count: 3), parts.count == 3 else {
        return 0
    }
    let header: ForwardedHeader = flags & 1 == 1 ? .forwarded : .xForwardedFor

    var networks: [IPNetwork] = []
    for text in parts[0].split(separator: ",", omittingEmptySubsequences: false) {
        guard let network = try? IPNetwork(parsing: String(text)) else { continue }
        let again = try? IPNetwork(parsing: network.description)
        FuzzCheck.require(again == network, "\(text) → \(network) → \(String(describing: again))")
        networks.append(network)
    }
    let trusted = TrustedProxies(networks)
    var peer = IPAddress(parts[1]) ?? .v4(0x0A00_0001)
    FuzzCheck.require(IPAddress(peer.description) == peer, "\(parts[1]) → \(peer) does not read back")
    if flags & 2 == 2, let first = networks.first { peer = first.address }

    var whole = HTTPHeaders()
    whole.add(name: header.fieldName, value: parts[2])
    let resolver = ClientAddressResolver(trusted: trusted, header: header)
    let client = resolver.resolve(peer: peer, port: 1234, headers: whole)

    if client.source == nil {
        FuzzCheck.require(client == ClientAddress(address: peer, port: 1234), "not the peer: \(client)")
    } else {
        FuzzCheck.require(trusted.contains(peer), "an untrusted peer's header was believed: \(client)")
        let named = header.hops(in: parts[2], limit: .max)
        FuzzCheck.require(named.contains(.address(client.address, port: client.port)), "\(client) is not in the header")
    }
    let untrusted = ClientAddressResolver(trusted: TrustedProxies(), header: header).resolve(peer: peer, port: 1, headers: whole)
    FuzzCheck.require(untrusted == ClientAddress(address: peer, port: 1), "no trust, yet \(untrusted)")

    // The same value as one field line per comma (trimmed as the request parser trims them).
    var lines = HTTPHeaders()
    for piece in parts[2].split(separator: ",", omittingEmptySubsequences: false) {
        var line = piece
        while line.first == " " || line.first == "\t" { line.removeFirst() }
        while line.last == " " || line.last == "\t" { line.removeLast() }
        lines.add(name: header.fieldName, value: String(line))
    }
    let split = resolver.resolve(peer: peer, port: 1234, headers: lines)
    FuzzCheck.require(split == client, "one line: \(client), split at commas: \(split)")
    return 0
}
