import WSGateCore

/// The counters of one run, shared by all its connections.
///
/// Why it exists: rates are measured over a window that starts when every connection is up
/// and ends at the deadline, so connecting and closing do not dilute them; connections count
/// into this object only while `measuring` is on. Errors are counted at all times.
final class RunMetrics {
    /// On between the start and the end of the measured window.
    var measuring = false
    private(set) var windowStart = Instant(nanoseconds: 0)
    private(set) var windowEnd = Instant(nanoseconds: 0)
    /// Messages whose whole echo came back inside the window.
    var completedMessages = 0
    var bytesSent = 0
    var bytesReceived = 0
    var latencies = LatencyRecorder()
    /// The worst delay per second of the window (fan-out).
    var timeline = DelayTimeline()
    let errors = ErrorTally()

    func startWindow(at now: Instant) {
        measuring = true
        windowStart = now
    }

    func endWindow(at now: Instant) {
        guard measuring else { return }
        measuring = false
        windowEnd = now
    }

    /// Length of the measured window in seconds.
    var windowSeconds: Double {
        Double(windowEnd.nanoseconds - windowStart.nanoseconds) / 1e9
    }
}
