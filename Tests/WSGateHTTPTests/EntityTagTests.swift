import Testing
import WSGateHTTP

private func tag(_ text: String) -> EntityTag {
    EntityTag(parsing: text)!
}

@Suite(.timeLimit(.minutes(10))) struct EntityTagTests {
    // MARK: - One tag (RFC 9110 §8.8.3)

    @Test(arguments: [
        ("\"xyzzy\"", "xyzzy", false),          // RFC 9110 §8.8.3's examples
        ("W/\"xyzzy\"", "xyzzy", true),
        ("\"\"", "", false),
        ("W/\"\"", "", true),
        ("\"!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\"", "!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", false),
        ("\"caf\u{E9}\"", "caf\u{E9}", false),    // obs-text
        (" \t\"a\"\t ", "a", false),
    ])
    func tagsParseAndFormat(text: String, opaque: String, weak: Bool) {
        let parsed = EntityTag(parsing: text)
        #expect(parsed?.opaqueTag == opaque)
        #expect(parsed?.isWeak == weak)
        #expect(parsed == EntityTag(opaqueTag: opaque, isWeak: weak))
        let formatted = (weak ? "W/" : "") + "\"\(opaque)\""
        #expect(parsed?.fieldValue == formatted)
        #expect(parsed?.description == formatted)
        #expect(EntityTag(parsing: formatted) == parsed)
    }

    @Test(arguments: [
        "", "xyzzy", "\"xyzzy", "xyzzy\"", "w/\"xyzzy\"", "W/xyzzy", "W/ \"xyzzy\"", "W\"xyzzy\"",
        "\"xy zzy\"", "\"xy\"zzy\"", "\"a\"\"b\"", "\"a\" \"b\"", "\"a\",", "*", "\"a\tb\"", "\"a\u{7F}\"",
        "\"a\u{0}\"", "W/W/\"a\"",
    ])
    func malformedTagsAreRefused(text: String) {
        #expect(EntityTag(parsing: text) == nil)
    }

    @Test func opaqueTagsMustBeEntityTagCharacters() {
        #expect(EntityTag(opaqueTag: "a\"b") == nil)
        #expect(EntityTag(opaqueTag: "a b") == nil)
        #expect(EntityTag(opaqueTag: "a\u{7F}") == nil)
        #expect(EntityTag(opaqueTag: "") != nil)
        #expect(EntityTag(opaqueTag: "x", isWeak: true)?.fieldValue == "W/\"x\"")
    }

    // RFC 9110 §8.8.3.2's table.
    @Test(arguments: [
        ("W/\"1\"", "W/\"1\"", false, true),
        ("W/\"1\"", "W/\"2\"", false, false),
        ("W/\"1\"", "\"1\"", false, true),
        ("\"1\"", "\"1\"", true, true),
    ])
    func strongAndWeakComparison(first: String, second: String, strong: Bool, weak: Bool) {
        #expect(tag(first).matchesStrongly(tag(second)) == strong)
        #expect(tag(second).matchesStrongly(tag(first)) == strong)
        #expect(tag(first).matchesWeakly(tag(second)) == weak)
        #expect(tag(second).matchesWeakly(tag(first)) == weak)
    }

    @Test func comparisonIsByteExact() {
        #expect(!tag("\"abc\"").matchesWeakly(tag("\"ABC\"")))
        #expect(!tag("\"abc\"").matchesStrongly(tag("\"abcd\"")) && !tag("\"abc\"").matchesStrongly(tag("\"ab\"")))
        // octets, not Unicode canonical equivalence
        let composed = tag("\"caf\u{E9}\"")
        let decomposed = tag("\"cafe\u{301}\"")
        #expect(!composed.matchesWeakly(decomposed) && !composed.matchesStrongly(decomposed))
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed]).count == 2)
    }

    // MARK: - The file server's tag

    @Test func fileTagsAreStrongHexOfSizeSecondsAndNanoseconds() {
        let fileTag = EntityTag.forFile(size: 1234, modificationSeconds: 1_700_000_000, modificationNanoseconds: 500_000_000)
        #expect(fileTag.fieldValue == "\"4d2-6553f100.1dcd6500\"")
        #expect(!fileTag.isWeak)
        #expect(EntityTag(parsing: fileTag.fieldValue) == fileTag)
        #expect(EntityTag.forFile(size: 0, modificationSeconds: 0, modificationNanoseconds: 0).fieldValue == "\"0-0.0\"")
        let beforeEpoch = EntityTag.forFile(size: 1, modificationSeconds: -1, modificationNanoseconds: 999_999_999)
        #expect(beforeEpoch.fieldValue == "\"1-ffffffffffffffff.3b9ac9ff\"")
    }

    @Test func fileTagsChangeWithEachInput() {
        let base = EntityTag.forFile(size: 10, modificationSeconds: 100, modificationNanoseconds: 5)
        #expect(base != EntityTag.forFile(size: 11, modificationSeconds: 100, modificationNanoseconds: 5))
        #expect(base != EntityTag.forFile(size: 10, modificationSeconds: 101, modificationNanoseconds: 5))
        #expect(base != EntityTag.forFile(size: 10, modificationSeconds: 100, modificationNanoseconds: 6))
        #expect(base == EntityTag.forFile(size: 10, modificationSeconds: 100, modificationNanoseconds: 5))
        // the separators keep fields apart: 0x1-0x23 is not 0x12-0x3
        #expect(EntityTag.forFile(size: 1, modificationSeconds: 0x23, modificationNanoseconds: 0)
            != EntityTag.forFile(size: 0x12, modificationSeconds: 3, modificationNanoseconds: 0))
    }

    // MARK: - Lists (If-None-Match, If-Match)

    @Test func theRFCListExamples() {
        // RFC 9110 §13.1.1 and §13.1.2.
        #expect(EntityTagList(parsing: "*") == .any)
        #expect(EntityTagList(parsing: "\"xyzzy\"") == .tags([tag("\"xyzzy\"")]))
        #expect(EntityTagList(parsing: "W/\"xyzzy\"") == .tags([tag("W/\"xyzzy\"")]))
        #expect(EntityTagList(parsing: "\"xyzzy\", \"r2d2xxxx\", \"c3piozzzz\"")
            == .tags([tag("\"xyzzy\""), tag("\"r2d2xxxx\""), tag("\"c3piozzzz\"")]))
        #expect(EntityTagList(parsing: "W/\"xyzzy\", W/\"r2d2xxxx\", W/\"c3piozzzz\"")
            == .tags([tag("W/\"xyzzy\""), tag("W/\"r2d2xxxx\""), tag("W/\"c3piozzzz\"")]))
    }

    @Test func listsAllowOWSAndEmptyElements() {
        let expected = EntityTagList.tags([tag("\"a\""), tag("W/\"b\"")])
        #expect(EntityTagList(parsing: "\"a\",W/\"b\"") == expected)
        #expect(EntityTagList(parsing: " \"a\" \t,\t W/\"b\" ") == expected)
        #expect(EntityTagList(parsing: ",, \"a\" ,, W/\"b\" ,") == expected)
        #expect(EntityTagList(parsing: "\"a,b\"") == .tags([tag("\"a,b\"")]))     // comma inside quotes
        #expect(EntityTagList(parsing: "") == .tags([]))
        #expect(EntityTagList(parsing: " , ") == .tags([]))
        #expect(EntityTagList(parsing: " * ") == .any)
        #expect(expected.fieldValue == "\"a\", W/\"b\"")
        #expect(EntityTagList.any.fieldValue == "*")
    }

    @Test(arguments: [
        "xyzzy", "\"a\" \"b\"", "\"a\"; \"b\"", "*, \"a\"", "\"a\", *", "**", "\"a\", b", "\"a", "\"a\",\"b",
        "w/\"a\"",
    ])
    func malformedListsAreRefused(text: String) {
        #expect(EntityTagList(parsing: text) == nil)
    }

    @Test func listMatching() {
        let strong = tag("\"v1\"")
        let weak = tag("W/\"v1\"")
        #expect(EntityTagList.any.matchesWeakly(strong) && EntityTagList.any.matchesStrongly(strong))
        #expect(EntityTagList.any.matchesStrongly(weak))
        let list = EntityTagList(parsing: "\"v0\", W/\"v1\"")!
        #expect(list.matchesWeakly(strong) && list.matchesWeakly(weak))
        #expect(!list.matchesStrongly(strong))
        let strongList = EntityTagList(parsing: "\"v0\", \"v1\"")!
        #expect(strongList.matchesStrongly(strong) && !strongList.matchesStrongly(weak))
        #expect(!EntityTagList.tags([]).matchesWeakly(strong))
    }

    @Test func longListsAreReadInLinearTime() {
        let text = Array(repeating: "\"0123456789\"", count: 5_000).joined(separator: ", ") + ", \"hit\""
        #expect(EntityTagList(parsing: text)?.matchesWeakly(tag("\"hit\"")) == true)
    }
}
