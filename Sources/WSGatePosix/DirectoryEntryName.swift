public import Glibc

/// The name in a `readdir` record, read in place.
///
/// Why it exists: glibc's records are only as long as their names, not `sizeof(dirent)`, so
/// copying the whole `d_name` array (`withUnsafeBytes(of: entry.pointee.d_name)`) can read past
/// the end of the directory buffer (AddressSanitizer caught it in a 2,000-descriptor listing).
public enum DirectoryEntryName {
    /// The name's bytes (without the terminating NUL).
    public static func bytes(of entry: UnsafePointer<dirent>) -> [UInt8] {
        let start = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \.d_name)!
        return Array(UnsafeRawBufferPointer(start: start, count: strlen(start.assumingMemoryBound(to: CChar.self))))
    }

    /// The name as text (file names here are ASCII: pids, descriptor numbers, test files).
    public static func string(of entry: UnsafePointer<dirent>) -> String {
        String(decoding: bytes(of: entry), as: UTF8.self)
    }

    /// `.` or `..`.
    public static func isDotOrDotDot(_ entry: UnsafePointer<dirent>) -> Bool {
        let name = bytes(of: entry)
        return name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")]
    }
}
