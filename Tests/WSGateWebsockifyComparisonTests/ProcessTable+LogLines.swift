import WSGateTestSupport

extension ProcessTable {
    /// Waits until `log()` has a line containing both texts; returns it.
    static func waitForLine(in log: () -> String, containing first: String, and second: String,
                            timeout: Double = 10) throws -> String {
        var found: String?
        _ = wait(upTo: timeout) {
            found = log().split(separator: "\n").first { $0.contains(first) && $0.lowercased().contains(second) }.map(String.init)
            return found != nil
        }
        guard let found else {
            throw TestFailure("no log line containing \(first.debugDescription) and \(second.debugDescription); log:\n\(log())")
        }
        return found
    }
}
