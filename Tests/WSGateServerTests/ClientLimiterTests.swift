import Testing
import WSGateConfig
import WSGateHTTP
import WSGateLimits
@testable import WSGateServer

/// The gateway's side of `--max-per-ip` and `--rate`: what the flags make of the shared
/// limiter, and that a lease gives its count back exactly once.
@Suite(.timeLimit(.minutes(10))) struct ClientLimiterTests {
    static let client = ClientKey(IPAddress("192.0.2.7")!)

    static func limiter(maxPerIP: Int? = nil, rate: HandshakeRate? = nil, burst: Int? = nil) -> ClientLimiter? {
        var config = GatewayConfig()
        config.maxPerIP = maxPerIP
        config.rate = rate
        config.rateBurst = burst
        return ClientLimiter(config: config)
    }

    @Test func thereIsNoLimiterWithoutAFlag() {
        #expect(Self.limiter() == nil)
        #expect(ServerSettings(config: GatewayConfig()).clientLimiter == nil)
    }

    @Test func theBurstDefaultsToTheRatesCount() throws {
        let limiter = try #require(Self.limiter(rate: HandshakeRate(count: 5, per: .second)))
        #expect(limiter.limits.maxOpen == nil)
        #expect(limiter.limits.rate?.interval == 200_000_000)
        #expect(limiter.limits.rate?.burst == 5)
        #expect(limiter.rateText == "--rate=5/s, burst 5")
        let explicit = try #require(Self.limiter(maxPerIP: 2, rate: HandshakeRate(count: 1, per: .minute), burst: 3))
        #expect(explicit.limits.maxOpen == 2)
        #expect(explicit.limits.rate?.interval == 60_000_000_000)
        #expect(explicit.limits.rate?.burst == 3)
        #expect(explicit.maxOpenText == "--max-per-ip=2")
    }

    @Test func aLeaseGivesItsCountBackOnce() throws {
        let limiter = try #require(Self.limiter(maxPerIP: 2))
        #expect(limiter.admit(Self.client) == .admitted)
        let first = ClientLease(limiter: limiter, key: Self.client)
        #expect(limiter.admit(Self.client) == .admitted)
        var second: ClientLease? = ClientLease(limiter: limiter, key: Self.client)
        #expect(limiter.admit(Self.client) == .tooManyOpen)
        first.release()
        first.release()
        #expect(limiter.admit(Self.client) == .admitted)
        let third = ClientLease(limiter: limiter, key: Self.client)
        // Released twice, counted once: the second and the third are still open.
        #expect(limiter.admit(Self.client) == .tooManyOpen)
        second = nil  // dropped: given back by deinit
        #expect(second == nil)
        #expect(limiter.admit(Self.client) == .admitted)
        withExtendedLifetime(third) {}
    }
}
