import Glibc
public import Testing

/// Whether this test process runs under AddressSanitizer or ThreadSanitizer (the sanitizer
/// runtime is linked into every binary of such a build, `wsgate` included).
public enum Sanitizers {
    public static let areActive: Bool = {
        let process = dlopen(nil, RTLD_NOW)
        return dlsym(process, "__asan_init") != nil || dlsym(process, "__tsan_init") != nil
    }()
}

/// Expects a resident-memory growth (in KiB) below `limitKiB`.
///
/// Why it exists: under a sanitizer the allocator keeps freed memory in quarantine and adds
/// shadow memory, so RSS says nothing about wsgate's own bounds there; the plain `swift test`
/// run asserts them, the sanitizer runs skip this one check and keep every other.
public func expectRSSGrowth(from before: Int, to after: Int, below limitKiB: Int, _ what: String = "",
                            sourceLocation: SourceLocation = #_sourceLocation) {
    guard !Sanitizers.areActive else { return }
    #expect(after - before < limitKiB, "RSS \(before) KiB → \(after) KiB \(what)", sourceLocation: sourceLocation)
}
