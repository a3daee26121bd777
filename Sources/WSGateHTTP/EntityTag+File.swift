// MARK: - The static file server's validator

extension EntityTag {
    /// The tag of a file's current content: `"<size>-<seconds>.<nanoseconds>"`, each number in
    /// lowercase hexadecimal (the seconds as their two's-complement bit pattern when negative),
    /// from `stat(2)`'s size and modification time, e.g. `"4d2-6553f100.1dcd6500"`.
    ///
    /// Strong, so that `If-Range` (which only a strong tag can satisfy) lets clients resume
    /// downloads. The bet, shared with common servers: a file rewritten with other bytes
    /// changes its size or its nanosecond mtime. It does not hold when a tool restores an old
    /// mtime (`touch -r`, `cp -p`, `rsync -t`) on a file of the same size; hashing the content
    /// would cost a read of every file per request. The inode is left out, so the tag survives
    /// a copy with its times and is the same on every replica.
    public static func forFile(size: Int, modificationSeconds: Int, modificationNanoseconds: Int) -> EntityTag {
        let tag = hex(size) + "-" + hex(modificationSeconds) + "." + hex(modificationNanoseconds)
        return EntityTag(validOpaqueTag: tag, isWeak: false)  // hexadecimal digits, "-" and "." are etagc
    }

    private static func hex(_ value: Int) -> String {
        String(UInt(bitPattern: value), radix: 16)
    }
}
