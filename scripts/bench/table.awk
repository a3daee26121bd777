# Turns scripts/bench.sh's results.tsv into one markdown table: per scenario and server the
# median, min–max, p99, server CPU and peak RSS over the rounds, and for the subject (wsgate)
# its ratio to each reference server (websocketd, websockify, node, python) round by round.
# The lb-* scenarios have two subjects, wsgate direct and behind HAProxy (-haproxy2): each is
# compared with the references on the same side of the balancer only, and each -haproxy2
# server also with the same server direct.
#
# Input columns (tab-separated): scenario title server role round status value unit p50_us
# p99_us cpu_s rss_peak_kb note. role is subject, reference or alone.
# Plain POSIX awk (mawk): no asort, so sorting is by insertion.

BEGIN { FS = "\t" }

function sort(values, n,    i, j, v) {
    for (i = 2; i <= n; i++) {
        v = values[i]
        for (j = i - 1; j >= 1 && values[j] > v; j--) values[j + 1] = values[j]
        values[j + 1] = v
    }
}

function median(values, n,    copy, i) {
    if (n == 0) return "-"
    for (i = 1; i <= n; i++) copy[i] = values[i] + 0
    sort(copy, n)
    if (n % 2 == 1) return copy[(n + 1) / 2]
    return (copy[n / 2] + copy[n / 2 + 1]) / 2
}

function minimum(values, n,    i, m) {
    m = values[1] + 0
    for (i = 2; i <= n; i++) if (values[i] + 0 < m) m = values[i] + 0
    return m
}

function maximum(values, n,    i, m) {
    m = values[1] + 0
    for (i = 2; i <= n; i++) if (values[i] + 0 > m) m = values[i] + 0
    return m
}

# A ratio with two decimals, or three significant digits below 0.1 (fan-out p99s).
function ratioText(x) {
    return (x < 0.1) ? sprintf("%.3g", x) : sprintf("%.2f", x)
}

# "-haproxy2" for a server behind HAProxy, else "" (the lb-* pairs).
function balancer(server) {
    return (server ~ /-haproxy2$/) ? "-haproxy2" : ""
}

function number(x) {
    if (x == "-" || x == "") return "-"
    if (x == int(x)) return sprintf("%d", x)
    if (x >= 1000) return sprintf("%.0f", x)
    if (x >= 100) return sprintf("%.1f", x)
    return sprintf("%.2f", x)
}

$1 == "scenario" { next }

{
    key = $1 SUBSEP $3
    if (!(key in runs)) {
        if (!($1 in seenScenario)) { seenScenario[$1] = 1; scenarios[++scenarioCount] = $1; title[$1] = $2 }
        servers[$1, ++serverCount[$1]] = $3
        role[key] = $4
    }
    n = ++runs[key]
    round[key, n] = $5
    if ($6 != "ok") errors[key]++
    value[key, n] = $7; unit[key] = $8; p99[key, n] = $10; cpu[key, n] = $11; rss[key, n] = $12
    if ($13 != "" && $13 != "-") note[key] = $13
    byRound[key, $5] = $7
    statusByRound[key, $5] = $6
    p99ByRound[key, $5] = $10
    if ($4 == "subject") subject[$1] = $3
    if ($4 == "reference" && !(key in isReference)) { isReference[key] = 1; reference[$1, ++referenceCount[$1]] = $3 }
    rounds[$1, $5] = 1
    if ($5 > maxRound[$1]) maxRound[$1] = $5
}

END {
    print "| Scenario | Server | Median | Min–max | p99 µs | Server CPU s | Peak RSS MB | Ratio to reference, per round (median) |"
    print "|---|---|---:|---:|---:|---:|---:|---|"
    for (s = 1; s <= scenarioCount; s++) {
        name = scenarios[s]
        for (k = 1; k <= serverCount[name]; k++) {
            server = servers[name, k]
            key = name SUBSEP server
            n = runs[key]
            for (i = 1; i <= n; i++) { v[i] = value[key, i]; q[i] = p99[key, i]; c[i] = cpu[key, i]; r[i] = rss[key, i] / 1024 }
            med = number(median(v, n)) " " unit[key]
            if (errors[key] > 0) med = "**ERROR** in " errors[key] " of " n " runs; " med
            range = number(minimum(v, n)) "–" number(maximum(v, n))
            p = (q[1] == "-") ? "-" : number(median(q, n))
            ratio = ""
            for (rf = 1; role[key] == "subject" && rf <= referenceCount[name]; rf++) {
                refName = reference[name, rf]
                refKey = name SUBSEP refName
                if (balancer(refName) != balancer(server)) continue
                list = ""; m = 0; list99 = ""; m99 = 0
                for (rr = 1; rr <= maxRound[name]; rr++) {
                    if (!((key, rr) in byRound) || !((refKey, rr) in byRound)) continue
                    if (statusByRound[key, rr] != "ok" || statusByRound[refKey, rr] != "ok") {
                        if (statusByRound[key, rr] != "ok") subjectFailed++; else referenceFailed++
                        list = list (list == "" ? "" : ", ") "n/a"
                        continue
                    }
                    a = byRound[key, rr] + 0; b = byRound[refKey, rr] + 0
                    if (b <= 0) continue
                    ratios[++m] = a / b
                    list = list (list == "" ? "" : ", ") sprintf("%.2f", a / b)
                    a = p99ByRound[key, rr]; b = p99ByRound[refKey, rr]
                    if (a != "-" && b != "-" && b + 0 > 0) {
                        ratios99[++m99] = a / b
                        list99 = list99 (list99 == "" ? "" : ", ") ratioText(a / b)
                    }
                }
                one = (m > 0) ? "**" sprintf("%.2f", median(ratios, m)) "×** " refName " (" list ")" : "no ratio to " refName
                if (subjectFailed > 0) one = one "; **" server " failed in " subjectFailed " round(s)**"
                if (referenceFailed > 0) one = one "; " refName " failed in " referenceFailed " round(s)"
                subjectFailed = 0; referenceFailed = 0
                if (m99 > 0 && name ~ /^(lb-)?(echo|fanout|deflate4k)/) one = one "; p99 " ratioText(median(ratios99, m99)) "× (" list99 ")"
                ratio = ratio (ratio == "" ? "" : "; ") one
                delete ratios; delete ratios99
            }
            # The fan-out -slow scenarios: p99 against the same server without the slow client.
            baseKey = name SUBSEP "wsgate-noslow"
            if (name ~ /-slow$/ && server ~ /^wsgate/ && server != "wsgate-noslow" && (baseKey in runs)) {
                list99 = ""; m99 = 0
                for (rr = 1; rr <= maxRound[name]; rr++) {
                    a = p99ByRound[key, rr]; b = p99ByRound[baseKey, rr]
                    if (a == "" || b == "" || a == "-" || b == "-" || b + 0 <= 0) continue
                    ratios99[++m99] = a / b
                    list99 = list99 (list99 == "" ? "" : ", ") sprintf("%.2f", a / b)
                }
                if (m99 > 0) ratio = ratio (ratio == "" ? "" : "; ") "p99 **" sprintf("%.2f", median(ratios99, m99)) "×** wsgate-noslow's (" list99 ")"
                delete ratios99
            }
            # The lb-* scenarios: a server behind HAProxy against the same server direct.
            baseName = server; sub(/-haproxy2$/, "", baseName)
            baseKey = name SUBSEP baseName
            if (baseName != server && (baseKey in runs)) {
                list = ""; m = 0
                for (rr = 1; rr <= maxRound[name]; rr++) {
                    if (!((key, rr) in byRound) || !((baseKey, rr) in byRound)) continue
                    if (statusByRound[key, rr] != "ok" || statusByRound[baseKey, rr] != "ok") { list = list (list == "" ? "" : ", ") "n/a"; continue }
                    a = byRound[key, rr] + 0; b = byRound[baseKey, rr] + 0
                    if (b <= 0) continue
                    ratios[++m] = a / b
                    list = list (list == "" ? "" : ", ") sprintf("%.2f", a / b)
                }
                if (m > 0) ratio = ratio (ratio == "" ? "" : "; ") "**" sprintf("%.2f", median(ratios, m)) "×** " baseName " direct (" list ")"
                delete ratios
            }
            if (key in note) ratio = ratio (ratio == "" ? "" : "; ") note[key]
            label = (k == 1) ? title[name] : ""
            cpuCell = number(median(c, n)); rssCell = number(median(r, n))
            if (server == "machine") { cpuCell = "-"; rssCell = "-" }
            printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", label, server, med, range, p, cpuCell, rssCell, ratio
            delete v; delete q; delete c; delete r
        }
    }
}
