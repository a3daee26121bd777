import Testing
import WSGateHTTP

/// The representation: `"v1"`, last modified Sun, 06 Nov 1994 08:49:37 GMT.
private let current = EntityTag(opaqueTag: "v1")!
private let modified = HTTPDate(unixSeconds: 784_111_777)
private let now = HTTPDate(unixSeconds: 1_794_744_000)      // Sun, 15 Nov 2026 12:00:00 GMT

private let sameDate = "Sun, 06 Nov 1994 08:49:37 GMT"
private let secondBefore = "Sun, 06 Nov 1994 08:49:36 GMT"
private let secondAfter = "Sun, 06 Nov 1994 08:49:38 GMT"

private func verdict(_ request: ConditionalRequest, tag: EntityTag = current) -> ConditionalRequest.Outcome {
    request.evaluate(entityTag: tag, lastModified: modified, now: now)
}

@Suite(.timeLimit(.minutes(10))) struct ConditionalRequestTests {
    @Test func withoutPreconditionsTheRepresentationIsServed() {
        #expect(verdict(ConditionalRequest()) == .proceed(rangeAllowed: true))
    }

    // MARK: - If-None-Match (RFC 9110 §13.1.2), weak comparison

    @Test(arguments: [
        ("\"v1\"", ConditionalRequest.Outcome.notModified),
        ("W/\"v1\"", .notModified),                                  // weak comparison
        ("\"v0\", W/\"v1\"", .notModified),
        ("*", .notModified),
        ("\"v0\"", .proceed(rangeAllowed: true)),
        ("\"V1\"", .proceed(rangeAllowed: true)),
        ("", .proceed(rangeAllowed: true)),
        ("v1", .proceed(rangeAllowed: true)),                        // unreadable: matches nothing
        ("\"v1\" junk", .proceed(rangeAllowed: true)),
    ])
    func ifNoneMatch(value: String, expected: ConditionalRequest.Outcome) {
        #expect(verdict(ConditionalRequest(ifNoneMatch: value)) == expected)
    }

    @Test func aWeakCurrentTagStillMatchesIfNoneMatch() {
        let weak = EntityTag(opaqueTag: "v1", isWeak: true)!
        #expect(verdict(ConditionalRequest(ifNoneMatch: "\"v1\""), tag: weak) == .notModified)
    }

    // MARK: - If-Modified-Since (RFC 9110 §13.1.3)

    @Test(arguments: [
        (sameDate, ConditionalRequest.Outcome.notModified),
        (secondAfter, .notModified),
        ("Sat, 01 Jan 2000 00:00:00 GMT", .notModified),
        ("Sunday, 06-Nov-94 08:49:37 GMT", .notModified),            // RFC 850
        ("Sun Nov  6 08:49:37 1994", .notModified),                  // asctime
        (secondBefore, .proceed(rangeAllowed: true)),
        ("not a date", .proceed(rangeAllowed: true)),                // invalid: ignored
        ("Sun, 06 Nov 1994 08:49:37 GMT; length=10", .proceed(rangeAllowed: true)),
        ("\(sameDate), \(sameDate)", .proceed(rangeAllowed: true)),  // a list: ignored
    ])
    func ifModifiedSince(value: String, expected: ConditionalRequest.Outcome) {
        #expect(verdict(ConditionalRequest(ifModifiedSince: value)) == expected)
    }

    @Test func ifModifiedSinceIsIgnoredWhenIfNoneMatchIsPresent() {
        #expect(verdict(ConditionalRequest(ifNoneMatch: "\"v0\"", ifModifiedSince: sameDate)) == .proceed(rangeAllowed: true))
        #expect(verdict(ConditionalRequest(ifNoneMatch: "garbage", ifModifiedSince: sameDate)) == .proceed(rangeAllowed: true))
        #expect(verdict(ConditionalRequest(ifNoneMatch: "\"v1\"", ifModifiedSince: secondBefore)) == .notModified)
    }

    // MARK: - If-Match (RFC 9110 §13.1.1), strong comparison

    @Test(arguments: [
        ("\"v1\"", ConditionalRequest.Outcome.proceed(rangeAllowed: true)),
        ("\"v0\", \"v1\"", .proceed(rangeAllowed: true)),
        ("*", .proceed(rangeAllowed: true)),
        ("W/\"v1\"", .preconditionFailed),                           // strong comparison
        ("\"v0\"", .preconditionFailed),
        ("", .preconditionFailed),
        ("v1", .preconditionFailed),                                 // unreadable: matches nothing
    ])
    func ifMatch(value: String, expected: ConditionalRequest.Outcome) {
        #expect(verdict(ConditionalRequest(ifMatch: value)) == expected)
    }

    @Test func ifMatchNeverMatchesAWeakCurrentTag() {
        let weak = EntityTag(opaqueTag: "v1", isWeak: true)!
        #expect(verdict(ConditionalRequest(ifMatch: "\"v1\""), tag: weak) == .preconditionFailed)
        #expect(verdict(ConditionalRequest(ifMatch: "*"), tag: weak) == .proceed(rangeAllowed: true))
    }

    // MARK: - If-Unmodified-Since (RFC 9110 §13.1.4)

    @Test(arguments: [
        (sameDate, ConditionalRequest.Outcome.proceed(rangeAllowed: true)),
        (secondAfter, .proceed(rangeAllowed: true)),
        (secondBefore, .preconditionFailed),
        ("Sunday, 06-Nov-94 08:49:36 GMT", .preconditionFailed),
        ("yesterday", .proceed(rangeAllowed: true)),                 // invalid: ignored
        ("\(secondBefore), \(secondBefore)", .proceed(rangeAllowed: true)),
    ])
    func ifUnmodifiedSince(value: String, expected: ConditionalRequest.Outcome) {
        #expect(verdict(ConditionalRequest(ifUnmodifiedSince: value)) == expected)
    }

    @Test func ifUnmodifiedSinceIsIgnoredWhenIfMatchIsPresent() {
        #expect(verdict(ConditionalRequest(ifMatch: "\"v1\"", ifUnmodifiedSince: secondBefore)) == .proceed(rangeAllowed: true))
    }

    // MARK: - The order of RFC 9110 §13.2.2

    @Test func preconditionFailureComesBeforeNotModified() {
        #expect(verdict(ConditionalRequest(ifMatch: "\"v0\"", ifNoneMatch: "\"v1\"")) == .preconditionFailed)
        #expect(verdict(ConditionalRequest(ifNoneMatch: "\"v1\"", ifUnmodifiedSince: secondBefore)) == .preconditionFailed)
        #expect(verdict(ConditionalRequest(ifModifiedSince: sameDate, ifUnmodifiedSince: secondBefore)) == .preconditionFailed)
        #expect(verdict(ConditionalRequest(ifMatch: "\"v1\"", ifNoneMatch: "\"v1\"")) == .notModified)
    }

    @Test func notModifiedComesBeforeIfRange() {
        #expect(verdict(ConditionalRequest(ifNoneMatch: "*", ifRange: "\"v1\"")) == .notModified)
        #expect(verdict(ConditionalRequest(ifModifiedSince: sameDate, ifRange: "\"v0\"")) == .notModified)
    }

    // MARK: - If-Range (RFC 9110 §13.1.5)

    @Test(arguments: [
        ("\"v1\"", true),
        (" \"v1\" ", true),
        ("W/\"v1\"", false),                          // a weak tag never matches strongly
        ("\"v0\"", false),
        (sameDate, true),                             // the exact Last-Modified
        ("Sunday, 06-Nov-94 08:49:37 GMT", true),
        ("Sun Nov  6 08:49:37 1994", true),
        (secondBefore, false),                        // a date must be equal, not earlier
        (secondAfter, false),                         // nor later
        ("\"v1\", \"v2\"", false),                    // one validator only
        ("v1", false),
        ("", false),
    ])
    func ifRange(value: String, rangeAllowed: Bool) {
        #expect(verdict(ConditionalRequest(ifRange: value)) == .proceed(rangeAllowed: rangeAllowed))
    }

    @Test func ifRangeAgainstAWeakCurrentTagNeverMatches() {
        let weak = EntityTag(opaqueTag: "v1", isWeak: true)!
        #expect(verdict(ConditionalRequest(ifRange: "W/\"v1\""), tag: weak) == .proceed(rangeAllowed: false))
        #expect(verdict(ConditionalRequest(ifRange: "\"v1\""), tag: weak) == .proceed(rangeAllowed: false))
    }

    // MARK: - From a request head

    @Test func fieldsAreTakenFromHeadersInAnyCaseAndCombined() {
        let headers: HTTPHeaders = [
            "if-none-match": "\"v0\"",
            "IF-NONE-MATCH": "W/\"v1\"",
            "If-Modified-Since": sameDate,
            "If-Range": "\"v1\"",
            "If-Unmodified-Since": secondAfter,
            "If-Unmodified-Since": secondBefore,
        ]
        let request = ConditionalRequest(headers: headers)
        #expect(request.ifNoneMatch == "\"v0\", W/\"v1\"")
        #expect(request.ifModifiedSince == sameDate)
        #expect(request.ifRange == "\"v1\"")
        #expect(request.ifUnmodifiedSince == "\(secondAfter), \(secondBefore)")
        #expect(request.ifMatch == nil)
        #expect(verdict(request) == .notModified)       // the list matches; two IUS dates are ignored
        #expect(ConditionalRequest(headers: HTTPHeaders()) == ConditionalRequest())
    }
}
