import Testing
import WSGateCore
import WSGateHTTP
import WSGateLimits

@Suite struct PerClientLimiterTests {
    private let a = ClientKey(IPAddress("192.0.2.1")!)
    private let b = ClientKey(IPAddress("192.0.2.2")!)
    private let zero = at(milliseconds: 0)

    @Test func maxOpenPerKeyAndRelease() {
        var limiter = PerClientLimiter(limits: PerClientLimits(maxOpen: 2))
        #expect(limiter.admit(a, now: zero) == .admitted)
        #expect(limiter.admit(a, now: zero) == .admitted)
        #expect(limiter.admit(a, now: zero) == .tooManyOpen)
        #expect(limiter.admit(b, now: zero) == .admitted)
        limiter.release(a, now: zero)
        #expect(limiter.admit(a, now: zero) == .admitted)
        #expect(limiter.openCount(a) == 2)
    }

    @Test func ipv6AddressesInOne64ShareTheLimit() {
        var limiter = PerClientLimiter(limits: PerClientLimits(maxOpen: 1))
        #expect(limiter.admit(ClientKey(IPAddress("2001:db8::1")!), now: zero) == .admitted)
        #expect(limiter.admit(ClientKey(IPAddress("2001:db8::2")!), now: zero) == .tooManyOpen)
        #expect(limiter.admit(ClientKey(IPAddress("2001:db8:0:1::1")!), now: zero) == .admitted)
    }

    @Test func mappedIPv4SharesTheLimitOfItsIPv4() {
        var limiter = PerClientLimiter(limits: PerClientLimits(maxOpen: 1))
        #expect(limiter.admit(ClientKey(IPAddress("192.0.2.1")!), now: zero) == .admitted)
        #expect(limiter.admit(ClientKey(IPAddress("::ffff:192.0.2.1")!), now: zero) == .tooManyOpen)
    }

    @Test func theRateIsPerKeyAndOthersAreUnaffected() {
        var limiter = PerClientLimiter(limits: PerClientLimits(rate: (interval: 500_000_000, burst: 2)))
        #expect(limiter.admit(a, now: zero) == .admitted)
        #expect(limiter.admit(a, now: zero) == .admitted)
        #expect(limiter.admit(a, now: zero) == .rateLimited(retryAfter: 1))
        #expect(limiter.admit(b, now: zero) == .admitted)
        #expect(limiter.admit(a, now: at(milliseconds: 500)) == .admitted)
    }

    @Test func releasingAnUnknownKeyChangesNothing() {
        var limiter = PerClientLimiter(limits: PerClientLimits(maxOpen: 1))
        limiter.release(a, now: zero)
        #expect(limiter.count == 0)
        #expect(limiter.admit(a, now: zero) == .admitted)
    }

    @Test func idleKeysWithFullBucketsAreForgotten() {
        var limiter = PerClientLimiter(limits: PerClientLimits(maxOpen: 5, rate: (interval: 1_000_000_000, burst: 1)))
        #expect(limiter.admit(a, now: zero) == .admitted)
        limiter.release(a, now: at(milliseconds: 10))
        #expect(limiter.count == 1)  // the bucket is not full yet
        limiter.sweep(now: at(milliseconds: 999))
        #expect(limiter.count == 1)
        limiter.sweep(now: at(milliseconds: 1000))
        #expect(limiter.count == 0)
        var noRate = PerClientLimiter(limits: PerClientLimits(maxOpen: 5))
        #expect(noRate.admit(a, now: zero) == .admitted)
        noRate.release(a, now: zero)
        #expect(noRate.count == 0)
    }

    @Test func aFloodOfDistinctKeysStaysBounded() {
        var limiter = PerClientLimiter(limits: PerClientLimits(rate: (interval: 60_000_000_000, burst: 1), maxEntries: 64))
        for n in 0..<10_000 {
            #expect(limiter.admit(.v4(UInt32(n)), now: at(milliseconds: Int64(n))) == .admitted)
            limiter.release(.v4(UInt32(n)), now: at(milliseconds: Int64(n)))
            #expect(limiter.count <= 64)
        }
        // The latest keys are still remembered (their buckets refill last); the oldest were dropped.
        #expect(limiter.admit(.v4(9_999), now: at(milliseconds: 10_000)) == .rateLimited(retryAfter: 60))
        #expect(limiter.admit(.v4(0), now: at(milliseconds: 10_000)) == .admitted)
    }

    @Test func aTableOfOpenConnectionsRefusesNewKeys() {
        var limiter = PerClientLimiter(limits: PerClientLimits(maxOpen: 10, maxEntries: 4))
        for n in 0..<4 { #expect(limiter.admit(.v4(UInt32(n)), now: zero) == .admitted) }
        #expect(limiter.admit(.v4(99), now: zero) == .tableFull)
        #expect(limiter.admit(.v4(0), now: zero) == .admitted)  // a known key still counts
        limiter.release(.v4(1), now: zero)
        #expect(limiter.admit(.v4(99), now: zero) == .admitted)
    }
}
