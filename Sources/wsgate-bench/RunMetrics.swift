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
    /// Message payload bytes (inflated, with `--compress`).
    var bytesSent = 0
    var bytesReceived = 0
    /// WebSocket frame bytes of data messages, headers included (TLS records not counted).
    var wireBytesSent = 0
    var wireBytesReceived = 0
    /// Messages the server sent compressed (RSV1).
    var compressedMessagesReceived = 0
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

    /// `wire_out_per_msg`, `wire_in_per_msg` (frame bytes per message of `size` payload bytes,
    /// each way), `saved_pct` (the share of the payload bytes the frames did not take, both
    /// ways) and `compressed_in` (messages that came compressed), with a human line.
    func addWireFields(to line: inout ResultLine, size: Int) -> String {
        let outPerMessage = bytesSent > 0 ? Double(wireBytesSent) * Double(size) / Double(bytesSent) : 0
        let inPerMessage = bytesReceived > 0 ? Double(wireBytesReceived) * Double(size) / Double(bytesReceived) : 0
        let payload = bytesSent + bytesReceived
        let saved = payload > 0 ? 100 * (1 - Double(wireBytesSent + wireBytesReceived) / Double(payload)) : 0
        line.add("wire_out_per_msg", decimal: outPerMessage)
        line.add("wire_in_per_msg", decimal: inPerMessage)
        line.add("saved_pct", decimal: saved)
        line.add("compressed_in", compressedMessagesReceived)
        return "wire: \(ResultLine.format(outPerMessage)) B/msg out, \(ResultLine.format(inPerMessage)) B/msg in "
            + "for \(size)-byte messages (\(ResultLine.format(saved)) % saved); \(compressedMessagesReceived) messages came compressed\n"
    }

    /// Length of the measured window in seconds.
    var windowSeconds: Double {
        Double(windowEnd.nanoseconds - windowStart.nanoseconds) / 1e9
    }
}
