import Testing
@testable import WSGateCLI
import WSGateConfig

/// `--pty` and `--pty-size`: their values, and the backends a terminal does not fit.
@Suite(.timeLimit(.minutes(10))) struct TerminalFlagTests {
    @Test func offByDefaultAndSizedWhenAsked() throws {
        let plain = try #require(try parsedConfig(["/bin/sh"]).get())
        #expect(!plain.pty && plain.ptyColumns == 80 && plain.ptyRows == 24)
        let sized = try #require(try parsedConfig(["--pty", "--pty-size=132x43", "/bin/sh"]).get())
        #expect(sized.pty && sized.ptyColumns == 132 && sized.ptyRows == 43)
    }

    @Test(arguments: ["80", "80x", "x24", "0x24", "80x10000", "80X24", "-1x24", "80x24x1", " 80x24"])
    func aMalformedSizeIsRefusedByName(_ value: String) throws {
        guard case .failure(let error) = parsedConfig(["--pty", "--pty-size=\(value)", "/bin/sh"]) else {
            Issue.record("--pty-size=\(value) was accepted")
            return
        }
        #expect(error.exitStatus == 2)
        guard case .invalidValue(_, "pty-size", _) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
    }

    @Test(arguments: [
        (["--pty", "--echo"], "--pty needs COMMAND or --dir: a terminal is for a program."),
        (["--pty", "--tcp=127.0.0.1:5900"], "--pty needs COMMAND or --dir: a terminal is for a program."),
        (["--pty", "--broadcast", "/bin/cat"], "--pty and --broadcast cannot be used together (a room's program is shared)."),
        (["--pty-size=100x30", "/bin/sh"], "--pty-size only applies to --pty."),
    ])
    func aTerminalWithoutAProgramOfItsOwnIsRefused(arguments: [String], message: String) throws {
        guard case .failure(let error) = parsedConfig(arguments) else {
            Issue.record("\(arguments) was accepted")
            return
        }
        #expect(error.exitStatus == 1)
        #expect(error.message == message)
    }
}
