import Testing
import WSGateTestSupport

extension Trait where Self == ConditionTrait {
    /// Differential suites need the reference server, Debian's websocketd 0.4.1: skipped where
    /// it is not installed, except under `CI=true`, where they run and fail.
    static var websocketdInstalled: Self {
        .enabled(if: ReferencePeer.suitesRun(executable: ReferenceGateway.executable),
                 "websocketd is not installed at \(ReferenceGateway.executable) (with CI=true these suites fail instead)")
    }
}
