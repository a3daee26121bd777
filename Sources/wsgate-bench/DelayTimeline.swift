/// The largest delivery delay in each second of a run, from its start.
///
/// Why it exists: a p99 says how bad the tail was, not when; a run whose tail comes from one
/// event (a slow client being closed, a neighbour's burst) shows it as one bad second here.
struct DelayTimeline {
    private(set) var maxima: [Int64] = []

    /// Records `microseconds` of delay for a message received `elapsedNanoseconds` into the run.
    mutating func record(microseconds: Int64, elapsedNanoseconds: Int64) {
        let second = Int(Swift.max(0, elapsedNanoseconds) / 1_000_000_000)
        guard second < 3600 else { return }
        while maxima.count <= second { maxima.append(0) }
        if microseconds > maxima[second] { maxima[second] = microseconds }
    }

    /// `12 14 480 …`: the maxima in milliseconds, one per second.
    var summary: String {
        maxima.map { String($0 / 1000) }.joined(separator: " ")
    }
}
