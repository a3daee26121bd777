import WSGateBackends
public import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// The running gateway: listeners, connections and the drain on SIGTERM, on one event loop.
///
/// Why it exists: it is the one place that turns a validated `GatewayConfig` into sockets and
/// back into an exit status: 0 after a clean shutdown, 3 when a listener cannot start
/// (websocketd's codes). Everything protocol-specific happens in the connections it creates.
public final class Gateway {
    private let config: GatewayConfig
    private let settings: ServerSettings
    private let logger: Logger

    public init(config: GatewayConfig) {
        self.config = config
        settings = ServerSettings(config: config)
        logger = Logger(minimumLevel: config.logLevel, format: config.logFormat)
    }

    /// Exit statuses of `run()`.
    public enum ExitStatus {
        public static let clean: Int32 = 0
        public static let listenerFailed: Int32 = 3
    }

    /// Serves until SIGTERM or SIGINT; returns the process exit status.
    public func run() -> Int32 {
        ProcessSignals.ignoreBrokenPipe()
        let signals: SignalFD
        let loop: EventLoop
        do {
            // Blocked before anything else exists, so every later thread inherits the mask.
            signals = try SignalFD(signals: [.terminate, .interrupt, .hangup, .child])
            loop = try EventLoop()
        } catch {
            logger.log(.fatal, "server", [], "Cannot start event loop: \(error)")
            return ExitStatus.listenerFailed
        }
        let listeners: [Listener]
        do {
            listeners = try openListeners(loop: loop)
        } catch {
            logger.log(.fatal, "server", [], "Can't start server: \(error.message)")
            return ExitStatus.listenerFailed
        }
        let tracker = ConnectionTracker()
        let slots = SessionSlots(limit: settings.maxSessions)
        let reaper = ChildReaper()
        let context = ConnectionContext(loop: loop, settings: settings, logger: logger, tracker: tracker,
                                        sessionSlots: slots, reaper: reaper)
        for listener in listeners {
            logger.log(.info, "server", [], "Starting WebSocket server : \(url(for: listener.address))")
        }
        logger.log(.info, "server", [], "Serving using \(settings.backendDescription)")

        var shuttingDown = false
        let drainDeadlineMs = settings.drainDeadlineMs
        let watcher = SignalWatcher(signals: signals, loop: loop) { [logger] signal in
            if signal == .child {
                reaper.reapExited()
                return
            }
            guard signal == .terminate || signal == .interrupt else { return }
            if shuttingDown {
                logger.log(.info, "server", [], "Received \(signal) again: exiting now")
                loop.stop()
                return
            }
            shuttingDown = true
            logger.log(.info, "server", [], "Received \(signal): closing \(tracker.count) connection(s) and exiting")
            for listener in listeners { listener.close() }
            tracker.onDrained = { loop.stop() }
            // A last resort if some peer never completes its close handshake.
            loop.scheduleTimer(afterMilliseconds: drainDeadlineMs) {
                logger.log(.info, "server", [], "Shutdown deadline reached with \(tracker.count) connection(s) left")
                loop.stop()
            }
            tracker.drain()
        }
        do {
            try watcher.start()
            for listener in listeners {
                try listener.start()
            }
        } catch {
            logger.log(.fatal, "server", [], "Can't start server: \(error)")
            return ExitStatus.listenerFailed
        }
        for listener in listeners {
            listener.onAccept = { socket, peer in ClientConnection.accept(socket: socket, peer: peer, context: context) }
        }
        do {
            try loop.run()
        } catch {
            logger.log(.fatal, "server", [], "Event loop failed: \(error)")
        }
        for listener in listeners { listener.close() }
        watcher.stop()
        return ExitStatus.clean
    }

    /// A listener that failed to open, with websocketd's wording.
    struct ListenError: Error {
        let message: String
    }

    private func openListeners(loop: EventLoop) throws(ListenError) -> [Listener] {
        var addresses: [SocketAddress] = []
        if config.addresses.isEmpty {
            addresses = Socket.supportsIPv6 ? [.anyIPv6(port: config.port)] : [.anyIPv4(port: config.port)]
        } else {
            for text in config.addresses {
                do {
                    addresses += try SocketAddress.resolve(host: text, port: config.port)
                } catch {
                    throw ListenError(message: "listen tcp \(text):\(config.port): \(error)")
                }
            }
        }
        var listeners: [Listener] = []
        for address in addresses {
            var options = Socket.ListenOptions()
            options.dualStack = config.addresses.isEmpty
            do {
                let descriptor = try Socket.listen(on: address, options: options)
                let bound = (try? Socket.localAddress(descriptor)) ?? address
                listeners.append(Listener(descriptor: descriptor, address: bound, loop: loop, logger: logger))
            } catch {
                for listener in listeners { listener.close() }
                throw ListenError(message: "listen tcp \(address): \(error)")
            }
        }
        return listeners
    }

    private func url(for address: SocketAddress) -> String {
        let host = config.addresses.isEmpty ? SystemInfo.hostName : (address.isIPv6 ? "[\(address.host)]" : address.host)
        return "ws://\(host):\(address.port)/"
    }
}
