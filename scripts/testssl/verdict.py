#!/usr/bin/python3
"""Judge a testssl.sh scan of wsgate (its flat JSON, --jsonfile) and print a short summary.

Used by scripts/testssl-check.sh. Fails (exit 1) on:
  - any finding rated HIGH or CRITICAL, except the ones listed in TEST_CERTIFICATE (they come
    from the certificate being a test fixture, not from wsgate) and CLIENT_ORDER (accepted only
    when every offered cipher is strong);
  - any protocol below TLS 1.2 offered (SSLv2, SSLv3, TLS 1.0, TLS 1.1);
  - any weak cipher offered: a cipher category testssl calls NULL, aNULL, EXPORT, LOW, 3DES/IDEA
    or obsolete CBC, or an offered cipher that is not AEAD with forward secrecy and 128 bits at
    least;
  - a scan that did not run (no protocol or cipher results, or a FATAL line).
WARN lines (testssl's own measuring problems) are printed, not judged. One comes and goes:
sessionresumption_ticket "connect problem", when `openssl s_client </dev/null` quits before
the TLS 1.3 session ticket arrives (openssl s_server loses the same race as often).

    verdict.py FILE.json
"""

import collections
import json
import sys

# Findings caused by the test certificate (Tests/Fixtures/TLS), excluded by id:
TEST_CERTIFICATE = {
    # The fixture is valid for 100 years so that tests never expire; a real one is a CA's choice.
    "cert_validityPeriod": "the test certificate is valid for 100 years on purpose",
    # A throwaway test CA publishes no CRL and runs no OCSP responder.
    "cert_revocation": "the test CA has no CRL or OCSP responder",
}
# testssl 3.0 rates "no server cipher order" HIGH whatever the ciphers. wsgate lets the client
# choose on purpose (Mozilla's intermediate advice, TLSServerContext.swift: all its ciphers are
# strong, and the client knows whether AES or ChaCha20 is fast on its hardware); testssl's
# maintainers discuss relaxing it (testssl.sh issues 1311, 1644). Accepted only when every
# offered cipher passed strong() below.
CLIENT_ORDER = "cipher_order"

OLD_PROTOCOLS = ["SSLv2", "SSLv3", "TLS1", "TLS1_1"]
PROTOCOLS = OLD_PROTOCOLS + ["TLS1_2", "TLS1_3"]
WEAK_CATEGORIES = ["cipherlist_NULL", "cipherlist_aNULL", "cipherlist_EXPORT", "cipherlist_LOW",
                   "cipherlist_3DES_IDEA", "cipherlist_OBSOLETED", "cipherlist_AVERAGE"]
AEAD = ("AESGCM", "ChaCha20", "AESCCM")


def strong(columns):
    """A cipher row (hexcode, name, key exchange, [its bits,] encryption, bits, IANA name) is
    strong when it has an ephemeral key exchange, is AEAD and has at least 128-bit encryption.
    (A static RSA key exchange has no bits column: such a row is weak at once.)"""
    if not columns[2].startswith(("ECDH", "DH")) or len(columns) < 6:
        return False
    enc, bits = columns[4], columns[5]
    return enc in AEAD and bits.isdigit() and int(bits) >= 128


def main(path):
    with open(path) as f:
        findings = json.load(f)
    by_id = collections.defaultdict(list)
    for x in findings:
        by_id[x["id"]].append(x)
    problems, excluded, warnings = [], [], []

    if by_id.get("scanProblem") or any(x["severity"] == "FATAL" for x in findings):
        problems.append("the scan had a fatal problem: "
                        + "; ".join(x["finding"] for x in findings if x["severity"] == "FATAL"
                                    or x["id"] == "scanProblem"))
    protocols = {p: by_id[p][0]["finding"] for p in PROTOCOLS if p in by_id}
    if len(protocols) != len(PROTOCOLS):
        problems.append(f"no result for {[p for p in PROTOCOLS if p not in protocols]}")
    offered = [p for p, f in protocols.items() if f.startswith("offered")]
    problems += [f"{p} offered" for p in OLD_PROTOCOLS if p in offered]

    ciphers = [x["finding"].split() for x in findings if x["id"].startswith("cipher_x")]
    if not ciphers:
        problems.append("no cipher list (was -e not run?)")
    weak = [c[1] for c in ciphers if not strong(c)]
    problems += [f"weak cipher offered: {name}" for name in weak]
    for category in WEAK_CATEGORIES:
        for x in by_id.get(category, []):
            if x["finding"] != "not offered":
                problems.append(f"{category}: {x['finding']}")

    counts = collections.Counter()
    for x in findings:
        sev, fid = x["severity"], x["id"]
        if sev == "WARN":
            warnings.append(f"{fid}: {x['finding']}")
        if sev not in ("HIGH", "CRITICAL"):
            counts[sev] += 1
        elif fid in TEST_CERTIFICATE:
            excluded.append(f"{fid} ({sev}: {x['finding']}): {TEST_CERTIFICATE[fid]}")
        elif fid == CLIENT_ORDER and ciphers and not weak:
            excluded.append(f"{fid} ({sev}: {x['finding']}): the client chooses among strong ciphers only")
        else:
            counts[sev] += 1
            problems.append(f"{sev} {fid}: {x['finding']}")

    order = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "WARN", "INFO", "OK"]
    print("testssl-check: protocols offered: " + (", ".join(offered) or "none")
          + f"; not offered: {', '.join(p for p in PROTOCOLS if p not in offered)}")
    print(f"testssl-check: {len(ciphers)} ciphers offered: " + " ".join(c[1] for c in ciphers))
    fs = by_id.get("PFS_ECDHE_curves", [{}])[0].get("finding")
    if fs:
        print(f"testssl-check: key exchange groups: {fs}")
    print("testssl-check: findings by severity (after exclusions): "
          + ", ".join(f"{s} {counts[s]}" for s in order if counts[s]))
    for line in excluded:
        print(f"testssl-check: excluded {line}")
    for line in warnings:
        print(f"testssl-check: testssl warning (not judged): {line}")
    if problems:
        for line in problems:
            print(f"testssl-check: FAIL: {line}")
        return 1
    print("testssl-check: OK: no HIGH or CRITICAL finding, nothing below TLS 1.2, no weak cipher")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
