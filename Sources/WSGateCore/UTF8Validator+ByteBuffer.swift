// MARK: - Conveniences for buffers and whole texts

extension UTF8Validator {
    /// Checks the readable bytes of `buffer` (the buffer is not changed).
    public mutating func validate(_ buffer: ByteBuffer) -> Bool {
        buffer.withUnsafeReadableBytes { validate($0) }
    }

    /// `true` when `bytes` is, by itself, complete and valid UTF-8.
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var validator = UTF8Validator()
        return validator.validate(bytes) && validator.isAtCharacterBoundary
    }

    /// `true` when the readable bytes of `buffer` are, by themselves, complete and valid UTF-8.
    public static func isValid(_ buffer: ByteBuffer) -> Bool {
        buffer.withUnsafeReadableBytes { isValid($0) }
    }
}
