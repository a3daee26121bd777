import Testing
import WSGateCore

@Suite(.timeLimit(.minutes(10))) struct InstantTests {
    @Test func addingMillisecondsAddsAMillionNanosecondsEach() {
        let start = Instant(nanoseconds: 5)
        #expect(start.adding(milliseconds: 0) == start)
        #expect(start.adding(milliseconds: 1).nanoseconds == 1_000_005)
        #expect(start.adding(milliseconds: 2500).nanoseconds == 2_500_000_005)
        #expect(start.adding(milliseconds: -3).nanoseconds == -2_999_995)
    }

    @Test func addingLargeDelaysDoesNotOverflowThirtyTwoBits() {
        // 30 days: more milliseconds * 1e6 than Int32 holds.
        let later = Instant(nanoseconds: 0).adding(milliseconds: 30 * 24 * 3600 * 1000)
        #expect(later.nanoseconds == 2_592_000_000_000_000)
    }

    @Test(arguments: [
        (0, 0, 0),
        (0, 999_999, 0),
        (0, 1_000_000, 1),
        (0, 1_999_999, 1),
        (1_000_000, 0, -1),
        (500, 2_000_500, 2),
        (-3_000_000, 0, 3),
    ] as [(Int64, Int64, Int64)])
    func millisecondsUntilCountsWholeMilliseconds(from: Int64, to: Int64, expected: Int64) {
        #expect(Instant(nanoseconds: from).milliseconds(until: Instant(nanoseconds: to)) == expected)
    }

    @Test func millisecondsUntilIsTheInverseOfAdding() {
        let start = Instant(nanoseconds: 123_456_789)
        for delay in [0, 1, 15, 30_000, -7] {
            #expect(start.milliseconds(until: start.adding(milliseconds: delay)) == Int64(delay))
        }
    }

    @Test func instantsOrderByNanoseconds() {
        let a = Instant(nanoseconds: -1)
        let b = Instant(nanoseconds: 0)
        let c = Instant(nanoseconds: 1)
        #expect(a < b && b < c)
        #expect(!(b < a) && !(b < b))
        #expect([c, a, b].sorted() == [a, b, c])
        #expect(max(a, c) == c)
        #expect(b <= b && b >= b)
    }

    @Test func distantFutureIsLaterThanAnyRealDeadlineAndCanStillBeOffset() {
        let now = Instant(nanoseconds: 1_000_000_000 * 3600 * 24 * 365 * 100)  // a century of uptime
        #expect(now.adding(milliseconds: 1000 * 3600 * 24 * 365) < Instant.distantFuture)
        // Adding a normal timeout to it must neither trap nor wrap to the past.
        #expect(Instant.distantFuture.adding(milliseconds: 60_000) > Instant.distantFuture)
        #expect(now.milliseconds(until: .distantFuture) > 0)
    }

    @Test func equalInstantsHashEqually() {
        let set: Set<Instant> = [Instant(nanoseconds: 7), Instant(nanoseconds: 7), Instant(nanoseconds: 8)]
        #expect(set.count == 2)
        #expect(set.contains(Instant(nanoseconds: 8)))
        var copy = Instant(nanoseconds: 1)
        copy.nanoseconds = 7
        #expect(copy == Instant(nanoseconds: 7))
    }

    @Test func descriptionIsTheNanosecondCount() {
        #expect(Instant(nanoseconds: 42).description == "42ns")
        #expect(Instant(nanoseconds: -5).description == "-5ns")
        #expect("\(Instant(nanoseconds: 0))" == "0ns")
    }
}
