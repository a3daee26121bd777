import Testing
@testable import WSGateCLI
import WSGateConfig

/// The room flags: their values in `GatewayConfig`, their dependency on `--broadcast`, and the
/// backends a room cannot share.
@Suite(.timeLimit(.minutes(10))) struct RoomFlagTests {
    static func config(_ arguments: [String]) throws(CLIError) -> GatewayConfig? {
        guard case .run(let config) = try CommandLineParser.parse(arguments, environment: .permissive) else { return nil }
        return config
    }

    static func refusal(_ arguments: [String]) -> CLIError? {
        do {
            _ = try config(arguments)
            return nil
        } catch {
            return error
        }
    }

    @Test func defaultsAndValues() throws {
        let plain = try #require(try Self.config(["--broadcast", "--tcp=localhost:5900"]))
        #expect(plain.broadcast && plain.roomLingerMs == 0 && plain.maxRooms == 0)
        #expect(plain.roomQueueBytes == 1_048_576 && plain.slowClient == .disconnect && plain.roomProtocol == .plain)
        let set = try #require(try Self.config(["--broadcast", "--room-linger=250", "--maxrooms=7", "--room-queue=65536",
                                                "--slow-client=block", "--room-protocol=json", "--unix=/run/app.sock"]))
        #expect(set.roomLingerMs == 250 && set.maxRooms == 7 && set.roomQueueBytes == 65536 && set.slowClient == .block)
        #expect(set.roomProtocol == .json)
    }

    @Test(arguments: ["--room-linger=5", "--maxrooms=2", "--room-queue=8192", "--slow-client=drop", "--room-protocol=json"])
    func aRoomFlagWithoutBroadcastIsRefused(_ flag: String) throws {
        let error = try #require(Self.refusal(["--tcp=localhost:5900", flag]))
        let name = String(flag.dropFirst(2).prefix { $0 != "=" })
        #expect(error == .needsBroadcast(flag: name))
        #expect(error.exitStatus == 1)
        #expect(error.message == "--\(name) only applies to rooms: add --broadcast.")
    }

    /// The Debian config file's commented defaults must work uncommented, with or without rooms.
    @Test(arguments: ["--room-linger=0", "--maxrooms=0", "--room-queue=1048576", "--slow-client=disconnect",
                      "--room-protocol=plain"])
    func aRoomFlagAtItsDefaultNeedsNoBroadcast(_ flag: String) throws {
        #expect(Self.refusal(["--tcp=localhost:5900", flag]) == nil)
    }

    @Test func broadcastNeedsABackendToShare() throws {
        #expect(Self.refusal(["--broadcast", "--echo"])?.message
            == "--broadcast needs COMMAND, --dir, --tcp or --unix, not --echo.")
        #expect(Self.refusal(["--broadcast", "--staticdir=/srv"])?.message == "--broadcast needs COMMAND, --dir, --tcp or --unix.")
        #expect(Self.refusal(["--broadcast", "--passstderr", "--tcp=localhost:1"])?.exitStatus == 1)
    }

    /// The JSON protocol carries binary messages itself.
    @Test func theJSONProtocolTakesNoBinaryFlag() throws {
        let error = try #require(Self.refusal(["--broadcast", "--room-protocol=json", "--binary", "--tcp=localhost:1"]))
        #expect(error.exitStatus == 1)
        #expect(error.message == #"--broadcast with --room-protocol=json takes no --binary: binary messages travel as base64 (the "binary" key)."#)
        #expect(Self.refusal(["--broadcast", "--room-protocol=plain", "--binary", "--tcp=localhost:1"]) == nil)
    }

    @Test func badValuesAreFlagSyntaxErrors() throws {
        let policy = try #require(Self.refusal(["--broadcast", "--slow-client=wait", "--tcp=localhost:1"]))
        #expect(policy.exitStatus == 2)
        #expect(policy.message.hasSuffix("must be disconnect, drop or block"))
        let kind = try #require(Self.refusal(["--broadcast", "--room-protocol=JSON", "--tcp=localhost:1"]))
        #expect(kind.exitStatus == 2)
        #expect(kind.message.hasSuffix("must be plain or json"))
        #expect(Self.refusal(["--broadcast", "--room-queue=100", "--tcp=localhost:1"])?.exitStatus == 2)
    }
}
