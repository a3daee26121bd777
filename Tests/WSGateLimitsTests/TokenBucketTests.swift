import Testing
import WSGateLimits

@Suite struct TokenBucketTests {
    @Test func aFullBucketGivesItsBurstThenRefuses() {
        var bucket = TokenBucket(tokensPerSecond: 1, burst: 3)
        for _ in 0..<3 { #expect(bucket.take(now: at(milliseconds: 0)) == .allowed) }
        #expect(bucket.take(now: at(milliseconds: 0)) == .refused(waitNanoseconds: 1_000_000_000))
        #expect(!bucket.isFull(at: at(milliseconds: 2999)))
        #expect(bucket.isFull(at: at(milliseconds: 3000)))
    }

    @Test func tokensComeBackAtTheRate() {
        var bucket = TokenBucket(tokensPerSecond: 2, burst: 1)
        #expect(bucket.take(now: at(milliseconds: 0)) == .allowed)
        #expect(bucket.take(now: at(milliseconds: 200)) == .refused(waitNanoseconds: 300_000_000))
        #expect(bucket.take(now: at(milliseconds: 500)) == .allowed)
        #expect(bucket.take(now: at(milliseconds: 999)) == .refused(waitNanoseconds: 1_000_000))
        #expect(bucket.take(now: at(milliseconds: 1000)) == .allowed)
    }

    @Test func aRefusalSpendsNothing() {
        var bucket = TokenBucket(tokensPerSecond: 1, burst: 1)
        #expect(bucket.take(now: at(milliseconds: 0)) == .allowed)
        for step in 1...9 { #expect(bucket.take(now: at(milliseconds: Int64(step) * 100)) != .allowed) }
        #expect(bucket.take(now: at(milliseconds: 1000)) == .allowed)
    }

    @Test func aLongPauseRefillsOnlyUpToTheBurst() {
        var bucket = TokenBucket(tokensPerSecond: 10, burst: 2)
        #expect(bucket.take(now: at(milliseconds: 0)) == .allowed)
        for _ in 0..<2 { #expect(bucket.take(now: at(milliseconds: 60_000)) == .allowed) }
        #expect(bucket.take(now: at(milliseconds: 60_000)) == .refused(waitNanoseconds: 100_000_000))
    }

    @Test func retryAfterRoundsUpToWholeSecondsAtLeastOne() {
        #expect(TokenBucketOutcome.retryAfterSeconds(forWait: 1) == 1)
        #expect(TokenBucketOutcome.retryAfterSeconds(forWait: 0) == 1)
        #expect(TokenBucketOutcome.retryAfterSeconds(forWait: 1_000_000_000) == 1)
        #expect(TokenBucketOutcome.retryAfterSeconds(forWait: 1_000_000_001) == 2)
        #expect(TokenBucketOutcome.retryAfterSeconds(forWait: 59_500_000_000) == 60)
    }

    @Test func aSlowRateWaitsLong() {
        var bucket = TokenBucket(interval: 60_000_000_000, burst: 1)  // one a minute
        #expect(bucket.take(now: at(milliseconds: 0)) == .allowed)
        guard case .refused(let wait) = bucket.take(now: at(milliseconds: 10_000)) else { Issue.record("allowed"); return }
        #expect(TokenBucketOutcome.retryAfterSeconds(forWait: wait) == 50)
    }
}
