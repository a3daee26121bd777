import Glibc
import Testing
import WSGatePosix

/// The `process_*` figures of `--metrics`, read from /proc.
@Suite(.timeLimit(.minutes(10))) struct MetricsProcessStatsTests {
    /// proc(5)'s field numbers, counted after the last `)`: a command name with spaces and
    /// parentheses does not shift them.
    @Test func aStatLineIsParsedAfterTheCommandName() throws {
        let line = "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 500 0 0 0 250 150 0 0 20 0 3 0 1000 123456789 2048 "
            + "18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n"
        let stats = try #require(ProcessStats.parse(stat: line, ticksPerSecond: 100, pageSize: 4096, bootTime: 1_700_000_000))
        #expect(stats.cpuSeconds == 4.0)
        #expect(stats.startTimeSeconds == 1_700_000_010)
        #expect(stats.virtualBytes == 123_456_789)
        #expect(stats.residentBytes == 2048 * 4096)
        #expect(ProcessStats.parse(stat: "4242 (x) S 1 2", ticksPerSecond: 100, pageSize: 4096, bootTime: 0) == nil)
        #expect(ProcessStats.parse(stat: "no parenthesis", ticksPerSecond: 100, pageSize: 4096, bootTime: 0) == nil)
    }

    @Test func theBootTimeComesFromTheBtimeLine() {
        #expect(ProcessStats.bootTime(procStat: "cpu  1 2 3\nintr 5\nbtime 1712345678\nprocesses 9\n") == 1_712_345_678)
        #expect(ProcessStats.bootTime(procStat: "cpu 1\n") == nil)
    }

    /// This process: a descriptor opened shows in the count; the figures are plausible.
    @Test func thisProcessIsDescribed() throws {
        let before = try #require(ProcessStats.current())
        let extra = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(extra) }
        let after = try #require(ProcessStats.current())
        // Other tests open descriptors in parallel: the count only has to include ours.
        #expect((after.openDescriptors ?? 0) >= 4)
        #expect(before.openDescriptors != nil)
        #expect(after.residentBytes > 1 << 20)
        #expect(after.virtualBytes >= after.residentBytes)
        let now = Double(time(nil))
        #expect(after.startTimeSeconds <= now + 1)
        #expect(after.startTimeSeconds > now - 24 * 3600)
        #expect(after.cpuSeconds >= 0)
        if let max = after.maxDescriptors { #expect(max >= after.openDescriptors ?? 0) }
    }
}
