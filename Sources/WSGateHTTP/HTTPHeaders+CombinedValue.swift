// MARK: - One value per field name

extension HTTPHeaders {
    /// Every field line named `name` (any case), in order, joined with ", " into the one value
    /// RFC 9110 §5.3 says they are equivalent to; nil when there is none. For list fields
    /// (`If-None-Match`, `Range`) this is the whole list; a singleton field sent twice becomes a
    /// list, which its parser refuses.
    public func combinedValue(_ name: String) -> String? {
        let all = values(name)
        return all.isEmpty ? nil : all.joined(separator: ", ")
    }
}
