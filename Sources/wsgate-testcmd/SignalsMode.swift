import Glibc

/// The `signals` mode: a program that will not die of SIGINT, SIGTERM or SIGHUP.
///
/// It exists to test wsgate's kill sequence: the program logs each signal (`got SIGINT`…) and
/// carries on, even after stdin closes, so wsgate must escalate to SIGKILL. SIGPIPE is ignored
/// too, so a log line written after wsgate closed the stdout pipe cannot end it early. The
/// handlers only call write(2) on static strings (and _exit(2)): async-signal-safe code only.
/// Every notice also goes to stderr, which wsgate logs even after the client (and with it the
/// reading of stdout) is gone, so tests can see the order of the kill sequence in the log.
enum SignalsMode {
    /// `signals [--exit-on-term]`.
    static func run(_ arguments: [String]) -> Never {
        let exitOnTerm = arguments == ["--exit-on-term"]
        if !exitOnTerm {
            Usage.expect(arguments, count: 0, "signals")
        }
        _ = signal(SIGPIPE, SIG_IGN)
        install(logInterrupt, for: SIGINT)
        install(logHangUp, for: SIGHUP)
        install(exitOnTerm ? logTerminateAndExit : logTerminate, for: SIGTERM)
        Output.standardOutput.line("ready")
        StandardInput.forEachChunk { _ in }
        writeStatic("stdin closed\n")
        Pause.forever()
    }

    /// Installs `handler` for `signalNumber` with SA_RESTART, so reads and sleeps carry on.
    private static func install(_ handler: @escaping @convention(c) (Int32) -> Void, for signalNumber: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        _ = sigaction(signalNumber, &action, nil)
    }

    /// Writes a static string to stdout and stderr; safe in a signal handler (no allocation,
    /// no locks).
    private static func writeStatic(_ text: StaticString) {
        text.withUTF8Buffer {
            _ = write(STDOUT_FILENO, $0.baseAddress, $0.count)
            _ = write(STDERR_FILENO, $0.baseAddress, $0.count)
        }
    }

    private static let logInterrupt: @convention(c) (Int32) -> Void = { _ in
        writeStatic("got SIGINT\n")
    }

    private static let logHangUp: @convention(c) (Int32) -> Void = { _ in
        writeStatic("got SIGHUP\n")
    }

    private static let logTerminate: @convention(c) (Int32) -> Void = { _ in
        writeStatic("got SIGTERM\n")
    }

    private static let logTerminateAndExit: @convention(c) (Int32) -> Void = { _ in
        writeStatic("got SIGTERM\n")
        _exit(0)
    }
}
