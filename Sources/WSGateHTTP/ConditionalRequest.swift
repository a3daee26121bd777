/// The precondition fields of a GET or HEAD request, and their verdict for one representation
/// (RFC 9110 §13.1, evaluated in the order of §13.2.2).
///
/// Why it exists: revalidation (304), lost-update protection (412) and resumable downloads
/// (`If-Range`) each depend on several fields whose precedence the RFC fixes: `If-Match`
/// before `If-Unmodified-Since`, `If-None-Match` before `If-Modified-Since`, `If-Range` last,
/// and a later field is ignored when its stronger sibling is present. Deciding that in one pure
/// function keeps the file server's I/O code free of protocol rules. It only answers for GET
/// and HEAD (the methods a file server serves); the caller evaluates it only when the response
/// would otherwise be a 2xx (RFC 9110 §13.2.1: not for a 404), and ignores `Range` on HEAD
/// (RFC 9110 §14.2: range handling is defined for GET only).
public struct ConditionalRequest: Equatable, Hashable, Sendable {
    // The raw field values (several field lines joined with ", "), nil when absent.

    /// `If-Match = "*" / #entity-tag` (RFC 9110 §13.1.1).
    public var ifMatch: String?
    /// `If-None-Match = "*" / #entity-tag` (RFC 9110 §13.1.2).
    public var ifNoneMatch: String?
    /// `If-Modified-Since = HTTP-date` (RFC 9110 §13.1.3).
    public var ifModifiedSince: String?
    /// `If-Unmodified-Since = HTTP-date` (RFC 9110 §13.1.4).
    public var ifUnmodifiedSince: String?
    /// `If-Range = entity-tag / HTTP-date` (RFC 9110 §13.1.5).
    public var ifRange: String?

    public init(ifMatch: String? = nil, ifNoneMatch: String? = nil, ifModifiedSince: String? = nil,
                ifUnmodifiedSince: String? = nil, ifRange: String? = nil) {
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.ifUnmodifiedSince = ifUnmodifiedSince
        self.ifRange = ifRange
    }

    /// The five fields of a request head, each field's lines combined (`combinedValue`): a date
    /// field sent twice becomes a list, which is not an HTTP-date and is therefore ignored, as
    /// RFC 9110 §13.1.3 requires for a value with more than one member.
    public init(headers: HTTPHeaders) {
        self.init(ifMatch: headers.combinedValue("If-Match"), ifNoneMatch: headers.combinedValue("If-None-Match"),
                  ifModifiedSince: headers.combinedValue("If-Modified-Since"),
                  ifUnmodifiedSince: headers.combinedValue("If-Unmodified-Since"),
                  ifRange: headers.combinedValue("If-Range"))
    }

    /// What to answer.
    public enum Outcome: Equatable, Hashable, Sendable {
        /// 412 Precondition Failed: `If-Match` or `If-Unmodified-Since` is false.
        case preconditionFailed
        /// 304 Not Modified: `If-None-Match` or `If-Modified-Since` is false.
        case notModified
        /// Serve the representation: 200, or 206 when `rangeAllowed` and a `Range` is present.
        /// `rangeAllowed` is false when `If-Range` does not match (RFC 9110 §13.1.5: then
        /// "ignore the Range header field").
        case proceed(rangeAllowed: Bool)
    }

    /// The verdict for the representation whose validators are `entityTag` and `lastModified`
    /// (the values the response carries: the file's mtime, but not later than `now`, as RFC
    /// 9110 §8.8.2.1 requires). `now` also dates RFC 850 two-digit years (`HTTPDate`).
    ///
    /// 1. `If-Match`: false unless `*` or a strongly matching tag (an unreadable list matches
    ///    nothing) → 412.
    /// 2. Without `If-Match`, `If-Unmodified-Since`: false when modified after the date → 412;
    ///    an invalid date is ignored.
    /// 3. `If-None-Match`: false when `*` or a weakly matching tag → 304; an unreadable list
    ///    matches nothing.
    /// 4. Without `If-None-Match`, `If-Modified-Since`: false when not modified after the date
    ///    → 304; an invalid date is ignored.
    /// 5. `If-Range`: an entity tag must match strongly, an HTTP-date must equal `lastModified`
    ///    to the second; anything else (a weak tag, garbage) disallows the range.
    public func evaluate(entityTag: EntityTag, lastModified: HTTPDate, now: HTTPDate) -> Outcome {
        if let ifMatch {
            guard EntityTagList(parsing: ifMatch)?.matchesStrongly(entityTag) == true else { return .preconditionFailed }
        } else if let ifUnmodifiedSince, let date = HTTPDate(parsing: ifUnmodifiedSince, now: now), lastModified > date {
            return .preconditionFailed
        }
        if let ifNoneMatch {
            if EntityTagList(parsing: ifNoneMatch)?.matchesWeakly(entityTag) == true { return .notModified }
        } else if let ifModifiedSince, let date = HTTPDate(parsing: ifModifiedSince, now: now), lastModified <= date {
            return .notModified
        }
        guard let ifRange else { return .proceed(rangeAllowed: true) }
        // RFC 9110 §13.1.5: If-Range = entity-tag / HTTP-date; a tag starts with DQUOTE or W/.
        if let tag = EntityTag(parsing: ifRange) {
            return .proceed(rangeAllowed: tag.matchesStrongly(entityTag))
        }
        return .proceed(rangeAllowed: HTTPDate(parsing: ifRange, now: now) == lastModified)
    }
}
