import Glibc
import WSGateTestSupport

/// One answer of `--metrics`, its samples by series (`name{labels}` as written).
///
/// Why it exists: the metrics tests assert exact values of a few series in a long text; a map
/// from the series to its value makes each assertion one line, and a missing series reads as
/// nil rather than as a parse failure.
struct MetricsScrape {
    let response: TestClient.HTTPResponse
    let samples: [String: String]

    /// GETs `path` on `client` (kept alive) and parses the body.
    init(_ client: TestClient, path: String = "/metrics") throws {
        try client.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        response = try client.readHTTPResponse()
        var samples: [String: String] = [:]
        for line in response.body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        self.samples = samples
    }

    subscript(_ series: String) -> String? { samples[series] }

    /// Scrapes on `client` until `series` has `value`, every 50 ms for at most `timeout`
    /// seconds (under the gateway's 100 requests per kept-alive connection). For gauges that
    /// follow a close the client cannot observe (the gateway's end of a lingering socket).
    static func wait(on client: TestClient, until series: String, is value: String, timeout: Double = 4.5) throws -> MetricsScrape {
        let deadline = TestDeadline(seconds: timeout)
        while true {
            let scrape = try MetricsScrape(client)
            if scrape[series] == value { return scrape }
            if deadline.hasPassed {
                throw TestFailure("\(series) is \(scrape[series] ?? "missing"), not \(value), after \(timeout) s:\n\(scrape.response.body)")
            }
            usleep(50_000)
        }
    }
}
