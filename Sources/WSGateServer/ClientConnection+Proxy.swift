import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGateHTTP
import WSGatePosix

/// The client's address behind trusted proxies (`--trusted-proxy`): the PROXY header read
/// before the request head, and the forwarding header read per request (keep-alive requests
/// from nginx may come from different clients on one connection).
extension ClientConnection {
    /// At accept, with `--trusted-proxy`: the peer as an address, and whether it must send a
    /// PROXY header first.
    static func trustedStart(peer: SocketAddress?, trust: ProxyTrust) -> (client: ClientAddress?, expectsHeader: Bool) {
        guard let peer, !peer.isUnix, let address = IPAddress(peer.host) else { return (nil, false) }
        return (ClientAddress(address: address, port: UInt16(peer.port)), trust.expectsProxyHeader(from: address))
    }

    /// Reads the PROXY header from the first bytes (left in the transport until complete);
    /// true once it is consumed and the request head follows in `buffer`.
    func readProxyHeader(_ buffer: inout ByteBuffer) -> Bool {
        switch ProxyTrust.headerStep(buffer) {
        case .needMore:
            return false
        case .refuse(let reason, let looksLikeHTTP):
            awaitingProxyHeader = false
            cancelHeadTimer()
            context.logger.log(.error, "http", [("remote", remote)], "Refused a trusted proxy's connection: \(reason)")
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            // Under --ssl the client expects TLS: a plaintext answer would be noise to it.
            if looksLikeHTTP && tlsEngine == nil {
                answer(.badRequest)
            } else {
                phase = .answering
                transport.close(lingerMilliseconds: context.settings.lingerMs)
            }
            return false
        case .header(let client, let version, let consumed):
            awaitingProxyHeader = false
            buffer.moveReaderIndex(forwardBy: consumed)
            if let client {
                let proxy = remote
                connectionClient = client
                connectionRemote = (client.address.description, String(client.port ?? 0))
                (remote, remotePort) = connectionRemote
                context.logger.log(.debug, "http", [("remote", remote), ("proxy", proxy)],
                                   "Client address from a PROXY \(version) header")
            } else {
                // v2 LOCAL (a health check), v1 UNKNOWN: the peer stays the client.
                context.logger.log(.debug, "http", [("remote", remote)], "PROXY \(version) header keeps the peer")
            }
            guard let tlsEngine else { return true }
            // The rest is the TLS handshake: the transport decrypts from here on.
            transport.startTLS(tlsEngine, initialCiphertext: buffer)
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return false
        }
    }

    /// Per request: the forwarding header's client, or the connection's.
    func resolveClient(_ head: HTTPRequestHead, trust: ProxyTrust) {
        guard let connectionClient else { return }
        let client = trust.client(of: head.headers, connection: connectionClient)
        guard client.source != nil else {
            (remote, remotePort) = connectionRemote
            return
        }
        remote = client.address.description
        // No port in the header: none (the proxy's or the peer's would belong to another host).
        remotePort = client.port.map { String($0) } ?? ""
        if context.logger.isEnabled(.debug) {
            context.logger.log(.debug, "http", [("remote", remote), ("proxy", connectionRemote.address)],
                               "Client address from \(client.source?.fieldName ?? "")")
        }
    }

    /// A PROXY header where none is read: a 400 like any bad request, logged as what it is.
    func logUnexpectedProxyHeader() {
        let why = if let trust = context.settings.proxyTrust, connectionClient.map({ trust.trusted.contains($0.address) }) == true {
            "PROXY protocol header from \(remote) without --accept-proxy-protocol"
        } else {
            "PROXY protocol header from an untrusted peer \(remote)"
        }
        context.logger.log(.access, "http", [("remote", remote)], "Bad request: \(why)")
    }

    /// The client for `--reverselookup`: the peer, or the address a trusted proxy named.
    var clientSocketAddress: SocketAddress? {
        guard let peer, !peer.isUnix else { return nil }
        if remote == peer.host { return peer }
        return SocketAddress(ipLiteral: remote, port: Int(remotePort) ?? 0)
    }
}
