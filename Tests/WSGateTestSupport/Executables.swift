import CWSGateLinux
import Glibc

/// Finds the executables `swift build` put next to the test runner.
///
/// Why it exists: integration tests run the real `wsgate` binary; `swift test` builds every
/// executable target into the same folder as the test bundle, so no Foundation `Bundle` lookup
/// is needed.
public enum Executables {
    /// The folder holding the test runner (and `wsgate`, `wsgate-testcmd`…).
    public static var buildFolder: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let path = count > 0 ? String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : CommandLine.arguments[0]
        // .build/<triple>/debug/wsgatePackageTests.xctest
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/")
    }

    /// The package's root folder (where Package.swift is): the build folder is
    /// `<root>/.build/<triple>/<configuration>` (or a custom `--scratch-path` inside the root).
    public static var packageRoot: String {
        var folder = buildFolder
        while !folder.isEmpty {
            if access(folder + "/Package.swift", F_OK) == 0 { return folder }
            folder = String(folder[..<(folder.lastIndex(of: "/") ?? folder.startIndex)])
        }
        return "."
    }

    /// The absolute path of a sibling executable.
    public static func path(_ name: String) -> String {
        buildFolder + "/" + name
    }
}
