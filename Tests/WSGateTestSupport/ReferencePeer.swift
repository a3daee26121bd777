import Glibc

/// Whether the suites that run a reference peer (websocketd, websockify) side by side with
/// wsgate run here.
///
/// Why it exists: those suites prove the drop-in fidelity and every "better than" claim, so a
/// CI run where the peer is missing must fail them rather than pass by skipping them. On a
/// developer's machine without the peer they are skipped, and the test runner prints each
/// skipped suite with the reason.
public enum ReferencePeer {
    /// `CI=true` in the environment (`.ci/run` sets it).
    public static var isCI: Bool {
        guard let value = getenv("CI") else { return false }
        return String(cString: value) == "true"
    }

    /// Run the suites of the peer at `executable`: where it is installed, and always under CI
    /// (where a missing peer then fails them, naming the executable).
    public static func suitesRun(executable: String) -> Bool {
        access(executable, X_OK) == 0 || isCI
    }
}
