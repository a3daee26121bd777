/// Everything that went wrong during a run, counted by kind.
///
/// Why it exists: a benchmark whose replies were wrong or missing measured nothing, so no
/// error may be dropped: each one is counted here (with the first few distinct reasons kept
/// for the report) and any count above zero makes the run fail loudly. It must not stop the
/// run at the first error: the report should show how many connections were affected.
final class ErrorTally {
    /// Count per reason, in the order the reasons first appeared.
    private var counts: [String: Int] = [:]
    private var reasons: [String] = []
    /// All errors recorded.
    private(set) var total = 0
    /// Echoed messages that never came back (a connection failed with them in flight).
    private(set) var missingReplies = 0

    func record(_ reason: String) {
        total += 1
        if let count = counts[reason] {
            counts[reason] = count + 1
        } else {
            counts[reason] = 1
            reasons.append(reason)
        }
    }

    func recordMissing(_ count: Int) {
        missingReplies += count
    }

    /// The loud report: one `ERROR` line per distinct reason (at most `limit`), or nothing.
    func report(limit: Int = 12) -> String {
        guard total > 0 else { return "" }
        var text = "ERROR: \(total) error(s), \(missingReplies) missing repl(ies); THIS RUN IS NOT VALID\n"
        for reason in reasons.prefix(limit) {
            text += "ERROR: \(counts[reason] ?? 0) × \(reason)\n"
        }
        if reasons.count > limit { text += "ERROR: … and \(reasons.count - limit) more kinds\n" }
        return text
    }
}
