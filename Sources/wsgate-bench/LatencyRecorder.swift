/// Round-trip times in microseconds, and the percentiles a report needs.
///
/// Why it exists: a benchmark's median hides the tail; p99 and max show stalls (a blocked
/// loop, a full queue). Samples are kept (4 bytes each) so percentiles are exact.
struct LatencyRecorder {
    private(set) var samples: [UInt32] = []

    mutating func record(microseconds: Int64) {
        samples.append(UInt32(clamping: microseconds))
    }

    mutating func merge(_ other: LatencyRecorder) {
        samples += other.samples
    }

    /// The value below which `fraction` of the samples fall (nearest rank).
    func percentile(_ fraction: Double, sorted: [UInt32]) -> UInt32 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[Swift.min(Swift.max(rank, 0), sorted.count - 1)]
    }

    /// p50, p90, p99 and max in microseconds (zeros without samples).
    var percentiles: (p50: UInt32, p90: UInt32, p99: UInt32, max: UInt32) {
        let sorted = samples.sorted()
        return (percentile(0.5, sorted: sorted), percentile(0.9, sorted: sorted),
                percentile(0.99, sorted: sorted), sorted.last ?? 0)
    }

    /// `p50 … µs, p90 …, p99 …, max …`.
    var summary: String {
        guard !samples.isEmpty else { return "no samples" }
        let values = percentiles
        return "p50 \(values.p50) µs, p90 \(values.p90) µs, p99 \(values.p99) µs, max \(values.max) µs"
    }

    /// `p50_us=… p90_us=… p99_us=… max_us=…` for the RESULT line.
    func addFields(to line: inout ResultLine) {
        let values = percentiles
        line.add("p50_us", values.p50)
        line.add("p90_us", values.p90)
        line.add("p99_us", values.p99)
        line.add("max_us", values.max)
    }
}
