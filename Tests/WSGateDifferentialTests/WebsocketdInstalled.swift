import Foundation
import Testing

extension Trait where Self == ConditionTrait {
    /// Differential suites need the reference server: they are skipped where Debian's
    /// websocketd 0.4.1 is not installed (CI installs it).
    static var websocketdInstalled: Self {
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/websocketd"),
                 "websocketd is not installed at /usr/bin/websocketd")
    }
}
