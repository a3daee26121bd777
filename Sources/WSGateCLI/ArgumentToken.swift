/// What one command-line word is, before the flag table is consulted.
///
/// Why it exists: Go's `flag` package classifies a word by its shape alone (dashes, `=`), and
/// only then decides, from the flag's kind, whether the next word is its value. Keeping the shape
/// separate keeps those two rules testable on their own. It must not look flags up.
enum ArgumentToken: Equatable {
    /// `--`: ends the flags and is consumed.
    case endOfFlags
    /// A word that is not a flag (`x`, `-`, the empty word): it is COMMAND, flags end before it.
    case operand
    /// `-name`, `--name`, `-name=value` or `--name=value`; `inlineValue` is what follows the
    /// first `=` (possibly empty), nil when there is no `=`.
    case flag(name: String, inlineValue: String?)
}
