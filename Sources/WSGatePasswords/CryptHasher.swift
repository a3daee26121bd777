internal import CCrypt

/// crypt_r with its 32 KiB work area allocated once.
///
/// Why it exists: `struct crypt_data` is too large for a thread's stack to take lightly, and
/// crypt_r (unlike crypt) is safe on several threads as long as each has its own. The area is
/// zeroed before first use (libxcrypt's rule) and after every hash, so no password-derived
/// state stays in memory. Not shared between threads: one per verifier.
final class CryptHasher {
    private let data: UnsafeMutablePointer<crypt_data>

    init() {
        data = .allocate(capacity: 1)
        clear()
    }

    deinit {
        clear()
        data.deallocate()
    }

    /// The hash of `phrase` with the salt and cost of `setting` (a stored hash), or nil if
    /// crypt_r refused (it returns `*0`/`*1` or NULL). `phrase` must hold no NUL byte.
    func hash(_ phrase: [UInt8], setting: [UInt8]) -> [UInt8]? {
        defer { clear() }
        var phraseC = phrase.map { CChar(bitPattern: $0) } + [0]
        defer { for index in phraseC.indices { phraseC[index] = 0 } }
        let settingC = setting.map { CChar(bitPattern: $0) } + [0]
        guard let result = crypt_r(phraseC, settingC, data) else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index < Int(CRYPT_OUTPUT_SIZE), result[index] != 0 {
            output.append(UInt8(bitPattern: result[index]))
            index += 1
        }
        return output.first == UInt8(ascii: "*") ? nil : output
    }

    private func clear() {
        UnsafeMutableRawPointer(data).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<crypt_data>.size)
    }
}
