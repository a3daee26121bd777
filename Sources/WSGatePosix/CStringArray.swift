/// NUL-terminated copies of strings and the NULL-terminated pointer array over them, in one
/// allocation: the `argv` or `envp` of `execve`.
///
/// Why it exists: a copy per string (`strdup`) was some fifty allocations and frees for every
/// program started; one block sized from the strings' UTF-8 lengths is one of each.
struct CStringArray: ~Copyable {
    private typealias Entry = UnsafeMutablePointer<CChar>?
    private let storage: UnsafeMutableRawPointer
    /// `strings.count` C strings, then NULL.
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    init(_ strings: [String]) {
        var textBytes = 0
        for string in strings { textBytes += string.utf8.count + 1 }
        let tableBytes = (strings.count + 1) * MemoryLayout<Entry>.stride
        storage = .allocate(byteCount: tableBytes + textBytes, alignment: MemoryLayout<Entry>.alignment)
        pointers = storage.bindMemory(to: Entry.self, capacity: strings.count + 1)
        var cursor = (storage + tableBytes).bindMemory(to: CChar.self, capacity: textBytes)
        for (index, string) in strings.enumerated() {
            pointers[index] = cursor
            var string = string
            let count = string.withUTF8 { bytes in
                if let base = bytes.baseAddress { UnsafeMutableRawPointer(cursor).copyMemory(from: base, byteCount: bytes.count) }
                return bytes.count
            }
            cursor[count] = 0
            cursor += count + 1
        }
        pointers[strings.count] = nil
    }

    /// The entries of `block`, copied in one piece.
    init(_ block: EnvironmentBlock) {
        let tableBytes = (block.count + 1) * MemoryLayout<Entry>.stride
        storage = .allocate(byteCount: tableBytes + block.bytes.count, alignment: MemoryLayout<Entry>.alignment)
        pointers = storage.bindMemory(to: Entry.self, capacity: block.count + 1)
        let text = (storage + tableBytes).bindMemory(to: CChar.self, capacity: block.bytes.count)
        block.bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { UnsafeMutableRawPointer(text).copyMemory(from: base, byteCount: source.count) }
        }
        var start = 0
        for index in 0..<block.count {
            pointers[index] = text + start
            while text[start] != 0 { start += 1 }
            start += 1
        }
        pointers[block.count] = nil
    }

    deinit { storage.deallocate() }
}
