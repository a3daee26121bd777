import Testing
import WSGateHTTP

@Suite(.timeLimit(.minutes(10))) struct TrustedProxiesTests {
    private func ip(_ text: String) -> IPAddress {
        guard let address = IPAddress(text) else { fatalError("not an address: \(text)") }
        return address
    }

    @Test(arguments: [
        ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"), ("10.1.2.3", "10.1.2.3"),
        ("::", "::"), ("::1", "::1"), ("1::", "1::"), ("2001:DB8::1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"), ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"), ("1:0:0:2:0:0:3:4", "1::2:0:0:3:4"), ("fe80::1:2", "fe80::1:2"),
        ("::ffff:1.2.3.4", "::ffff:1.2.3.4"), ("::FFFF:0102:0304", "::ffff:1.2.3.4"), ("64:ff9b::192.0.2.1", "64:ff9b::c000:201"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"), ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
    ])
    func addressesParseToTheirCanonicalForm(text: String, canonical: String) {
        #expect(IPAddress(text)?.description == canonical)
        #expect(IPAddress(canonical) == IPAddress(text))
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.-4", "1.2.3.4 ", " 1.2.3.4", "1..2.3",
                      ":", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
                      "1:2:3:4:5:6:7:8::", "12345::", "g::1", "[::1]", "fe80::1%eth0", "::1.2.3.4:5", "1.2.3.4::",
                      "::ffff:1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "localhost", "0x7f.0.0.1"])
    func malformedAddressesAreRefused(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test(arguments: [
        ("10.0.0.0/8", "10.0.0.0/8"), ("127.0.0.1", "127.0.0.1/32"), ("::1", "::1/128"), ("fd00::/8", "fd00::/8"),
        ("192.168.1.0/24", "192.168.1.0/24"), ("0.0.0.0/0", "0.0.0.0/0"), ("::/0", "::/0"), ("10.0.0.0/08", "10.0.0.0/8"),
        ("::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104"),
    ])
    func networksParseAndRoundTrip(text: String, description: String) throws {
        let network = try IPNetwork(parsing: text)
        #expect(network.description == description)
        #expect(try IPNetwork(parsing: network.description) == network)
    }

    @Test(arguments: [
        ("10.0.0.0/33", "\"10.0.0.0/33\": prefix length above 32"),
        ("::/129", "\"::/129\": prefix length above 128"),
        ("10.0.0.1/8", "\"10.0.0.1/8\": host bits set after the prefix; did you mean 10.0.0.0/8?"),
        ("fd00::1/8", "\"fd00::1/8\": host bits set after the prefix; did you mean fd00::/8?"),
        ("10.0.0.0/", "\"10.0.0.0/\": the prefix length after '/' must be a number"),
        ("10.0.0.0/-1", "\"10.0.0.0/-1\": the prefix length after '/' must be a number"),
        ("10.0.0.0/1000", "\"10.0.0.0/1000\": the prefix length after '/' must be a number"),
        ("10.0.0.0/8/8", "\"10.0.0.0/8/8\": the prefix length after '/' must be a number"),
        ("proxy.local", "\"proxy.local\": not an IPv4 or IPv6 address"),
        ("[::1]", "\"[::1]\": write an IPv6 network without brackets, e.g. fd00::/8"),
        ("", "\"\": empty network"),
    ])
    func malformedNetworksSayWhy(text: String, message: String) {
        #expect(throws: IPNetworkError.self) { try IPNetwork(parsing: text) }
        do {
            _ = try IPNetwork(parsing: text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func ipv4Membership() throws {
        let network = try IPNetwork(parsing: "192.168.1.0/24")
        #expect(network.contains(ip("192.168.1.0")))
        #expect(network.contains(ip("192.168.1.255")))
        #expect(!network.contains(ip("192.168.2.0")))
        #expect(!network.contains(ip("192.168.0.255")))
        #expect(!network.contains(ip("::1")))
    }

    @Test func edgePrefixes() throws {
        let all4 = try IPNetwork(parsing: "0.0.0.0/0")
        #expect(all4.contains(ip("255.255.255.255")) && all4.contains(ip("::ffff:1.2.3.4")))
        #expect(!all4.contains(ip("2001:db8::1")))
        let all6 = try IPNetwork(parsing: "::/0")
        #expect(all6.contains(ip("2001:db8::1")) && all6.contains(ip("1.2.3.4")))
        let host4 = try IPNetwork(parsing: "10.0.0.7/32")
        #expect(host4.contains(ip("10.0.0.7")) && !host4.contains(ip("10.0.0.6")))
        let host6 = try IPNetwork(parsing: "2001:db8::7/128")
        #expect(host6.contains(ip("2001:db8::7")) && !host6.contains(ip("2001:db8::6")))
        let half = try IPNetwork(parsing: "2001:db8::/64")
        #expect(half.contains(ip("2001:db8::ffff:ffff:ffff:ffff")) && !half.contains(ip("2001:db8:0:1::")))
        let odd = try IPNetwork(parsing: "2001:db8:8000::/33")
        #expect(odd.contains(ip("2001:db8:ffff::1")) && !odd.contains(ip("2001:db8:7fff::1")))
    }

    @Test func mappedPeersMatchIPv4NetworksAndBack() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.0/8")
        #expect(proxies.contains(ip("::ffff:10.1.2.3")))
        #expect(!proxies.contains(ip("::ffff:11.1.2.3")))
        #expect(!proxies.contains(ip("::10.1.2.3")), "an IPv4-compatible address is not mapped")
        let mapped = try IPNetwork(parsing: "::ffff:10.0.0.0/104")
        #expect(mapped.contains(ip("10.9.9.9")) && !mapped.contains(ip("11.0.0.0")))
    }

    @Test func listsParseWithSpacesAndRepeat() throws {
        var proxies = try TrustedProxies(parsing: "10.0.0.0/8, 127.0.0.1 ,::1")
        try proxies.append(parsing: "fd00::/8")
        #expect(proxies.networks.map(\.description) == ["10.0.0.0/8", "127.0.0.1/32", "::1/128", "fd00::/8"])
        #expect(proxies.contains(ip("fd12::1")) && proxies.contains(ip("127.0.0.1")) && !proxies.contains(ip("127.0.0.2")))
        #expect(!TrustedProxies().contains(ip("127.0.0.1")) && TrustedProxies().isEmpty)
    }

    @Test(arguments: ["10.0.0.0/8,", ",10.0.0.0/8", "10.0.0.0/8,,::1", "10.0.0.0/8,bogus"])
    func listsWithAnyBadElementAreRefused(list: String) {
        #expect(throws: IPNetworkError.self) { try TrustedProxies(parsing: list) }
    }
}
