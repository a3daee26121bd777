/// A server's log lines with what changes from run to run masked: the time, connection ids
/// (`id:'…'`, `UNIQUE_ID=`), process ids (`pid:'…'`, `Process N terminated`), the server's
/// port, the client's port (`REMOTE_PORT=`) and the server's name and version
/// (`SERVER_SOFTWARE=`).
///
/// Why it exists: the differential log tests compare websocketd's lines with wsgate's as
/// text; with these masked, any other difference is a real one.
struct MaskedLog {
    let lines: [String]

    init(_ log: String, port: Int) {
        lines = log.split(separator: "\n").map { Self.mask(String($0), port: port) }
    }

    /// The lines at `level` (`INFO`, `ACCESS`, `DEBUG` …).
    func lines(at level: String) -> [String] {
        lines.filter { $0.hasPrefix("TIME | \(level) ") }
    }

    /// The lines of one or more levels, in log order.
    func lines(at levels: [String]) -> [String] {
        lines.filter { line in levels.contains { line.hasPrefix("TIME | \($0) ") } }
    }

    static func mask(_ line: String, port: Int) -> String {
        // "Mon, 07 Dec 2026 04:01:29 +0000 | LEVEL | …": the time is the first column.
        guard let bar = line.firstRange(of: " | ") else { return line }
        var masked = "TIME" + line[bar.lowerBound...]
        masked.replace(/pid:'\d+'/, with: "pid:'PID'")
        masked.replace(/id:'\d+'/, with: "id:'ID'")
        masked.replace(/UNIQUE_ID=\d+/, with: "UNIQUE_ID=ID")
        masked.replace(/Process \d+ terminated/, with: "Process PID terminated")
        masked.replace(/REMOTE_PORT=\d+/, with: "REMOTE_PORT=RPORT")
        masked.replace(/SERVER_SOFTWARE=.*/, with: "SERVER_SOFTWARE=SOFTWARE")
        masked.replace(":\(port)", with: ":PORT")
        masked.replace("SERVER_PORT=\(port)", with: "SERVER_PORT=PORT")
        return masked
    }
}
