extension ProcessTable {
    /// The resident memory of `pid` in KiB (VmRSS from /proc/PID/status), nil if it is gone.
    public static func residentKilobytes(of pid: Int32) -> Int? {
        guard let text = readFile("/proc/\(pid)/status"),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return Int(line.filter(\.isNumber))
    }
}
