/// Why a per-client limit refused an upgrade: the `limit` label of
/// `wsgate_client_limit_refusals_total` and the metrics slot it is counted in.
///
/// Why it exists: the metrics, the log line and the answer each tell the three apart.
enum ClientLimitRefusal: Int, CaseIterable {
    case maxPerIP
    case rate
    case tableFull

    var label: String {
        switch self {
        case .maxPerIP: "max_per_ip"
        case .rate: "rate"
        case .tableFull: "table_full"
        }
    }
}
