/// One member of a JSON object: a name and its value.
public struct JSONMember: Equatable, Sendable {
    public let key: String
    public let value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }

    public static func == (lhs: JSONMember, rhs: JSONMember) -> Bool {
        lhs.key.utf8.elementsEqual(rhs.key.utf8) && lhs.value == rhs.value
    }
}

/// A JSON object: its members in the order they were read or given, names unique.
///
/// Why it exists: RFC 8259 §4 says names SHOULD be unique and leaves duplicates' meaning open;
/// parsers disagree (first wins, last wins, error), which lets one line mean two things. So
/// duplicates are an error here, both when reading (`JSONParseError.Reason.duplicateKey`) and
/// when building (`init?(_:)`). Names are compared by their UTF-8 bytes.
public struct JSONObject: Equatable, Sendable {
    public let members: [JSONMember]

    /// An object with these members, or nil when two have the same name.
    public init?(_ members: [JSONMember]) {
        var names = JSONKeySet()
        for member in members where !names.insert(member.key) { return nil }
        self.members = members
    }

    /// Members the reader has already checked for duplicates.
    init(checkedMembers: [JSONMember]) {
        members = checkedMembers
    }

    /// The value of the member named `key`, if any.
    public subscript(key: String) -> JSONValue? {
        members.first { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }
}

/// Names already seen in one object, compared by UTF-8 bytes.
///
/// Why it exists: a linear scan per member is quadratic, and a line of a million short names
/// must not cost 10^12 comparisons; a `Set<String>` would compare by canonical equivalence.
struct JSONKeySet {
    private struct Key: Hashable {
        let name: String
        static func == (lhs: Key, rhs: Key) -> Bool { lhs.name.utf8.elementsEqual(rhs.name.utf8) }
        func hash(into hasher: inout Hasher) {
            var name = name
            name.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    private var small: [String] = []
    private var large: Set<Key> = []

    /// Adds `name`; false when it was there already.
    mutating func insert(_ name: String) -> Bool {
        // Few members (the common case): a scan, no hashing.
        if large.isEmpty && small.count < 8 {
            if small.contains(where: { $0.utf8.elementsEqual(name.utf8) }) { return false }
            small.append(name)
            return true
        }
        if large.isEmpty { large = Set(small.map(Key.init)) }
        return large.insert(Key(name: name)).inserted
    }
}
