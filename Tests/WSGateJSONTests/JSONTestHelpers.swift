import WSGateJSON

/// Shorthands for the JSON suites: parse a Swift string's bytes, or get the error.
func parse(_ text: String, limits: JSONLimits = JSONLimits()) -> JSONValue? {
    try? JSONReader.parse(Array(text.utf8), limits: limits)
}

func parseError(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) -> JSONParseError? {
    do {
        _ = try JSONReader.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

func parseError(_ text: String, limits: JSONLimits = JSONLimits()) -> JSONParseError? {
    parseError(Array(text.utf8), limits: limits)
}

func number(_ text: String) -> JSONValue {
    .number(JSONNumber(text: text)!)
}

func object(_ members: [(String, JSONValue)]) -> JSONValue {
    .object(JSONObject(members.map { JSONMember(key: $0.0, value: $0.1) })!)
}
