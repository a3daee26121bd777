import Glibc
import Testing
import WSGateTestSupport

/// `--user`, `--group`, `--allow-root` and `--rlimit` through the real binary: programs run as
/// another user, bounded, and a program that hits its limit ends with 1011 while the gateway
/// goes on.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct ProgramLimitsTests {
    /// Runs `script` under `/bin/sh -c` behind a gateway with `flags`; returns what it said and
    /// how the session ended, and the gateway.
    static func session(_ flags: [String], _ script: String) throws -> (Transcript, GatewayProcess) {
        let gateway = try GatewayProcess(flags + ["/bin/sh", "-c", script])
        let client = try gateway.openWebSocket()
        return (try Transcript.read(from: client, timeout: 30), gateway)
    }

    /// Needs root (as CI runs): only root may start programs as another user.
    @Test(.enabled(if: getuid() == 0, "needs root")) func programsRunAsTheUserWithItsGroups() throws {
        let (transcript, _) = try Self.session(["--user=nobody"], "id -u; id -g; id -G")
        #expect(transcript.texts == ["65534", "65534", "65534"], "\(transcript)")
        #expect(transcript.ending.code == 1000, "\(transcript)")
    }

    @Test(.enabled(if: getuid() == 0, "needs root")) func aGroupReplacesTheUsersGroup() throws {
        let (transcript, _) = try Self.session(["--user=nobody", "--group=daemon"], "id -u; id -g")
        #expect(transcript.texts == ["65534", "1"], "\(transcript)")
    }

    @Test func aProgramOverItsDescriptorLimitEndsWith1011() throws {
        let (transcript, gateway) = try Self.session(
            ["--rlimit=nofile=32"],
            #"ulimit -n; ulimit -Hn; exec /usr/bin/python3 -c 'import os; [os.open("/dev/null", 0) for _ in iter(int, 1)]'"#)
        #expect(transcript.texts == ["32", "32"], "\(transcript)")
        #expect(transcript.ending.code == 1011, "\(transcript)")
        let line = try gateway.process.waitForOutputLine(containing: "Too many open files")
        #expect(line.contains("stderr"), "\(line)")
        // The gateway itself is not bounded: the next session works.
        let next = try Transcript.read(from: try gateway.openWebSocket(), timeout: 30)
        #expect(next.texts.first == "32", "\(next)")
    }

    @Test func aProgramOverItsAddressSpaceEndsWith1011() throws {
        let (transcript, gateway) = try Self.session(
            ["--rlimit=as=256M"], "ulimit -v; exec /usr/bin/python3 -c 'bytearray(1 << 30)'")
        #expect(transcript.texts == ["262144"], "\(transcript)")
        #expect(transcript.ending.code == 1011, "\(transcript)")
        try gateway.process.waitForOutputLine(containing: "MemoryError")
    }

    @Test(arguments: [
        (["--user=root"], "--user=root is root: programs would run as root; add --allow-root if that is meant"),
        (["--user=no-such-user-here"], "--user: there is no user 'no-such-user-here'"),
        (["--user=nobody", "--group=no-such-group-here"], "--group: there is no group 'no-such-group-here'"),
    ])
    func aUserThatCannotBeUsedStopsTheStart(flags: [String], message: String) throws {
        let process = try ChildProcess(path: Executables.path("wsgate"),
                                       arguments: ["--port=0", "--address=127.0.0.1"] + flags + ["/bin/true"])
        #expect(try process.waitForExit(timeout: 30) == 1)
        #expect(process.standardOutput.contains(message), "\(process.standardOutput)")
        #expect(!process.standardOutput.contains("Starting WebSocket server"))
    }

    @Test(.enabled(if: getuid() == 0, "needs root")) func allowRootLetsUserNameRoot() throws {
        let (transcript, _) = try Self.session(["--user=root", "--allow-root"], "id -u")
        #expect(transcript.texts == ["0"], "\(transcript)")
    }
}
