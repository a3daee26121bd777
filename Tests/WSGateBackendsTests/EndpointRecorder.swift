import WSGateBackends
import WSGateCore
import WSGatePosix

/// Records what an endpoint tells its relay, in order, and keeps the output bytes.
final class EndpointRecorder: RelayEndpointDelegate {
    var events: [String] = []
    var output: [UInt8] = []
    var diagnostics: [UInt8] = []

    func endpoint(_ endpoint: any RelayEndpoint, didProduce buffer: inout ByteBuffer) {
        let bytes = buffer.readBytes(buffer.readableBytes) ?? []
        output += bytes
        events.append("output")
    }
    func endpoint(_ endpoint: any RelayEndpoint, didProduceDiagnostics buffer: inout ByteBuffer) {
        diagnostics += buffer.readBytes(buffer.readableBytes) ?? []
        events.append("diagnostics")
    }
    func endpointDiagnosticsDidEnd(_ endpoint: any RelayEndpoint) { events.append("diagnostics end") }
    func endpointInputDidDrain(_ endpoint: any RelayEndpoint) { events.append("drain") }
    func endpoint(_ endpoint: any RelayEndpoint, didEnd outcome: EndpointOutcome) {
        switch outcome {
        case .finished: events.append("end finished")
        case .failed(let reason): events.append("end failed: \(reason)")
        }
    }
    func endpointDidFinish(_ endpoint: any RelayEndpoint) { events.append("finish") }

    /// The events without repeated "output" / "diagnostics" entries (how reads split is the
    /// kernel's business, not the endpoint's).
    var distinctEvents: [String] {
        events.reduce(into: []) { result, event in if result.last != event { result.append(event) } }
    }
}
