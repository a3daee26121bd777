import WSGateHTTP

/// The field-value codecs of the static file server: HTTP-dates, `Range`, `Content-Range`,
/// entity tags and their lists, and the conditional-request verdict built on them.
///
/// Input: `[SIZE[,NOW]] NUL TEXT` (decimal numbers, saturating; without a NUL the whole input is
/// TEXT, the size 10000 and now 2026-11-15). TEXT goes to every parser. Invariants: nothing
/// traps; a parsed date written as IMF-fixdate reads back as the same second (whatever `now`);
/// any Unix time formats to an IMF-fixdate that reads back; a satisfiable range is non-empty and
/// within `0..<size`, and its `Content-Range` and its `bytes=first-last` form read back to it;
/// parsed tags, lists and `Content-Range` values format to text that parses back to them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPFields(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    let separator = input.firstIndex(of: 0)
    let text = String(decoding: separator.map { input[($0 + 1)...] } ?? input[...], as: UTF8.self)
    let numbers = separator.map { input[..<$0].split(separator: UInt8(ascii: ",")).map(saturatingNumber) } ?? []
    let representationSize = numbers.first ?? 10_000
    let now = HTTPDate(unixSeconds: numbers.count > 1 ? numbers[1] : 1_794_744_000)

    checkDates(text, input: input, now: now)
    checkRanges(text, size: representationSize)
    checkEntityTags(text)
    checkContentRange(text)
    checkConditions(text, now: now)
    FuzzCheck.require(!MediaType.contentType(forFileName: text).isEmpty, "no content type")
    return 0
}

/// The digits of `bytes` as a non-negative number, Int.max when larger; other bytes skipped.
private func saturatingNumber(_ bytes: ArraySlice<UInt8>) -> Int {
    var value = 0
    for byte in bytes where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
        if overflow1 || overflow2 { return .max }
        value = sum
    }
    return value
}

private func checkDates(_ text: String, input: [UInt8], now: HTTPDate) {
    if let date = HTTPDate(parsing: text, now: now) {
        let written = date.imfFixdate
        FuzzCheck.require(written.utf8.count == 29, "\(written) is not an IMF-fixdate")
        FuzzCheck.require(HTTPDate(parsing: written, now: now) == date, "\(text) → \(written) reads back differently")
        FuzzCheck.require(HTTPDate(parsing: written, now: .earliest) == date, "\(written) depends on now")
    }
    // Any time, from the input's first eight bytes, formats and reads back (clamped).
    let seconds = input.prefix(8).reduce(0) { $0 << 8 | Int($1) }
    let date = HTTPDate(unixSeconds: seconds)
    FuzzCheck.require(date >= .earliest && date <= .latest, "\(seconds) not clamped")
    FuzzCheck.require(HTTPDate(parsing: date.imfFixdate, now: now) == date, "\(seconds) → \(date.imfFixdate) does not read back")
}

private func checkRanges(_ text: String, size: Int) {
    let request = ByteRangeRequest(parsing: text, representationSize: size)
    switch request {
    case .ignored:
        FuzzCheck.require(request.contentRange(representationSize: size) == nil, "a whole answer with a Content-Range")
    case .satisfiable(let range):
        FuzzCheck.require(!range.isEmpty && range.lowerBound >= 0 && range.upperBound <= size,
                          "\(text): \(range) of \(size)")
        let contentRange = request.contentRange(representationSize: size)
        FuzzCheck.require(contentRange?.range == range && contentRange?.completeLength == size, "\(range): \(String(describing: contentRange))")
        if let contentRange {
            FuzzCheck.require(ContentRange(parsing: contentRange.fieldValue) == contentRange, "\(contentRange) does not read back")
        }
        let again = ByteRangeRequest(parsing: "bytes=\(range.lowerBound)-\(range.upperBound - 1)", representationSize: size)
        FuzzCheck.require(again == request, "\(range) as a Range reads as \(again)")
    case .unsatisfiable:
        let contentRange = request.contentRange(representationSize: size)
        FuzzCheck.require(contentRange?.fieldValue == "bytes */\(size)", "416 of \(size): \(String(describing: contentRange))")
        if let contentRange {
            FuzzCheck.require(ContentRange(parsing: contentRange.fieldValue) == contentRange, "\(contentRange) does not read back")
        }
    }
}

private func checkEntityTags(_ text: String) {
    let list = EntityTagList(parsing: text)
    if let list {
        FuzzCheck.require(EntityTagList(parsing: list.fieldValue) == list, "\(list.fieldValue) does not read back")
        if case .tags(let tags) = list {
            for tag in tags {
                FuzzCheck.require(EntityTag(parsing: tag.fieldValue) == tag, "\(tag) does not read back")
                FuzzCheck.require(tag.matchesWeakly(tag) && tag.matchesStrongly(tag) == !tag.isWeak, "\(tag) compares oddly")
                FuzzCheck.require(list.matchesWeakly(tag), "\(list.fieldValue) misses its own \(tag)")
            }
        }
    }
    if let tag = EntityTag(parsing: text) {
        FuzzCheck.require(list == .tags([tag]), "\(text) is one tag but lists as \(String(describing: list))")
    }
}

private func checkContentRange(_ text: String) {
    guard let value = ContentRange(parsing: text) else { return }
    FuzzCheck.require(ContentRange(parsing: value.fieldValue) == value, "\(text) → \(value) does not read back")
    if let range = value.range {
        FuzzCheck.require(!range.isEmpty && range.lowerBound >= 0 && range.upperBound <= value.completeLength, "\(value)")
    }
}

private func checkConditions(_ text: String, now: HTTPDate) {
    let tag = EntityTag.forFile(size: text.utf8.count, modificationSeconds: now.unixSeconds, modificationNanoseconds: 0)
    let modified = HTTPDate(unixSeconds: 784_111_777)
    let all = ConditionalRequest(ifMatch: text, ifNoneMatch: text, ifModifiedSince: text, ifUnmodifiedSince: text, ifRange: text)
    _ = all.evaluate(entityTag: tag, lastModified: modified, now: now)
    // If-Range alone never refuses: at most it disallows the range.
    let ifRange = ConditionalRequest(ifRange: text).evaluate(entityTag: tag, lastModified: modified, now: now)
    FuzzCheck.require(ifRange == .proceed(rangeAllowed: true) || ifRange == .proceed(rangeAllowed: false), "If-Range gave \(ifRange)")
    // Our own validators always satisfy If-Range.
    let own = [tag.fieldValue, modified.imfFixdate].map {
        ConditionalRequest(ifRange: $0).evaluate(entityTag: tag, lastModified: modified, now: now)
    }
    FuzzCheck.require(own.allSatisfy { $0 == .proceed(rangeAllowed: true) }, "own validators in If-Range: \(own)")
}
