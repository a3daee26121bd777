import Testing
import WSGateHTTP
import WSGateLimits

@Suite struct ClientKeyTests {
    private func key(_ text: String) -> ClientKey {
        guard let address = IPAddress(text) else { fatalError("not an address: \(text)") }
        return ClientKey(address)
    }

    @Test func ipv4IsItself() {
        #expect(key("192.0.2.1") == .v4(0xC000_0201))
        #expect(key("192.0.2.1") != key("192.0.2.2"))
        #expect(key("192.0.2.1").description == "192.0.2.1")
    }

    @Test func mappedIPv4IsItsIPv4() {
        #expect(key("::ffff:192.0.2.1") == key("192.0.2.1"))
    }

    @Test func ipv6IsGroupedBy64() {
        #expect(key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        #expect(key("2001:db8:1:2::1") != key("2001:db8:1:3::1"))
        #expect(key("2001:db8:1:2::1").description == "2001:db8:1:2::/64")
        #expect(key("::1") == key("::2"))
        #expect(key("::1") != key("0.0.0.1"))
    }
}
