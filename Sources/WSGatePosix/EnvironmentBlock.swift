/// A program's environment as `execve` takes it: "NAME=value" entries, each NUL-terminated,
/// back to back in one byte array.
///
/// Why it exists: a program started per connection gets some twenty-five variables; made as
/// one `String` per entry, then deduplicated through a `Set` and copied into C strings, they
/// were a fifth of the gateway's own work per connection. Appending bytes to one reserved
/// array is one allocation, and `ProcessSpawner` hands the bytes to the child as they are.
public struct EnvironmentBlock: Sendable, Equatable, ExpressibleByArrayLiteral {
    /// The entries' bytes, each followed by a NUL.
    public private(set) var bytes: [UInt8] = []
    /// How many entries `bytes` holds.
    public private(set) var count = 0

    /// An empty block with room for `capacity` bytes.
    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// A block of ready-made "NAME=value" entries.
    public init(_ entries: [String]) {
        for entry in entries {
            bytes.append(contentsOf: entry.utf8)
            endEntry()
        }
    }

    public init(arrayLiteral entries: String...) {
        self.init(entries)
    }

    // Concrete overloads rather than one generic method: the callers are in other modules,
    // where a generic call would go through witness tables for every byte.

    /// Starts an entry: "NAME=". Its value follows through `appendValue`, then `endEntry`.
    public mutating func beginEntry(_ name: String.UTF8View) {
        bytes.append(contentsOf: name)
        bytes.append(UInt8(ascii: "="))
    }

    /// `beginEntry` for a name given as bytes (a `StaticString`'s).
    public mutating func beginEntry(_ name: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: name)
        bytes.append(UInt8(ascii: "="))
    }

    /// Appends to the current entry's value.
    public mutating func appendValue(_ value: String.UTF8View) {
        bytes.append(contentsOf: value)
    }

    /// Ends the current entry.
    public mutating func endEntry() {
        bytes.append(0)
        count += 1
    }

    /// A whole entry: "NAME=value".
    public mutating func add(_ name: String, _ value: String) {
        beginEntry(name.utf8)
        appendValue(value.utf8)
        endEntry()
    }

    /// The entries as strings (for tests and diagnostics; invalid UTF-8 is repaired).
    public var entries: [String] {
        bytes.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
    }
}
