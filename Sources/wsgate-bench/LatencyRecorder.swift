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

    /// `p50 … µs, p90 …, p99 …, max …`.
    var summary: String {
        let sorted = samples.sorted()
        guard let max = sorted.last else { return "no samples" }
        return "p50 \(percentile(0.5, sorted: sorted)) µs, p90 \(percentile(0.9, sorted: sorted)) µs, "
            + "p99 \(percentile(0.99, sorted: sorted)) µs, max \(max) µs"
    }
}
