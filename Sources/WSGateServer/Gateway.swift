import WSGateBackends
public import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateTLS

/// The running gateway: listeners, connections and the drain on SIGTERM, on one event loop.
///
/// Why it exists: it is the one place that turns a validated `GatewayConfig` into sockets and
/// back into an exit status: 0 after a clean shutdown, 3 when a listener cannot start
/// (websocketd's codes). Everything protocol-specific happens in the connections it creates.
public final class Gateway {
    private let config: GatewayConfig
    private var settings: ServerSettings
    private let logger: Logger
    /// The thread that writes the log (nil with `--loglevel=none`, or if it cannot start:
    /// then lines are written synchronously).
    private let logWriter: LogWriter?
    /// The `--unixsocket` file once bound: removed when `run()` returns.
    private var unixSocketFile: UnixSocketFile?

    public init(config: GatewayConfig) {
        self.config = config
        settings = ServerSettings(config: config)
        logWriter = config.logLevel == .none ? nil : try? LogWriter(format: config.logFormat)
        logger = Logger(minimumLevel: config.logLevel, format: config.logFormat, writer: logWriter)
    }

    /// Exit statuses of `run()`.
    public enum ExitStatus {
        public static let clean: Int32 = 0
        /// `--ssl`'s certificate or key, or an `--auth-*` key or password file, cannot be
        /// used (websocketd exits 1 for its certificate files too).
        public static let certificateFailed: Int32 = 1
        public static let listenerFailed: Int32 = 3
    }

    /// Serves until SIGTERM or SIGINT; returns the process exit status once the queued log
    /// lines are written (or `LogWriter.exitFlushTimeoutMs` has passed).
    public func run() -> Int32 {
        let status = serve()
        logWriter?.finish(timeoutMilliseconds: LogWriter.exitFlushTimeoutMs)
        return status
    }

    private func serve() -> Int32 {
        ProcessSignals.ignoreBrokenPipe()
        AllocatorTuning.keepFreedMemory()
        if config.ssl, let certificate = config.sslCert, let key = config.sslKey {
            // Before anything listens: a bad file stops the start with one line naming it.
            do {
                settings.tls = try RenewableTLSContext(certificatePath: certificate, keyPath: key,
                                                       clientCAPath: config.sslCA)
            } catch {
                logger.log(.fatal, "server", [], "Can't start TLS: \(error)")
                return ExitStatus.certificateFailed
            }
        }
        do {
            settings.access = try AccessControl.make(config: config)
            settings.childLimits = try ChildLimits.make(config: config)
        } catch {
            logger.log(.fatal, "server", [], "Can't start: \(error)")
            return ExitStatus.certificateFailed
        }
        let signals: SignalFD
        var loops: [EventLoop] = []
        do {
            // Blocked before any loop thread exists, so every loop thread inherits the mask and
            // the signals reach only the signalfd.
            signals = try SignalFD(signals: Self.handledSignals)
            for _ in 0..<loopCount { loops.append(try EventLoop(busyPollMicroseconds: config.busyPollMicroseconds)) }
        } catch {
            logger.log(.fatal, "server", [], "Cannot start event loop: \(error)")
            return ExitStatus.listenerFailed
        }
        if config.broadcast && config.threads > 1 {
            logger.log(.info, "server", [], "--broadcast runs one event loop (a room and its clients share it): --threads=\(config.threads) not used")
        }
        if let path = config.staticDir {
            do {
                settings.staticFiles = StaticFileService(directory: try ServedDirectory(path: path))
            } catch {
                logger.log(.fatal, "server", [], "Cannot open --staticdir \(path): \(error)")
                return ExitStatus.listenerFailed
            }
        }
        if let path = config.cgiDir {
            do {
                let root = FileSystem.resolvedPath(path) ?? path
                settings.cgi = CGIService(directory: try ServedDirectory(path: path), root: root == "/" ? "" : root,
                                          maxBodyBytes: config.cgiMaxBodyBytes)
            } catch {
                logger.log(.fatal, "server", [], "Cannot open --cgidir \(path): \(error)")
                return ExitStatus.listenerFailed
            }
        }
        if config.devConsole {
            settings.devConsole = DevConsoleService(startedAt: Int(SystemClock.unixNanoseconds() / 1_000_000_000),
                                                    isTLS: settings.tls != nil)
        }
        let metrics = GatewayMetrics(loopCount: loops.count)
        if let path = config.metricsPath { settings.metrics = MetricsService(path: path, metrics: metrics) }
        let listenersPerLoop: [[Listener]]
        do {
            listenersPerLoop = try openListeners(loops: loops)
        } catch {
            logger.log(.fatal, "server", [], "Can't start server: \(error.message)")
            return ExitStatus.listenerFailed
        }
        defer { unixSocketFile?.remove() }
        // --redirport: its listeners, and the settings their connections answer with.
        var redirectListeners: [[Listener]] = loops.map { _ in [] }
        var redirectSettings: ServerSettings?
        if config.redirPort != 0 {
            do {
                redirectListeners = try openTCPListeners(loops: loops, port: config.redirPort)
            } catch {
                for listener in listenersPerLoop.joined() { listener.close() }
                logger.log(.fatal, "server", [], "Can't start redirect server: \(error.message)")
                return ExitStatus.listenerFailed
            }
            // The redirect's target: the gateway's own port (port 0 resolved by now).
            let port = listenersPerLoop[0].first { !$0.address.isUnix }?.address.port ?? config.port
            redirectSettings = settings
            redirectSettings?.tls = nil
            redirectSettings?.redirect = RedirectService(scheme: settings.tls == nil ? "http" : "https", port: port)
        }
        let startup = StartupLines(
            backend: settings.hasWebSocketBackend ? settings.backend : nil, staticDir: config.staticDir,
            cgiDir: config.cgiDir, devConsole: config.devConsole,
            listeners: listenersPerLoop[0].map { .init(webSocketURL: url(for: $0.address), webURL: url(for: $0.address, web: true)) },
            redirectURLs: redirectListeners[0].map { url(for: $0.address, web: true, plain: true) },
            metricsPath: config.metricsPath, healthPath: config.healthPath)
        for message in startup.messages { logger.log(.info, "server", [], message) }
        if let access = settings.access { logger.log(.info, "server", [], access.startupDescription) }

        let slots = SessionSlots(limit: settings.maxSessions)
        let reaper = ChildReaper()
        let programGroups = ProgramGroups()
        let runtimes = zip(loops, listenersPerLoop).enumerated().map { index, pair in
            LoopRuntime(loop: pair.0, listeners: pair.1, redirectListeners: redirectListeners[index], settings: settings,
                        redirectSettings: redirectSettings, logger: logger, sessionSlots: slots,
                        reaper: reaper, programGroups: programGroups, metrics: metrics.loops[index])
        }
        // Made now, before any loop runs: later each is only touched on its own loop.
        let boundRuntimes = runtimes.map { LoopBound($0, loop: $0.loop) }
        let shutdown = ShutdownLatch()
        let watcher = SignalWatcher(signals: signals, loop: loops[0]) { [logger, settings] signal in
            if signal == .child {
                reaper.reapExited()
            } else if signal == .hangup {
                Self.renewCertificate(settings.tls, after: "SIGHUP", logger: logger)
                Self.reloadPasswords(settings.access?.passwords, after: "SIGHUP", logger: logger)
            } else if signal == .terminate || signal == .interrupt {
                Self.shutDown(boundRuntimes, latch: shutdown, signal: signal, programGroups: programGroups, logger: logger,
                              settings: settings)
            }
        }
        do {
            try watcher.start()
            for runtime in runtimes { try runtime.start() }
        } catch {
            logger.log(.fatal, "server", [], "Can't start server: \(error)")
            return ExitStatus.listenerFailed
        }
        if let tls = settings.tls { Self.watchCertificateFiles(tls, on: loops[0], logger: logger) }
        if let passwords = settings.access?.passwords { Self.watchPasswordFile(passwords, on: loops[0], logger: logger) }
        if let limiter = settings.clientLimiter { Self.sweepClients(limiter, on: loops[0]) }
        var threads: [PosixThread] = []
        for loop in loops.dropFirst() {
            do {
                threads.append(try PosixThread.start { [logger] in Self.run(loop, logger: logger) })
            } catch {
                logger.log(.fatal, "server", [], "Cannot start a loop thread: \(error)")
                return ExitStatus.listenerFailed
            }
        }
        // systemd (Type=notify): listening now. Nothing happens outside systemd.
        SystemdIntegration.notify("READY=1\nSTATUS=\(settings.backendDescription)\nMAINPID=\(SystemInfo.processID)")
        Self.run(loops[0], logger: logger)
        for thread in threads { thread.join() }
        for runtime in runtimes { runtime.closeListeners() }
        watcher.stop()
        return ExitStatus.clean
    }

    /// The signals read from the signalfd. SIGINT is left out when it was ignored at start (a
    /// shell's `cmd &`): it stays ignored, as websocketd (Go) keeps it, since a blocked signal
    /// would reach the signalfd even while ignored. SIGTERM always drains.
    private static var handledSignals: [Signal] {
        [.terminate, .hangup, .child] + (ProcessSignals.isIgnored(.interrupt) ? [] : [.interrupt])
    }

    /// Event loops to run: `--threads`, or one per core; one under `--broadcast`.
    ///
    /// Why one for rooms: a room's members must share the loop its backend is registered
    /// with (the fan-out queues shared buffers into their write queues, and pauses and
    /// resumes them, with plain calls). A connection is accepted before its path is known and
    /// cannot move to another loop afterwards (its transport, TLS state and timers belong to
    /// the loop that accepted it), so the simplest correct placement is every connection on
    /// one loop. The fan-out itself is one encode per message and one queue entry per member,
    /// and programs run in their own processes, so one loop is rarely the limit.
    private var loopCount: Int {
        if config.broadcast { return 1 }
        return config.threads > 0 ? config.threads : SystemInfo.activeProcessorCount
    }

    private static func run(_ loop: EventLoop, logger: Logger) {
        do {
            try loop.run()
        } catch {
            logger.log(.fatal, "server", [], "Event loop failed: \(error)")
        }
    }

    /// How often the certificate files are examined for a renewal.
    static let certificatePollMs = 2_000

    /// Loads the certificate files again (SIGHUP, or the files changed): new handshakes use
    /// them; on a failure the context in use stays, and the error names the file.
    private static func renewCertificate(_ tls: RenewableTLSContext?, after cause: String, logger: Logger) {
        guard let tls else {
            logger.log(.info, "server", [], "Received SIGHUP: no TLS certificate to reload")
            return
        }
        do {
            try tls.reload()
            logger.log(.info, "server", [], "Loaded the renewed TLS certificate from \(tls.certificatePath) (\(cause)): "
                + "new connections use it")
        } catch {
            tls.markCurrentFilesSeen()
            logger.log(.error, "server", [], "Cannot load the renewed TLS certificate (\(cause)), "
                + "keeping the one in use: \(error)")
        }
    }

    /// Polls the certificate, key and CA files' stamps (inode, size, modification time) on
    /// `loop`'s timer, and reloads once they changed and then stayed the same for one poll.
    /// Polling rather than inotify: renewals replace files in many ways (rename over, rewrite
    /// in place, certbot's symbolic links moved to new targets in another folder), and a stat
    /// that follows links sees every one of them for three system calls every two seconds.
    private static func watchCertificateFiles(_ tls: RenewableTLSContext, on loop: EventLoop, logger: Logger) {
        loop.scheduleTimer(afterMilliseconds: certificatePollMs) {
            if tls.filesChangedAndSettled() { renewCertificate(tls, after: "the files changed", logger: logger) }
            watchCertificateFiles(tls, on: loop, logger: logger)
        }
    }

    /// `--auth-basic`'s file read again: the new users from now on, or a logged error and the
    /// old users.
    private static func reloadPasswords(_ passwords: PasswordFile?, after cause: String, logger: Logger) {
        guard let passwords else { return }
        do {
            let count = try passwords.reload()
            logger.log(.info, "server", [], "Read \(passwords.path) again after \(cause): \(PasswordFile.users(count))")
        } catch {
            logger.log(.error, "server", [], "\(error); the users read before stay")
        }
    }

    /// Polls the password file as `watchCertificateFiles` polls the certificates.
    private static func watchPasswordFile(_ passwords: PasswordFile, on loop: EventLoop, logger: Logger) {
        loop.scheduleTimer(afterMilliseconds: certificatePollMs) {
            if passwords.changedAndSettled() { reloadPasswords(passwords, after: "it changed", logger: logger) }
            watchPasswordFile(passwords, on: loop, logger: logger)
        }
    }

    /// Forgets idle clients of `--max-per-ip` / `--rate` now and then (the table is bounded
    /// anyway; this only gives the memory back once traffic stops).
    private static func sweepClients(_ limiter: ClientLimiter, on loop: EventLoop) {
        loop.scheduleTimer(afterMilliseconds: ClientLimiter.sweepIntervalMs) {
            limiter.sweep()
            sweepClients(limiter, on: loop)
        }
    }

    /// SIGTERM / SIGINT: `--health` answers 503 at once and, for `--drain-delay`, the loops
    /// go on accepting and serving (a balancer takes the instance out of rotation meanwhile);
    /// then every loop stops accepting and drains its connections (close 1001, kill
    /// sequences); once all are drained, or `drainDeadlineMs` passes, every loop stops. A
    /// second signal, in the delay or the drain, stops them at once, after a SIGKILL to every
    /// program group still alive, so no program outlives the gateway.
    private static func shutDown(_ runtimes: [LoopBound<LoopRuntime>], latch: ShutdownLatch, signal: Signal,
                                 programGroups: ProgramGroups, logger: Logger, settings: ServerSettings) {
        let loops = runtimes.map(\.loop)
        let stopAll: @Sendable () -> Void = {
            for loop in loops { loop.execute { loop.stop() } }
        }
        guard latch.begin() else {
            let left = programGroups.count
            logger.log(.info, "server", [], "Received \(signal) again: exiting now"
                + (left > 0 ? ", killing \(left) program group(s)" : ""))
            programGroups.killAll()
            stopAll()
            return
        }
        settings.drain.begin()
        SystemdIntegration.notify("STOPPING=1")
        let deadlineMs = settings.drainDeadlineMs
        let drain: @Sendable () -> Void = {
            let remaining = ShutdownCountdown(count: runtimes.count, whenDone: stopAll)
            for runtime in runtimes {
                runtime.loop.execute {
                    runtime.value.drain { remaining.tick() }
                }
            }
            // A last resort if some peer never completes its close handshake.
            loops[0].scheduleTimer(afterMilliseconds: deadlineMs) {
                let left = programGroups.count
                logger.log(.info, "server", [], "Shutdown deadline (\(deadlineMs) ms) reached: exiting"
                    + (left > 0 ? ", killing \(left) program group(s)" : ""))
                programGroups.killAll()
                stopAll()
            }
        }
        guard settings.drainDelayMs > 0 else {
            logger.log(.info, "server", [], "Received \(signal): closing every connection and exiting")
            drain()
            return
        }
        let reporting = settings.health.map { "reporting 503 on \($0.path)" } ?? "still accepting"
        logger.log(.info, "server", [], "Received \(signal): \(reporting) for \(settings.drainDelayMs) ms, "
            + "then closing every connection")
        loops[0].scheduleTimer(afterMilliseconds: settings.drainDelayMs) {
            logger.log(.info, "server", [], "Drain delay over: closing every connection and exiting")
            drain()
        }
    }

    /// A listener that failed to open, with websocketd's wording.
    struct ListenError: Error {
        let message: String
    }

    /// Every loop's listeners: systemd's sockets if it passed some; else TCP (unless
    /// `--unixsocket` stands alone) and then the `--unixsocket` one. If the Unix socket cannot
    /// start, the TCP listeners are closed again.
    private func openListeners(loops: [EventLoop]) throws(ListenError) -> [[Listener]] {
        if let activated = try activatedListeners(loops: loops) { return activated }
        var perLoop: [[Listener]] = config.listenOnTCP ? try openTCPListeners(loops: loops, port: config.port) : loops.map { _ in [] }
        guard let path = config.unixSocket else { return perLoop }
        do {
            let unix = try UnixSocketListeners.open(path: path, loops: loops, logger: logger)
            unixSocketFile = unix.file
            for (index, listener) in unix.perLoop.enumerated() { perLoop[index].append(listener) }
        } catch {
            for listener in perLoop.joined() { listener.close() }
            throw error
        }
        return perLoop
    }

    /// Opens one listener per address on each loop. With several loops, every listener of an
    /// address shares its port (`SO_REUSEPORT`) and the kernel spreads new connections over
    /// them; a port 0 is resolved by the first one.
    private func openTCPListeners(loops: [EventLoop], port: Int) throws(ListenError) -> [[Listener]] {
        var addresses: [SocketAddress] = []
        if config.addresses.isEmpty {
            addresses = Socket.supportsIPv6 ? [.anyIPv6(port: port)] : [.anyIPv4(port: port)]
        } else {
            for text in config.addresses {
                do {
                    addresses += try SocketAddress.resolve(host: text, port: port)
                } catch {
                    throw ListenError(message: "listen tcp \(text):\(port): \(error)")
                }
            }
        }
        var perLoop: [[Listener]] = loops.map { _ in [] }
        var options = Socket.ListenOptions()
        options.dualStack = config.addresses.isEmpty
        options.reusePort = loops.count > 1
        for var address in addresses {
            if options.reusePort {
                // SO_REUSEPORT would let this gateway join a port another process (a second
                // wsgate) already serves. A plain bind first finds the port taken (exit 3, as
                // websocketd) and resolves port 0; the loops' listeners then share that port.
                do {
                    var plain = options
                    plain.reusePort = false
                    let probe = try Socket.listen(on: address, options: plain)
                    address = (try? Socket.localAddress(probe)) ?? address
                    probe.close()
                } catch {
                    throw ListenError(message: "listen tcp \(address): \(error)")
                }
            }
            for (index, loop) in loops.enumerated() {
                do {
                    let descriptor = try Socket.listen(on: address, options: options)
                    let bound = (try? Socket.localAddress(descriptor)) ?? address
                    address = bound  // the real port for the loops that follow
                    perLoop[index].append(Listener(descriptor: descriptor, address: bound, loop: loop, logger: logger))
                } catch {
                    for listener in perLoop.joined() { listener.close() }
                    throw ListenError(message: "listen tcp \(address): \(error)")
                }
            }
        }
        return perLoop
    }

    /// systemd socket activation: the sockets systemd listens on (TCP or Unix) replace
    /// `--port`, `--address` and `--unixsocket`; every loop gets its own descriptor of each.
    /// Nil when not activated.
    private func activatedListeners(loops: [EventLoop]) throws(ListenError) -> [[Listener]]? {
        let inherited: [FileDescriptor]
        do {
            inherited = try SystemdIntegration.inheritedListeners()
        } catch {
            throw ListenError(message: "\(error)")
        }
        guard !inherited.isEmpty else { return nil }
        logger.log(.info, "server", [], "Using \(inherited.count) listening socket(s) from systemd")
        if let path = config.unixSocket {
            logger.log(.info, "server", [], "Not listening on --unixsocket=\(path): systemd's sockets replace it")
        }
        var perLoop: [[Listener]] = loops.map { _ in [] }
        for socket in inherited {
            let address = (try? Socket.localAddress(socket)) ?? .anyIPv4(port: 0)
            for (index, loop) in loops.enumerated() {
                do {
                    let descriptor = index == 0 ? socket : try SystemdIntegration.duplicate(socket)
                    perLoop[index].append(Listener(descriptor: descriptor, address: address, loop: loop, logger: logger))
                } catch {
                    throw ListenError(message: "duplicating a systemd socket: \(error)")
                }
            }
        }
        return perLoop
    }

    /// The `ws://` URL of a listener (`http://` for the `web` pages; `wss://`, `https://`
    /// with `--ssl` unless `plain`).
    private func url(for address: SocketAddress, web: Bool = false, plain: Bool = false) -> String {
        if address.isUnix {
            // ws+unix:///run/ws.sock (a relative path made absolute, so it can be copied).
            let path = address.host
            let scheme = web ? "http+unix:" : "ws+unix:"
            if path.isEmpty { return scheme + " (abstract socket)" }
            return scheme + "//" + (path.hasPrefix("/") ? path : FileSystem.currentDirectory + "/" + path)
        }
        // A wildcard address is named by the host name, as websocketd does.
        let wildcard = address.host == "0.0.0.0" || address.host == "::"
        let host = wildcard ? SystemInfo.hostName : (address.isIPv6 ? "[\(address.host)]" : address.host)
        let scheme = (web ? "http" : "ws") + (settings.tls == nil || plain ? "" : "s")
        return scheme + "://\(host):\(address.port)/"
    }
}
