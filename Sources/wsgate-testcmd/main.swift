// wsgate-testcmd: the program integration tests give wsgate as its COMMAND, so they need no
// shell one-liners (websocketd's testcmd plays the same part). Usage: wsgate-testcmd MODE [ARGS];
// `wsgate-testcmd --help` lists the modes. This file only dispatches; each mode family lives in
// its own file. Glibc only (no Foundation), and every write goes straight to write(2).
import Glibc

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first else {
    Usage.fail("missing MODE")
}
if name == "--help" || name == "-h" || name == "help" {
    Usage.printHelp()
}
guard let mode = Mode.named(name) else {
    Usage.fail("unknown mode '\(name)'")
}
mode.run(Array(arguments.dropFirst()))
