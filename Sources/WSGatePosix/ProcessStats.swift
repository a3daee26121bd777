import CWSGateLinux
import Glibc

/// What the kernel says about this process: CPU time, memory, descriptors, start time.
///
/// Why it exists: `--metrics` exposes the `process_*` metrics every Prometheus client library
/// exposes, so dashboards built for them work unchanged; they come from /proc (the same files
/// those libraries read) with a few system calls per scrape, no Foundation.
public struct ProcessStats: Equatable, Sendable {
    /// User plus system CPU time.
    public var cpuSeconds: Double
    /// Resident set size.
    public var residentBytes: Int
    /// Virtual memory size.
    public var virtualBytes: Int
    /// When the process started, in seconds since the Unix epoch.
    public var startTimeSeconds: Double
    /// Descriptors open now; nil when /proc/self/fd cannot be read.
    public var openDescriptors: Int?
    /// The soft limit on descriptors (`RLIMIT_NOFILE`); nil when unlimited.
    public var maxDescriptors: Int?

    /// This process's figures now; nil when /proc is not mounted.
    public static func current() -> ProcessStats? {
        guard case .success(let stat) = FileSystem.readText("/proc/self/stat"),
              case .success(let system) = FileSystem.readText("/proc/stat"),
              let bootTime = bootTime(procStat: system) else { return nil }
        let ticks = Int(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard var stats = parse(stat: stat, ticksPerSecond: ticks, pageSize: pageSize, bootTime: bootTime) else { return nil }
        stats.openDescriptors = openDescriptorCount()
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max {  // RLIM_INFINITY
            stats.maxDescriptors = Int(clamping: limit.rlim_cur)
        }
        return stats
    }

    /// Reads a /proc/PID/stat line (proc(5)): utime (field 14), stime (15), starttime (22,
    /// ticks after boot), vsize (23, bytes), rss (24, pages). The command name (field 2) may
    /// hold spaces and parentheses, so fields are counted after its last `)`.
    public static func parse(stat: String, ticksPerSecond: Int, pageSize: Int, bootTime: Int) -> ProcessStats? {
        guard let close = stat.lastIndex(of: ")"), ticksPerSecond > 0 else { return nil }
        // Index 0 is field 3 (state).
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        func field(_ number: Int) -> Int? { fields.count > number - 3 ? Int(fields[number - 3]) : nil }
        guard let user = field(14), let system = field(15), let start = field(22), let virtual = field(23),
              let resident = field(24) else { return nil }
        let ticks = Double(ticksPerSecond)
        return ProcessStats(cpuSeconds: Double(user + system) / ticks, residentBytes: resident * pageSize,
                            virtualBytes: virtual, startTimeSeconds: Double(bootTime) + Double(start) / ticks,
                            openDescriptors: nil, maxDescriptors: nil)
    }

    /// The `btime` line of /proc/stat: when the machine booted, in seconds since the epoch.
    public static func bootTime(procStat: String) -> Int? {
        for line in procStat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Int(line.dropFirst("btime ".count))
        }
        return nil
    }

    /// Entries of /proc/self/fd, less the one `opendir` itself holds while listing.
    private static func openDescriptorCount() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if !DirectoryEntryName.isDotOrDotDot(entry) { count += 1 }
        }
        return count - 1
    }
}
