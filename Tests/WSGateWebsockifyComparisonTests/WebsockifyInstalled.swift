import Testing
import WSGateTestSupport

extension Trait where Self == ConditionTrait {
    /// Comparison suites need the reference: they are skipped where Debian's websockify is
    /// not installed at /usr/bin/websockify.
    static var websockifyInstalled: Self {
        .enabled(if: WebsockifyProcess.isInstalled, "websockify is not installed at /usr/bin/websockify")
    }
}
