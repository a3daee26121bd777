import Testing
@testable import WSGateCLI
import WSGateConfig

/// `--user`, `--group`, `--allow-root` and `--rlimit`: their values in `GatewayConfig`, and
/// `--rlimit`'s syntax.
@Suite(.timeLimit(.minutes(10))) struct ProgramLimitFlagTests {
    @Test func defaultsChangeNothing() throws {
        let config = try #require(try parsedConfig(["--echo"]).get())
        #expect(config.runUser == nil && config.runGroup == nil && !config.allowRoot && config.resourceLimits.isEmpty)
    }

    @Test func valuesAreKeptAndALaterLimitWins() throws {
        let config = try #require(try parsedConfig([
            "--echo", "--user=www-data", "--group=nogroup", "--allow-root",
            "--rlimit=as=512M, nproc=64,cpu=60", "--rlimit=nofile=256,as=1G,core=0,stack=unlimited",
        ]).get())
        #expect(config.runUser == "www-data" && config.runGroup == "nogroup" && config.allowRoot)
        #expect(config.resourceLimits == [
            ResourceLimit(.nproc, 64), ResourceLimit(.cpu, 60), ResourceLimit(.nofile, 256),
            ResourceLimit(.addressSpace, 1 << 30), ResourceLimit(.core, 0), ResourceLimit(.stack, ResourceLimit.unlimited),
        ])
    }

    @Test(arguments: [
        ("fsize=10k", UInt64(10 << 10)), ("data=3m", 3 << 20), ("as=2G", 2 << 30), ("as=1T", 1 << 40), ("as=4096", 4096),
    ])
    func sizesTakeBinarySuffixes(text: String, value: UInt64) throws {
        #expect(try ResourceLimitSyntax.parse(text).get().first?.value == value)
    }

    @Test(arguments: ["as", "as=", "as=12Q", "nofile=64K", "cpu=-1", "files=10", "as=99999999999T", "nproc=1.5", ""])
    func aMalformedLimitIsRefusedByName(_ text: String) throws {
        guard case .failure(let error) = parsedConfig(["--echo", "--rlimit=" + text]) else {
            Issue.record("--rlimit=\(text) was accepted")
            return
        }
        #expect(error.exitStatus == 2)
        guard case .invalidValue(_, "rlimit", _) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
    }
}
