/// Whether the feature behind a flag is built yet.
///
/// Why it exists: wsgate grows layer by layer, but its command line is complete from day one,
/// so a websocketd command line is always parsed and validated in full; a feature not built yet
/// is refused with one clear line (exit 1) instead of being silently ignored. Flipping a flag
/// on is a one-word change in its `FlagSpec` table row.
public enum FlagAvailability: Sendable, Equatable {
    case available
    case notYetAvailable
}
