import Testing
import WSGateEventLoop

/// The busy-poll decision on plain numbers (nanoseconds): when a loop polls, when it stops,
/// and that it yields while a poll finds nothing.
@Suite(.timeLimit(.minutes(10))) struct BusyPollPolicyTests {
    static let microsecond: Int64 = 1000

    /// Records `count` blocking waits that each ended `gap` after they started, starting at
    /// `start`; returns the end of the last one.
    static func blockedGaps(_ policy: inout BusyPollPolicy, count: Int, gap: Int64, from start: Int64 = 0) -> Int64 {
        var time = start
        for _ in 0..<count {
            #expect(policy.record(.blocking, foundEvents: true, start: time, end: time + gap) == .proceed)
            time += gap
        }
        return time
    }

    @Test func aWindowOfZeroNeverPolls() {
        var policy = BusyPollPolicy(windowMicroseconds: 0)
        let end = Self.blockedGaps(&policy, count: 100, gap: 1 * Self.microsecond)
        #expect(!policy.shouldPoll(at: end))
        #expect(policy.score == 0)
    }

    @Test func pollsOnlyAfterEnoughShortGapsAndOnlyInsideTheWindow() {
        var policy = BusyPollPolicy(windowMicroseconds: 50)
        var end = Self.blockedGaps(&policy, count: BusyPollPolicy.pollingScore - 1, gap: 10 * Self.microsecond)
        #expect(!policy.shouldPoll(at: end), "one short gap too few")
        end = Self.blockedGaps(&policy, count: 1, gap: 10 * Self.microsecond, from: end)
        #expect(policy.shouldPoll(at: end))
        #expect(policy.shouldPoll(at: end + 49 * Self.microsecond))
        #expect(!policy.shouldPoll(at: end + 50 * Self.microsecond), "the window has closed")
    }

    @Test func anEmptyPollInsideTheWindowYieldsAndOneAtItsEndCountsAsALongGap() {
        var policy = BusyPollPolicy(windowMicroseconds: 50)
        let end = Self.blockedGaps(&policy, count: BusyPollPolicy.maximumScore, gap: 10 * Self.microsecond)
        #expect(policy.score == BusyPollPolicy.maximumScore)
        #expect(policy.record(.polling, foundEvents: false, start: end, end: end + Self.microsecond) == .yield)
        #expect(policy.score == BusyPollPolicy.maximumScore)
        #expect(policy.record(.polling, foundEvents: false, start: end, end: end + 50 * Self.microsecond) == .proceed)
        #expect(policy.score == BusyPollPolicy.maximumScore - 4)
    }

    @Test func aPollThatFindsAnEventReopensTheWindow() {
        var policy = BusyPollPolicy(windowMicroseconds: 50)
        let end = Self.blockedGaps(&policy, count: BusyPollPolicy.pollingScore, gap: 10 * Self.microsecond)
        let found = end + 40 * Self.microsecond
        #expect(policy.record(.polling, foundEvents: true, start: found, end: found) == .proceed)
        #expect(policy.shouldPoll(at: found + 49 * Self.microsecond))
        #expect(policy.score == BusyPollPolicy.pollingScore + 1)
    }

    @Test func longGapsStopPollingAndShortOnesBringItBack() {
        var policy = BusyPollPolicy(windowMicroseconds: 50)
        var end = Self.blockedGaps(&policy, count: BusyPollPolicy.maximumScore, gap: 10 * Self.microsecond)
        // Sparse traffic: every gap a millisecond. Four long gaps empty a full score.
        end = Self.blockedGaps(&policy, count: 4, gap: 1000 * Self.microsecond, from: end)
        #expect(policy.score == 0)
        #expect(!policy.shouldPoll(at: end))
        // A pattern of one short gap and one long one (a program answering at once, then a
        // client pausing) never earns polling back.
        for _ in 0..<50 {
            end = Self.blockedGaps(&policy, count: 1, gap: 10 * Self.microsecond, from: end)
            end = Self.blockedGaps(&policy, count: 1, gap: 1000 * Self.microsecond, from: end)
        }
        #expect(!policy.shouldPoll(at: end))
        end = Self.blockedGaps(&policy, count: BusyPollPolicy.pollingScore, gap: 10 * Self.microsecond, from: end)
        #expect(policy.shouldPoll(at: end))
    }

    @Test func timersAndImmediateTicksDoNotCountAsGaps() {
        var policy = BusyPollPolicy(windowMicroseconds: 50)
        let end = Self.blockedGaps(&policy, count: BusyPollPolicy.pollingScore, gap: 10 * Self.microsecond)
        #expect(policy.record(.blocking, foundEvents: false, start: end, end: end + 5_000 * Self.microsecond) == .proceed)
        #expect(policy.record(.immediate, foundEvents: false, start: end, end: end) == .proceed)
        #expect(policy.score == BusyPollPolicy.pollingScore)
    }
}
