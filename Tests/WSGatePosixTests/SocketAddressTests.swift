import Testing
import WSGatePosix

@Suite(.timeLimit(.minutes(10))) struct SocketAddressTests {
    // MARK: - Parsing IP literals

    @Test func anIPv4LiteralKeepsItsHostAndPort() throws {
        let address = try #require(SocketAddress(ipLiteral: "127.0.0.1", port: 8080))
        #expect(address.host == "127.0.0.1")
        #expect(address.port == 8080)
        #expect(address.description == "127.0.0.1:8080")
        #expect(!address.isIPv6)
        #expect(!address.isUnix)
    }

    @Test(arguments: ["0.0.0.0", "255.255.255.255", "10.0.100.9", "1.20.3.199", "192.168.0.10"])
    func anIPv4HostPrintsAsDottedDecimal(_ text: String) throws {
        #expect(try #require(SocketAddress(ipLiteral: text, port: 1)).host == text)
    }

    @Test func anIPv6LiteralPrintsInBracketsWithItsPort() throws {
        let address = try #require(SocketAddress(ipLiteral: "::1", port: 443))
        #expect(address.host == "::1")
        #expect(address.port == 443)
        #expect(address.description == "[::1]:443")
        #expect(address.isIPv6)
        #expect(!address.isUnix)
    }

    @Test func bracketsAroundAnIPv6LiteralAreDropped() throws {
        let bracketed = try #require(SocketAddress(ipLiteral: "[::1]", port: 80))
        #expect(bracketed == SocketAddress(ipLiteral: "::1", port: 80))
        #expect(bracketed.host == "::1")
        #expect(bracketed.description == "[::1]:80")
    }

    @Test func theWildcardLiteralsEqualTheWildcardAddresses() throws {
        let v4 = try #require(SocketAddress(ipLiteral: "0.0.0.0", port: 8080))
        #expect(v4 == SocketAddress.anyIPv4(port: 8080))
        #expect(v4.host == "0.0.0.0")
        #expect(v4.description == "0.0.0.0:8080")

        let v6 = try #require(SocketAddress(ipLiteral: "::", port: 8080))
        #expect(v6 == SocketAddress.anyIPv6(port: 8080))
        #expect(SocketAddress.anyIPv6(port: 8080).description == "[::]:8080")
        #expect(SocketAddress.anyIPv6(port: 8080).isIPv6)
        #expect(!SocketAddress.anyIPv4(port: 8080).isIPv6)
    }

    @Test(arguments: [
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("fe80::a:b", "fe80::a:b"),
        ("::ffff:10.1.2.3", "::ffff:10.1.2.3"),
        ("[2001:db8:1:2:3:4:5:6]", "2001:db8:1:2:3:4:5:6"),
    ])
    func ipv6HostsPrintInCanonicalForm(literal: String, host: String) throws {
        let address = try #require(SocketAddress(ipLiteral: literal, port: 1))
        #expect(address.host == host)
        #expect(address.description == "[\(host)]:1")
    }

    @Test(arguments: ["10.20.30.40", "255.255.255.255", "1.0.0.1", "192.168.0.100"])
    func ipv4HostsRoundTrip(literal: String) throws {
        let address = try #require(SocketAddress(ipLiteral: literal, port: 9))
        #expect(address.host == literal)
        #expect(address.description == "\(literal):9")
    }

    @Test(arguments: [
        "", "localhost", "example.com", "256.0.0.1", "1.2.3", "127.1", "1.2.3.4.5", "1.2.3.-4",
        " 127.0.0.1", "127.0.0.1 ", "127.0.0.1:80", "[::1", "::1]", "[]", "[[::1]]", ":::",
        "gggg::1", "1::2::3", "fe80::1%eth0", "[fe80::1%1]", "::1/128",
    ])
    func textThatIsNoIPLiteralGivesNil(text: String) {
        #expect(SocketAddress(ipLiteral: text, port: 80) == nil)
    }

    @Test(arguments: [0, 1, 80, 65535])
    func everyPortFromZeroTo65535IsAccepted(port: Int) {
        #expect(SocketAddress(ipLiteral: "127.0.0.1", port: port)?.port == port)
        #expect(SocketAddress(ipLiteral: "::1", port: port)?.port == port)
    }

    @Test(arguments: [-1, 65536, 100_000, Int.min, Int.max])
    func portsOutsideTheRangeGiveNil(port: Int) {
        #expect(SocketAddress(ipLiteral: "127.0.0.1", port: port) == nil)
        #expect(SocketAddress(ipLiteral: "::1", port: port) == nil)
    }

    @Test func addressesCompareByFamilyHostAndPort() {
        let a = SocketAddress(ipLiteral: "127.0.0.1", port: 80)
        #expect(a == SocketAddress(ipLiteral: "127.0.0.1", port: 80))
        #expect(a != SocketAddress(ipLiteral: "127.0.0.1", port: 81))
        #expect(a != SocketAddress(ipLiteral: "127.0.0.2", port: 80))
        #expect(a != SocketAddress(ipLiteral: "::ffff:127.0.0.1", port: 80))
        #expect(SocketAddress(ipLiteral: "::1", port: 80) != SocketAddress(ipLiteral: "::2", port: 80))
    }

    // MARK: - Unix paths

    @Test func aUnixPathIsItsOwnHostAndDescription() throws {
        let address = try #require(SocketAddress(unixPath: "/run/wsgate.sock"))
        #expect(address.host == "/run/wsgate.sock")
        #expect(address.description == "/run/wsgate.sock")
        #expect(address.port == 0)
        #expect(address.isUnix)
        #expect(!address.isIPv6)
        #expect(address == SocketAddress(unixPath: "/run/wsgate.sock"))
        #expect(address != SocketAddress(unixPath: "/run/other.sock"))
    }

    @Test func unixPathsMustFitTheKernelsLimit() {
        #expect(SocketAddress(unixPath: "") == nil)
        #expect(SocketAddress(unixPath: "/" + String(repeating: "a", count: 106)) != nil, "107 bytes fit")
        #expect(SocketAddress(unixPath: "/" + String(repeating: "a", count: 107)) == nil, "108 bytes leave no NUL")
        #expect(SocketAddress(unixPath: "/" + String(repeating: "é", count: 54)) == nil, "109 UTF-8 bytes")
    }

    // MARK: - Changing the port

    @Test func withPortChangesOnlyThePort() throws {
        let v4 = try #require(SocketAddress(ipLiteral: "10.0.0.1", port: 80))
        let moved = v4.withPort(8443)
        #expect(moved.port == 8443)
        #expect(moved.host == "10.0.0.1")
        #expect(moved == SocketAddress(ipLiteral: "10.0.0.1", port: 8443))
        #expect(v4.port == 80)

        let v6 = try #require(SocketAddress(ipLiteral: "2001:db8::7", port: 80))
        #expect(v6.withPort(0) == SocketAddress(ipLiteral: "2001:db8::7", port: 0))
        #expect(v6.withPort(65535).description == "[2001:db8::7]:65535")
    }

    @Test func withPortLeavesAUnixAddressAlone() throws {
        let unix = try #require(SocketAddress(unixPath: "/tmp/s"))
        #expect(unix.withPort(80) == unix)
        #expect(unix.withPort(80).port == 0)
    }

    // MARK: - Resolving

    @Test func resolvingALiteralGivesExactlyThatAddress() throws {
        let v4 = try #require(SocketAddress(ipLiteral: "127.0.0.1", port: 8080))
        let v6 = try #require(SocketAddress(ipLiteral: "::1", port: 9))
        #expect(try SocketAddress.resolve(host: "127.0.0.1", port: 8080) == [v4])
        #expect(try SocketAddress.resolve(host: "[::1]", port: 9) == [v6])
        #expect(try SocketAddress.resolve(host: "0.0.0.0", port: 0) == [SocketAddress.anyIPv4(port: 0)])
    }

    @Test func localhostResolvesToLoopbackAddressesWithThePort() throws {
        let addresses = try SocketAddress.resolve(host: "localhost", port: 8123)
        #expect(!addresses.isEmpty)
        for address in addresses {
            #expect(["127.0.0.1", "::1"].contains(address.host), "\(address)")
            #expect(address.port == 8123)
        }
        #expect(addresses.contains { $0.description == "127.0.0.1:8123" || $0.description == "[::1]:8123" })
        // getaddrinfo lists each address once per protocol; the result must not repeat any.
        for (index, address) in addresses.enumerated() {
            #expect(!addresses[(index + 1)...].contains(address), "\(address) listed twice")
        }
    }

    @Test func anUnresolvableNameThrowsTheResolversMessage() {
        do {
            let addresses = try SocketAddress.resolve(host: "", port: 80)
            Issue.record("resolved the empty name to \(addresses)")
        } catch {
            #expect(error.errno == 0)
            #expect(error.function.hasPrefix("lookup : "))
            #expect(error.function.count > "lookup : ".count, "the resolver's text follows")
            #expect(error.description == error.function)
        }
    }

    /// Regression: `resolve` once fell through to getaddrinfo for an out-of-range port and
    /// trapped in `withPort` on `UInt16(port)`; it must throw instead.
    @Test func resolvingWithAnOutOfRangePortThrows() {
        #expect(throws: IOError.self) { try SocketAddress.resolve(host: "127.0.0.1", port: 70_000) }
        #expect(throws: IOError.self) { try SocketAddress.resolve(host: "localhost", port: -1) }
    }
}
