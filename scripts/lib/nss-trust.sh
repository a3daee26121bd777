# A test CA trusted by headless Chromium, for the TLS browser checks (scripts/wss-check.sh,
# scripts/novnc-check.sh --tls), sourced after scripts/lib/chromium.sh. Chromium on Linux
# takes locally added trust anchors from the NSS database in $HOME/.pki/nssdb; this makes one
# in a throwaway HOME under $TMP (which `cleanup` removes) and points start_chromium at it.
# The browser then verifies the server's chain, name and key usage as it would for any site:
# nothing is skipped, unlike --ignore-certificate-errors. The caller lists certutil:libnss3-tools
# in its required commands.

# trust_ca_in_chromium CA.pem: a fresh NSS database trusting CA.pem to identify servers
# ("C,," : a CA for TLS servers, nothing else); start_chromium then runs with HOME set to it.
trust_ca_in_chromium() {
  local home="$TMP/home"
  mkdir -p "$home/.pki/nssdb"
  certutil -N -d "sql:$home/.pki/nssdb" --empty-password
  certutil -A -d "sql:$home/.pki/nssdb" -n "wsgate test CA" -t "C,," -i "$1"
  CHROMIUM_HOME="$home"
}
