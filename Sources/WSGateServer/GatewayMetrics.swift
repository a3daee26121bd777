import WSGateCore
import WSGatePosix

/// Every loop's `LoopMetrics`, summed into metric families when scraped.
///
/// Why it exists: the counts live per loop (no lock, no shared cache line on the hot path);
/// this is the one object that sees them all. It is `Sendable` and made before the loops run:
/// each loop gets its own `LoopMetrics` to write, and the scrape, on any loop, reads every
/// block with relaxed atomic loads. The sum is not a snapshot across loops taken at one
/// instant, which Prometheus does not need: each counter only grows between scrapes.
final class GatewayMetrics: Sendable {
    let loops: [LoopMetrics]

    init(loopCount: Int) {
        loops = (0..<loopCount).map { _ in LoopMetrics() }
    }

    /// Each slot summed over the loops; callable from any thread.
    func totals() -> [Int] {
        var sums = [Int](repeating: 0, count: LoopMetrics.Slot.count)
        for loop in loops {
            for index in sums.indices { sums[index] += loop.counters.value(at: index) }
        }
        return sums
    }

    /// The gateway's families (`wsgate_*`), then the process's (`process_*`) when known.
    func families(process: ProcessStats?) -> [MetricFamily] {
        Self.families(totals: totals()) + (process.map(Self.families(process:)) ?? [])
    }
}
