/// Byte comparison whose time depends only on the lengths.
///
/// Why it exists: `==` on arrays stops at the first difference, and how long it took tells an
/// attacker how many leading bytes were right. The lengths themselves are public (a crypt
/// result's length follows from the stored hash's kind).
enum ConstantTime {
    /// Whether `a` and `b` are equal, looking at every byte when their lengths match.
    @inline(never)
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
