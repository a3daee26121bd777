import Testing
@testable import WSGateCLI
import WSGateConfig

/// `--compress` and its tuning flags: their values in `GatewayConfig` and their dependency on
/// `--compress`.
@Suite(.timeLimit(.minutes(10))) struct CompressionFlagTests {
    static func parse(_ arguments: [String]) -> Result<GatewayConfig?, CLIError> {
        parsedConfig(arguments)
    }

    @Test func defaultsAndValues() throws {
        let off = try #require(try Self.parse(["--echo"]).get())
        #expect(!off.compress && off.compressWindowBits == 15 && off.compressMinSize == 128 && off.compressLevel == 1)
        let set = try #require(try Self.parse(["--echo", "--compress", "--compress-window-bits=10", "--compress-min-size=0",
                                               "--compress-level=9"]).get())
        #expect(set.compress && set.compressWindowBits == 10 && set.compressMinSize == 0 && set.compressLevel == 9)
    }

    @Test(arguments: ["--compress-window-bits=12", "--compress-min-size=1024", "--compress-level=6"])
    func aTuningFlagWithoutCompressIsRefused(_ flag: String) throws {
        guard case .failure(let error) = Self.parse(["--echo", flag]) else {
            Issue.record("\(flag) without --compress was accepted")
            return
        }
        let name = String(flag.dropFirst(2).prefix { $0 != "=" })
        #expect(error == .needsCompress(flag: name))
        #expect(error.exitStatus == 1)
        #expect(error.message == "--\(name) only applies to compression: add --compress.")
    }

    /// The Debian config file's commented defaults must work uncommented.
    @Test(arguments: ["--compress-window-bits=15", "--compress-min-size=128", "--compress-level=1"])
    func aTuningFlagAtItsDefaultNeedsNoCompress(_ flag: String) throws {
        #expect(throws: Never.self) { try Self.parse(["--echo", flag]).get() }
    }

    /// zlib cannot compress with a 256-byte window (8 bits), so 9 is the smallest; level 0 would
    /// store, not compress.
    @Test(arguments: ["--compress-window-bits=8", "--compress-window-bits=16", "--compress-level=0", "--compress-level=10"])
    func valuesOutOfRangeAreRefused(_ flag: String) throws {
        guard case .failure(let error) = Self.parse(["--echo", "--compress", flag]) else {
            Issue.record("\(flag) was accepted")
            return
        }
        #expect(error.exitStatus == 2)
    }
}
