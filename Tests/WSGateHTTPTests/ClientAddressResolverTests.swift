import Testing
import WSGateHTTP

@Suite(.timeLimit(.minutes(10))) struct ClientAddressResolverTests {
    private func ip(_ text: String) -> IPAddress {
        guard let address = IPAddress(text) else { fatalError("not an address: \(text)") }
        return address
    }

    private func headers(_ pairs: (String, String)...) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in pairs { headers.add(name: name, value: value) }
        return headers
    }

    private func resolver(_ list: String, _ header: ForwardedHeader = .xForwardedFor, hopLimit: Int = 32) throws -> ClientAddressResolver {
        ClientAddressResolver(trusted: try TrustedProxies(parsing: list), header: header, hopLimit: hopLimit)
    }

    @Test func anUntrustedPeerIsTheClientWhateverItSends() throws {
        let resolver = try resolver("10.0.0.0/8")
        let sent = headers(("X-Forwarded-For", "1.1.1.1"), ("Forwarded", "for=2.2.2.2"))
        #expect(resolver.resolve(peer: ip("203.0.113.9"), port: 5000, headers: sent)
            == ClientAddress(address: ip("203.0.113.9"), port: 5000))
        #expect(ClientAddressResolver(trusted: TrustedProxies()).resolve(peer: ip("10.0.0.1"), port: 1, headers: sent).source == nil)
    }

    @Test func aTrustedPeerWithoutTheHeaderIsTheClient() throws {
        let resolver = try resolver("10.0.0.0/8")
        #expect(resolver.resolve(peer: ip("10.0.0.1"), port: 80, headers: headers(("Forwarded", "for=1.1.1.1")))
            == ClientAddress(address: ip("10.0.0.1"), port: 80))
        #expect(resolver.resolve(peer: ip("10.0.0.1"), port: 80, headers: headers(("X-Forwarded-For", " ")))
            == ClientAddress(address: ip("10.0.0.1"), port: 80))
    }

    @Test func theRightMostUntrustedHopIsTheClient() throws {
        let resolver = try resolver("10.0.0.0/8, 192.168.0.0/16")
        let result = resolver.resolve(peer: ip("10.0.0.1"), port: 80,
                                      headers: headers(("X-Forwarded-For", "7.7.7.7, 8.8.8.8:123, 192.168.1.1, 10.2.2.2")))
        #expect(result == ClientAddress(address: ip("8.8.8.8"), port: 123, source: .xForwardedFor))
        #expect(result.description == "8.8.8.8:123")
    }

    @Test func aSpoofedEntryLeftOfTheRealClientIsNeverChosen() throws {
        // The client sent "X-Forwarded-For: 10.9.9.9" (a trusted-looking address); the proxy appended its peer.
        let resolver = try resolver("10.0.0.0/8")
        let spoofed = headers(("X-Forwarded-For", "10.9.9.9, 1.2.3.4"))
        #expect(resolver.resolve(peer: ip("10.0.0.1"), port: 80, headers: spoofed).address == ip("1.2.3.4"))
        let spoofed2 = headers(("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "1.2.3.4"))
        #expect(resolver.resolve(peer: ip("10.0.0.1"), port: 80, headers: spoofed2).address == ip("1.2.3.4"))
    }

    @Test func theUnconfiguredHeaderIsIgnored() throws {
        // nginx writes X-Forwarded-For; a client-written Forwarded passes through it untouched.
        let xff = try resolver("10.0.0.0/8")
        let sent = headers(("Forwarded", "for=6.6.6.6"), ("X-Forwarded-For", "1.2.3.4"))
        #expect(xff.resolve(peer: ip("10.0.0.1"), port: 80, headers: sent).address == ip("1.2.3.4"))
        let forwarded = try resolver("10.0.0.0/8", .forwarded)
        let result = forwarded.resolve(peer: ip("10.0.0.1"), port: 80, headers: sent)
        #expect(result == ClientAddress(address: ip("6.6.6.6"), port: nil, source: .forwarded))
    }

    @Test func allTrustedGivesTheLeftMost() throws {
        let resolver = try resolver("10.0.0.0/8")
        let result = resolver.resolve(peer: ip("10.0.0.1"), port: 80, headers: headers(("X-Forwarded-For", "10.0.0.3, 10.0.0.2")))
        #expect(result == ClientAddress(address: ip("10.0.0.3"), port: nil, source: .xForwardedFor))
    }

    @Test func anUnusableHopStopsTheWalk() throws {
        let resolver = try resolver("10.0.0.0/8", .forwarded)
        let peer = ip("10.0.0.1")
        // Right-most unusable: nothing was walked, the peer stays.
        #expect(resolver.resolve(peer: peer, port: 80, headers: headers(("Forwarded", "for=1.1.1.1, for=unknown")))
            == ClientAddress(address: peer, port: 80))
        // Behind a trusted hop: that hop is the answer, never the address beyond the unusable one.
        #expect(resolver.resolve(peer: peer, port: 80, headers: headers(("Forwarded", "for=1.1.1.1, for=_hidden, for=10.0.0.2")))
            == ClientAddress(address: ip("10.0.0.2"), port: nil, source: .forwarded))
        let xff = try self.resolver("10.0.0.0/8")
        #expect(xff.resolve(peer: peer, port: 80, headers: headers(("X-Forwarded-For", "1.1.1.1, garbage, 10.0.0.2"))).address
            == ip("10.0.0.2"))
        // Garbage left of the client does not matter: the walk stopped before it.
        #expect(xff.resolve(peer: peer, port: 80, headers: headers(("X-Forwarded-For", "garbage, 1.1.1.1, 10.0.0.2"))).address
            == ip("1.1.1.1"))
    }

    @Test func mappedAddressesAreTrustedAsIPv4() throws {
        let resolver = try resolver("10.0.0.0/8")
        let result = resolver.resolve(peer: ip("::ffff:10.0.0.1"), port: 80,
                                      headers: headers(("X-Forwarded-For", "2001:db8::9, ::ffff:10.0.0.5")))
        #expect(result == ClientAddress(address: ip("2001:db8::9"), port: nil, source: .xForwardedFor))
        #expect(result.description == "2001:db8::9")
        #expect(ClientAddress(address: ip("2001:db8::9"), port: 443).description == "[2001:db8::9]:443")
    }

    @Test func manyHopsAreBounded() throws {
        let trustedChain = (0..<100).map { "10.0.\($0 / 256).\($0 % 256)" }.joined(separator: ", ")
        let resolver = try resolver("10.0.0.0/8", hopLimit: 32)
        let result = resolver.resolve(peer: ip("10.0.0.1"), port: 80, headers: headers(("X-Forwarded-For", "1.1.1.1, " + trustedChain)))
        // Only the last 32 hops are considered: the left-most of those, a trusted proxy, not 1.1.1.1.
        #expect(result.address == ip("10.0.0.68"))
        let many = String(repeating: "1.1.1.1,", count: 2000) + "2.2.2.2"
        #expect(resolver.resolve(peer: ip("10.0.0.1"), port: 80, headers: headers(("X-Forwarded-For", many))).address == ip("2.2.2.2"))
    }

    @Test func splittingTheHeaderIntoLinesChangesNothing() throws {
        let resolver = try resolver("10.0.0.0/8", .forwarded)
        let whole = resolver.resolve(peer: ip("10.0.0.1"), port: 80,
                                     headers: headers(("Forwarded", "for=9.9.9.9;host=\"a,b\", for=10.1.1.1")))
        let lines = resolver.resolve(peer: ip("10.0.0.1"), port: 80,
                                     headers: headers(("Forwarded", "for=9.9.9.9;host=\"a"), ("Forwarded", "b\""), ("Forwarded", "for=10.1.1.1")))
        #expect(whole == lines)
        #expect(whole.address == ip("9.9.9.9"))
    }
}
