import Glibc

/// The modes that end at once with a chosen status: `exit` and `kill-self`.
///
/// They exist for tests of how wsgate reports a program's end (close 1000 for exit 0, 1011 with
/// `exit status N` / `signal N` otherwise).
enum ExitModes {
    /// `exit [--say-bye] N`: exit status N (0...255), printing `bye` first with `--say-bye`.
    static func exit(_ arguments: [String]) -> Never {
        let sayBye = arguments.contains("--say-bye")
        let rest = arguments.filter { $0 != "--say-bye" }
        Usage.expect(rest, count: 1, "exit")
        let status = Usage.integer(rest[0], "N", in: 0...255)
        if sayBye {
            Output.standardOutput.line("bye")
        }
        Glibc.exit(Int32(status))
    }

    /// `kill-self SIGNAL`: restores the signal's default action, unblocks it and sends it to this
    /// process, so the process dies by it even if wsgate's child setup left it ignored or blocked.
    /// If the process survives (a signal whose default action is to ignore, like 17 SIGCHLD), it
    /// says so on stderr and exits 1.
    static func killSelf(_ arguments: [String]) -> Never {
        Usage.expect(arguments, count: 1, "kill-self")
        let signalNumber = Int32(Usage.integer(arguments[0], "SIGNAL", in: 1...Int(__libc_current_sigrtmax())))
        _ = signal(signalNumber, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signalNumber)
        _ = sigprocmask(SIG_UNBLOCK, &set, nil)
        _ = kill(getpid(), signalNumber)
        Output.standardError.write("wsgate-testcmd: signal \(signalNumber) did not end the process\n")
        Glibc.exit(1)
    }
}
