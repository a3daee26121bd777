import Testing
import WSGateTestSupport

extension Trait where Self == ConditionTrait {
    /// Comparison suites need the reference, Debian's websockify: skipped where it is not
    /// installed, except under `CI=true`, where they run and fail.
    static var websockifyInstalled: Self {
        .enabled(if: ReferencePeer.suitesRun(executable: WebsockifyProcess.executable),
                 "websockify is not installed at \(WebsockifyProcess.executable) (with CI=true these suites fail instead)")
    }
}
