import Glibc

/// The modes that report on or extend the process setup wsgate gave the program:
/// `spawn-grandchild`, `pgid`, `sigmask`.
///
/// They exist to test wsgate's child hygiene: own process group, only fds 0-2 inherited, signal
/// mask and dispositions reset, and no grandchild outliving the connection.
enum ProcessModes {
    /// The program the `spawn-grandchild` mode starts.
    static let grandchildArguments = ["/bin/sleep", "1000"]

    /// `spawn-grandchild [--exit]`: posix_spawn of `/bin/sleep 1000` in this process group,
    /// inheriting stdin/stdout/stderr (like `sleep 1000 &` in a shell script, so it holds the
    /// stdout pipe open), then `grandchild PID`. With `--exit`, exit 0 at once; otherwise read
    /// stdin until EOF, then sleep until killed.
    static func spawnGrandchild(_ arguments: [String]) -> Never {
        let exitAtOnce = arguments == ["--exit"]
        if !exitAtOnce {
            Usage.expect(arguments, count: 0, "spawn-grandchild")
        }
        var argv: [UnsafeMutablePointer<CChar>?] = grandchildArguments.map { strdup($0) }
        argv.append(nil)
        var pid: pid_t = 0
        let result = posix_spawn(&pid, grandchildArguments[0], nil, nil, argv, environ)
        if result != 0 {
            Output.standardError.write("wsgate-testcmd: posix_spawn \(grandchildArguments[0]): error \(result)\n")
            Glibc.exit(1)
        }
        Output.standardOutput.line("grandchild \(pid)")
        if exitAtOnce {
            Glibc.exit(0)
        }
        StandardInput.forEachChunk { _ in }
        Pause.forever()
    }

    /// `pgid`: `pid P pgid G`, then `fds 0 1 2` (every open descriptor, ascending), then `echo`.
    static func pgid(_ arguments: [String]) -> Never {
        Usage.expect(arguments, count: 0, "pgid")
        Output.standardOutput.line("pid \(getpid()) pgid \(getpgrp())")
        Output.standardOutput.line("fds " + openDescriptors().map(String.init).joined(separator: " "))
        StreamModes.echoUntilEndOfInput()
        Glibc.exit(0)
    }

    /// The open file descriptors, from /proc/self/fd, without the one reading that directory.
    static func openDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else {
            Output.standardError.write("wsgate-testcmd: cannot open /proc/self/fd\n")
            Glibc.exit(1)
        }
        defer { closedir(directory) }
        let listing = dirfd(directory)
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            // Read in place: a record is only as long as its name, not sizeof(dirent).
            let start = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \.d_name)!
            let name = String(cString: start.assumingMemoryBound(to: CChar.self))
            if let descriptor = Int32(name), descriptor != listing {
                descriptors.append(descriptor)
            }
        }
        return descriptors.sorted()
    }

    /// The highest signal number sigismember accepts, checked for `blocked`.
    static var highestSignal: Int32 { __libc_current_sigrtmax() }
    /// The classic signals checked for SIG_IGN.
    static let classicSignals: ClosedRange<Int32> = 1...31

    /// `sigmask`: `blocked N ignored M`: N signals of 1...SIGRTMAX in the signal mask, M of
    /// signals 1...31 whose disposition is SIG_IGN. A clean child prints `blocked 0 ignored 0`.
    static func sigmask(_ arguments: [String]) -> Never {
        Usage.expect(arguments, count: 0, "sigmask")
        var mask = sigset_t()
        sigemptyset(&mask)
        _ = pthread_sigmask(SIG_BLOCK, nil, &mask)
        let blocked = (1...highestSignal).filter { sigismember(&mask, $0) == 1 }.count
        let ignored = classicSignals.filter { signalNumber in
            var action = sigaction()
            guard sigaction(signalNumber, nil, &action) == 0 else { return false }
            return unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
                == unsafeBitCast(SIG_IGN, to: Int.self)
        }.count
        Output.standardOutput.line("blocked \(blocked) ignored \(ignored)")
        Glibc.exit(0)
    }
}
