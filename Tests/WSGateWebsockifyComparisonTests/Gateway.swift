/// The two gateways a comparison scenario runs through.
///
/// Why it exists: every scenario runs once per case, against a fresh backend of the same
/// mode, with the same client actions, so a test body only states what to do and which
/// difference docs/behaviour.md (or a websockify defect) allows.
enum Gateway: String, CaseIterable, CustomStringConvertible, Sendable {
    /// Debian's websockify 0.10.0, the reference for TCP backends (noVNC's gateway).
    case websockify
    /// The server under test, as `wsgate --binary --tcp=…` / `--unix=…`.
    case wsgate

    var description: String { rawValue }
}
