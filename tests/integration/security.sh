#!/usr/bin/env bash
# --web.config.file with real clients on loopback: curl over TLS 1.2 and 1.3, an OpenSSL
# TLS 1.1 client, mutual TLS, basic auth, security headers, SIGHUP reloads, bad files refused
# at start, and a real Prometheus scraping over TLS with basic auth. Every certificate and key
# is made here, in a temporary directory.
#
# Usage: security.sh path/to/taint_exporter
set -uo pipefail

exporter=$(realpath "$1")
tmp=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	[ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1

failures=0
pass() { echo "ok   - $1"; }
fail() {
	echo "FAIL - $1"
	failures=$((failures + 1))
}
# check NAME COMMAND...: the command must succeed.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

free_port() {
	python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

# --- certificates: a CA, a server and a client signed by it, and a rogue CA and client.
mkcert() { # NAME CN ISSUER [EXTFILE]
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
		-out "$1.csr" -subj "/CN=$2" 2>/dev/null || return 1
	openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial \
		-out "$1.pem" -days 2 ${4:+-extfile "$4"} 2>/dev/null
}
mkca() { # NAME CN
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
		-out "$1.pem" -days 2 -subj "/CN=$2" 2>/dev/null
}
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >server.ext
# Client certificates from the client CA by extended key usage: made for serverAuth only
# (another host's server certificate), for clientAuth, for any purpose. "client" has none.
printf 'extendedKeyUsage=serverAuth\n' >eku-server.ext
printf 'extendedKeyUsage=clientAuth\n' >eku-client.ext
printf 'extendedKeyUsage=anyExtendedKeyUsage\n' >eku-any.ext
mkca ca "test CA" && mkca rogue-ca "rogue CA" &&
	mkcert server server-one ca server.ext && mkcert server2 server-two ca server.ext &&
	mkcert client client ca && mkcert rogue client rogue-ca &&
	mkcert eku-server other-host ca eku-server.ext && mkcert eku-client client ca eku-client.ext &&
	mkcert eku-any client ca eku-any.ext || {
	echo "FAIL - cannot make test certificates with openssl"
	exit 1
}
# The exporter runs as an unprivileged user when the tests run as root: it never needs root.
run_as=()
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	chmod 755 "$tmp"
	chmod 644 ./*.key
	# The checkout may sit in a directory nobody cannot enter (CI's clone, a home directory).
	cp "$exporter" "$tmp/taint_exporter"
	exporter=$tmp/taint_exporter
fi

hash() { htpasswd -nbBC 5 x "$1" | cut -d: -f2; }
alice_hash=$(hash "alice's secret")
bob_hash=$(hash "hunter2")

# start_exporter CONFIG: starts the exporter, sets $pid, $port and $log.
start_exporter() {
	log="$tmp/exporter.$RANDOM.log"
	"${run_as[@]}" "$exporter" --web.listen-address=127.0.0.1:0 --web.config.file="$1" \
		2>"$log" &
	pid=$!
	pids+=("$pid")
	port=
	for _ in $(seq 100); do
		port=$(grep -o 'msg="Listening on" address=127.0.0.1:[0-9]*' "$log" | cut -d: -f2)
		[ -n "$port" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "exporter did not start:"
	cat "$log"
	return 1
}
stop_exporter() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

url() { echo "https://127.0.0.1:$port$1"; }
# status ARGS...: the HTTP status of a curl request, 000 when the connection failed.
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cacert ca.pem "$@"; }

# --- bad files: refused at start, exit 1, with a message naming the key and the problem.
mkdir -p isdir
bad_file() { # NAME EXPECTED-MESSAGE YAML
	printf '%s\n' "$3" >bad.yml
	local out rc
	out=$(timeout 10 "$exporter" --web.listen-address=127.0.0.1:0 --web.config.file="$tmp/bad.yml" 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ] && grep -qF -- "$2" <<<"$out"; then
		pass "bad file refused at start: $1"
	else
		fail "bad file refused at start: $1 (exit $rc, wanted 1 and \"$2\"; got: $out)"
	fi
}
tls="tls_server_config:
  cert_file: server.pem
  key_file: server.key"
bad_file "missing cert" 'tls_server_config.cert_file: cannot read \"'"$tmp"'/nope.pem\": No such file or directory' \
	"tls_server_config: {cert_file: nope.pem, key_file: server.key}"
bad_file "unreadable cert (a directory)" 'tls_server_config.cert_file: cannot read' \
	"tls_server_config: {cert_file: isdir, key_file: server.key}"
bad_file "cert file holds no certificate" 'tls_server_config.cert_file: no PEM certificate' \
	"tls_server_config: {cert_file: server.ext, key_file: server.key}"
bad_file "key not matching the cert" 'tls_server_config.key_file: the key does not match the certificate' \
	"tls_server_config: {cert_file: server.pem, key_file: server2.key}"
bad_file "malformed bcrypt hash" 'basic_auth_users.alice: too short to be a bcrypt hash' \
	"basic_auth_users: {alice: plaintext}"
bad_file "client CA without client auth type" 'tls_server_config.client_ca_file: set without a client_auth_type' \
	"$tls
  client_ca_file: ca.pem"
bad_file "unknown key" 'tls_server_config.client_cert: unknown key' "$tls
  client_cert: client.pem"
rm -f bad.yml
out=$(timeout 10 "$exporter" --web.config.file="$tmp/absent.yml" 2>&1)
rc=$?
check "a missing web config file is refused at start (exit 1)" test "$rc" -eq 1
check "... with a message naming the file" grep -qE "cannot read .*$tmp/absent.yml.*No such file" <<<"$out"
out=$("$exporter" --web.config.file= 2>&1)
check "an empty --web.config.file is a bad flag (exit 2)" test $? -eq 2

# --- good files promtool accepts are accepted.
good_file() { # NAME YAML
	printf '%s\n' "$2" >good.yml
	if ! promtool check web-config good.yml >/dev/null 2>&1; then
		fail "promtool accepts $1 (test premise)"
		return
	fi
	if start_exporter "$tmp/good.yml"; then pass "promtool-valid file accepted: $1"; else fail "promtool-valid file accepted: $1"; fi
	stop_exporter
}
good_file "every toolkit TLS key" "$tls
  client_auth_type: VerifyClientCertIfGiven
  client_ca_file: ca.pem
  min_version: TLS12
  max_version: TLS13
  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256]
  curve_preferences: [X25519, CurveP256]
  prefer_server_cipher_suites: false
http_server_config:
  http2: true
  headers:
    Strict-Transport-Security: max-age=31536000
    X-Content-Type-Options: nosniff
    X-Frame-Options: sameorigin
    X-XSS-Protection: 1; mode=block
    Content-Security-Policy: default-src 'self'
basic_auth_users:
  alice: '$alice_hash'"
good_file "basic auth without TLS" "basic_auth_users: {bob: '$bob_hash'}"
good_file "RequireAnyClientCert without a CA" "$tls
  client_auth_type: RequireAnyClientCert"

# --- TLS versions.
cat >web.yml <<EOF
$tls
basic_auth_users:
  alice: '$alice_hash'
  bob: '$bob_hash'
http_server_config:
  headers:
    X-Content-Type-Options: nosniff
    Strict-Transport-Security: max-age=31536000
EOF
start_exporter "$tmp/web.yml" || exit 1
scrape_ok() { # CURL-ARGS...: a 200 with the kernel_tainted sample
	# The body first, then grep: grep -q would stop reading at the match, and under pipefail
	# curl's write error on the closed pipe (a longer body, a slower build) failed the check.
	local body
	body=$(curl -sf --max-time 10 --cacert ca.pem -u "alice:alice's secret" "$@" "$(url /metrics)") &&
		grep -q '^kernel_tainted ' <<<"$body"
}
check "curl over TLS 1.2 scrapes" scrape_ok --tlsv1.2 --tls-max 1.2
check "curl over TLS 1.3 scrapes" scrape_ok --tlsv1.3
negotiated() { # the version curl reports for its connection
	curl -sv -o /dev/null --max-time 10 --cacert ca.pem -u "alice:alice's secret" "$@" "$(url /metrics)" 2>&1 |
		grep -o 'SSL connection using TLSv1\.[0-9]' | head -1
}
check "the TLS 1.2 connection is TLS 1.2" test "$(negotiated --tlsv1.2 --tls-max 1.2)" = "SSL connection using TLSv1.2"
check "the TLS 1.3 connection is TLS 1.3" test "$(negotiated --tlsv1.3)" = "SSL connection using TLSv1.3"
check "plain HTTP on the TLS port gets no metrics" test "$(curl -s --max-time 5 "http://127.0.0.1:$port/metrics" -u "alice:alice's secret" | grep -c '^kernel_tainted')" = 0

tls11() { # connects with TLS 1.1 only; SECLEVEL=0 so Debian's OpenSSL allows it client-side
	echo Q | timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile ca.pem -tls1_1 \
		-cipher 'DEFAULT@SECLEVEL=0' 2>&1 | grep -q 'Protocol  : TLSv1.1'
}
if tls11; then fail "a TLS 1.1 client is refused when min_version is TLS12"; else pass "a TLS 1.1 client is refused when min_version is TLS12"; fi

# --- TLS 1.2 cipher suites without cipher_suites: Go's defaults, as exporter-toolkit has them.
# An RSA certificate, so that static-RSA and DHE-RSA key exchange are possible at all.
stop_exporter
openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.pem -days 2 \
	-subj /CN=rsa -addext subjectAltName=IP:127.0.0.1 2>/dev/null && chmod 644 rsa.key ||
	fail "cannot make an RSA test certificate with openssl"
printf 'tls_server_config:\n  cert_file: rsa.pem\n  key_file: rsa.key\n' >rsa.yml
start_exporter "$tmp/rsa.yml" || exit 1
suite_accepted() { # OPENSSL-CIPHER: whether a TLS 1.2 handshake offering only it succeeds
	echo Q | timeout 10 openssl s_client -connect "127.0.0.1:$port" -tls1_2 \
		-cipher "$1@SECLEVEL=0" 2>&1 | grep -q "Cipher is $1"
}
for suite in AES128-SHA AES256-GCM-SHA384 AES128-SHA256 DHE-RSA-AES128-GCM-SHA256 \
	ECDHE-RSA-AES128-SHA256 ECDHE-RSA-AES256-SHA384; do
	if suite_accepted "$suite"; then fail "TLS 1.2 default: $suite refused"; else pass "TLS 1.2 default: $suite refused"; fi
done
for suite in ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA-CHACHA20-POLY1305 \
	ECDHE-RSA-AES128-SHA ECDHE-RSA-AES256-SHA; do
	check "TLS 1.2 default: $suite accepted" suite_accepted "$suite"
done
stop_exporter
start_exporter "$tmp/web.yml" || exit 1

# --- every request size around --web.max-request-bytes (4096) gets a status line over TLS too:
# 200, or 431 written straight to the TLS session (tests/hardening sweeps them in plain HTTP).
sizes_ok=true
for pad in $(seq 3300 40 4700); do
	code=$(status -u "alice:alice's secret" -H "X-Pad: $(head -c "$pad" /dev/zero | tr '\0' p)" "$(url /metrics)")
	case "$code" in 200 | 431) ;; *) sizes_ok=false; echo "  a $pad-byte header got $code" ;; esac
done
check "TLS: headers of 3,300 to 4,700 bytes each get 200 or 431, never no answer" $sizes_ok
code=$(status -u "alice:alice's secret" -H "X-Pad: $(head -c 4700 /dev/zero | tr '\0' p)" "$(url /metrics)")
check "TLS: a 4,700-byte header gets 431" test "$code" = 431

# --- basic auth and headers.
check "right password: 200" test "$(status -u "alice:alice's secret" "$(url /metrics)")" = 200
check "second user's password: 200" test "$(status -u bob:hunter2 "$(url /metrics)")" = 200
check "wrong password: 401" test "$(status -u alice:hunter2 "$(url /metrics)")" = 401
# A NUL after the right password must not end it there (libmicrohttpd's decoder cut it).
check "right password, a NUL and more: 401" test "$(status -H "Authorization: Basic $(printf 'bob:hunter2\0x' | base64)" "$(url /metrics)")" = 401
check "the same header without the NUL: 200" test "$(status -H "Authorization: Basic $(printf 'bob:hunter2' | base64)" "$(url /metrics)")" = 200
check "lower-case scheme: 200" test "$(status -H "Authorization: basic $(printf 'bob:hunter2' | base64)" "$(url /metrics)")" = 200
check "not base64: 401" test "$(status -H "Authorization: Basic !!!not-base64" "$(url /metrics)")" = 401
check "no colon: 401" test "$(status -H "Authorization: Basic $(printf 'bobhunter2' | base64)" "$(url /metrics)")" = 401
check "unknown user: 401" test "$(status -u mallory:hunter2 "$(url /metrics)")" = 401
check "no credentials: 401" test "$(status "$(url /metrics)")" = 401
check "no credentials on /-/healthy: 401" test "$(status "$(url /-/healthy)")" = 401
headers=$(curl -s -D - -o /dev/null --cacert ca.pem "$(url /metrics)")
check "401 carries WWW-Authenticate: Basic" grep -qi '^WWW-Authenticate: Basic' <<<"$headers"
check "401 carries no metrics" test "$(curl -s --cacert ca.pem "$(url /metrics)" | grep -c kernel_tainted)" = 0
headers=$(curl -s -D - -o /dev/null --cacert ca.pem -u bob:hunter2 "$(url /metrics)")
check "security headers on a scrape" grep -q '^X-Content-Type-Options: nosniff' <<<"$headers"
check "HSTS header on a scrape" grep -q '^Strict-Transport-Security: max-age=31536000' <<<"$headers"
headers=$(curl -s -D - -o /dev/null --cacert ca.pem -u bob:hunter2 "$(url /nope)")
check "security headers on a 404" grep -q '^X-Content-Type-Options: nosniff' <<<"$headers"

# --- SIGHUP: a good file takes effect, a bad one is logged and the old one stays, and scrapes
# running meanwhile are not dropped.
scrapes() { # 150 scrapes, on kept-alive connections; prints how many got a 200
	local args=()
	for _ in $(seq 150); do args+=("$(url /metrics)"); done
	curl -s -o /dev/null -w '%{http_code}\n' --cacert ca.pem -u bob:hunter2 "${args[@]}" | grep -c '^200$'
}
scrapes >ok_count &
scraper=$!
cp web.yml web.orig.yml
sed "s|server.pem|server2.pem|; s|server.key|server2.key|" web.orig.yml >web.yml
for _ in $(seq 6); do
	kill -HUP "$pid"
	sleep 0.2
done
wait "$scraper"
check "150 scrapes during 6 reloads all answered 200 (got $(cat ok_count))" test "$(cat ok_count)" = 150
subject() {
	echo Q | timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile ca.pem 2>/dev/null |
		grep -o 'subject=CN *= *[a-z-]*' | head -1 | tr -d ' '
}
check "after SIGHUP, new connections get the new certificate" test "$(subject)" = "subject=CN=server-two"

# New password for alice: the old one stops working at once.
new_hash=$(hash "new secret")
sed "s|  alice: .*|  alice: '$new_hash'|" web.orig.yml >web.yml
kill -HUP "$pid"
for _ in $(seq 50); do
	[ "$(grep -c 'Web config reloaded' "$log")" -ge 7 ] && break
	sleep 0.1
done
check "after SIGHUP, the new password works" test "$(status -u "alice:new secret" "$(url /metrics)")" = 200
check "after SIGHUP, the old password is refused" test "$(status -u "alice:alice's secret" "$(url /metrics)")" = 401

# A bad file: logged, the previous settings stay.
printf 'basic_auth_users: {alice: nonsense}\n' >web.yml
kill -HUP "$pid"
for _ in $(seq 50); do
	grep -q 'Keeping the previous web config' "$log" && break
	sleep 0.1
done
check "a bad file on SIGHUP is logged, naming the key" grep -q 'err="line 1: basic_auth_users.alice: too short' "$log"
check "a bad file on SIGHUP keeps the old settings" test "$(status -u "alice:new secret" "$(url /metrics)")" = 200
check "the exporter is still running after a bad reload" kill -0 "$pid"

# A reload that would lower security is refused, naming what it would lower; the port keeps
# TLS and basic auth. An empty file (a truncated write, a config tool's mistake) is the case.
lowering() { # FILE-CONTENT DESCRIPTION EXPECTED-LOWERED
	printf '%s' "$1" >web.yml
	local before
	before=$(grep -c 'Refusing a reload that lowers security' "$log")
	kill -HUP "$pid"
	for _ in $(seq 50); do
		[ "$(grep -c 'Refusing a reload that lowers security' "$log")" -gt "$before" ] && break
		sleep 0.1
	done
	check "SIGHUP with $2: refused, naming it" grep -qF "lowered=\"$3\"" "$log"
	check "SIGHUP with $2: TLS and basic auth still in force (200 with the password)" \
		test "$(status -u "alice:new secret" "$(url /metrics)")" = 200
	check "SIGHUP with $2: TLS and basic auth still in force (401 without it)" \
		test "$(status "$(url /metrics)")" = 401
	check "SIGHUP with $2: no plaintext HTTP" \
		test "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/metrics")" != 200
}
lowering "" "an empty file" "tls=true->false basic_auth_users=2->0 headers-=X-Content-Type-Options headers-=Strict-Transport-Security"
lowering "$(sed '/^basic_auth_users:/,/^http_server_config:/{/^http_server_config:/!d}' web.orig.yml)" "basic auth removed" "basic_auth_users=2->0"
lowering "$(sed -n '/^basic_auth_users:/,$p' web.orig.yml)" "TLS removed" "tls=true->false"
# A reload that keeps or raises the level goes through, and says what changed.
sed "s|  alice: .*|  alice: '$new_hash'|" web.orig.yml | sed '/^  bob:/d' >web.yml
kill -HUP "$pid"
for _ in $(seq 50); do
	grep -q 'changed="basic_auth_users=2->1 basic_auth_users-=bob"' "$log" && break
	sleep 0.1
done
check "SIGHUP removing one of two users: applied, logged as basic_auth_users=2->1, naming bob" \
	grep -q 'msg="Web config reloaded".*changed="basic_auth_users=2->1 basic_auth_users-=bob"' "$log"
check "SIGHUP removing one of two users: that user is refused" \
	test "$(status -u bob:hunter2 "$(url /metrics)")" = 401
# A reload that changes a header alone. Each serving thread keeps its last answer to /metrics
# while the taint stays the same (exporter/serve/routes.c); a reload starts new threads, but
# the old ones go on serving the connections they hold, under the new policy: none may queue
# an answer with the old header again. One connection kept alive across the reload, and
# eight new ones after it.
hsts_across_reload() { # OLD NEW: the header's value before and after, on one connection
	python3 - "$port" "$pid" "$log" "$1" "$2" <<'PY'
import base64, http.client, os, signal, ssl, sys, time
port, pid, log, old, new = sys.argv[1:]
ctx = ssl.create_default_context(cafile="ca.pem")
conn = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx, timeout=10)
auth = {"Authorization": "Basic " + base64.b64encode(b"alice:new secret").decode()}
def hsts():
    conn.request("GET", "/metrics", headers=auth)
    r = conn.getresponse()
    r.read()
    return r.status, r.getheader("Strict-Transport-Security")
before = [hsts() for _ in range(3)]
reloads = open(log).read().count('msg="Web config reloaded"')
with open("web.yml") as f:
    text = f.read()
with open("web.yml", "w") as f:
    f.write(text.replace("max-age=" + old, "max-age=" + new))
os.kill(int(pid), signal.SIGHUP)
deadline = time.monotonic() + 5
while open(log).read().count('msg="Web config reloaded"') == reloads:
    if time.monotonic() > deadline:
        sys.exit("no reload logged")
    time.sleep(0.05)
after = [hsts() for _ in range(3)]
print(" ".join(f"{s}:{v}" for s, v in before + after))
PY
}
hsts_new_connections() { # the Strict-Transport-Security values of eight scrapes, sorted
	for _ in $(seq 8); do
		curl -s -D - -o /dev/null --cacert ca.pem -u "alice:new secret" "$(url /metrics)" |
			sed -n 's/^Strict-Transport-Security: *\([^\r]*\).*/\1/ip'
	done | sort | uniq -c | sed 's/^ *//'
}
check "a SIGHUP that changes a header: a connection kept alive across it gets the new value" \
	test "$(hsts_across_reload 31536000 600)" = \
	"$(echo 200:max-age=31536000 200:max-age=31536000 200:max-age=31536000 200:max-age=600 200:max-age=600 200:max-age=600)"
check "a SIGHUP that changes a header: eight new connections get the new value" \
	test "$(hsts_new_connections)" = "8 max-age=600"
stop_exporter

# --- mutual TLS.
mtls() { # CLIENT-AUTH-TYPE
	cat >mtls.yml <<EOF
$tls
  client_auth_type: $1
  client_ca_file: ca.pem
EOF
	start_exporter "$tmp/mtls.yml"
}
mtls_status() { status "$@" "$(url /metrics)"; }
mtls RequireAndVerifyClientCert || exit 1
check "RequireAndVerifyClientCert: good client cert, 200" test "$(mtls_status --cert client.pem --key client.key)" = 200
check "RequireAndVerifyClientCert: no client cert, refused" test "$(mtls_status)" = 000
check "RequireAndVerifyClientCert: cert from another CA, refused" test "$(mtls_status --cert rogue.pem --key rogue.key)" != 200
check "RequireAndVerifyClientCert: TLS 1.2, no client cert, refused" test "$(mtls_status --tlsv1.2 --tls-max 1.2)" = 000
check "RequireAndVerifyClientCert: TLS 1.2, cert from another CA, refused" test "$(mtls_status --tlsv1.2 --tls-max 1.2 --cert rogue.pem --key rogue.key)" != 200
# Extended key usage, as exporter-toolkit (Go's crypto/tls) checks it: clientAuth or none.
check "RequireAndVerifyClientCert: cert for serverAuth only, 403" test "$(mtls_status --cert eku-server.pem --key eku-server.key)" = 403
check "RequireAndVerifyClientCert: TLS 1.2, cert for serverAuth only, 403" test "$(mtls_status --tlsv1.2 --tls-max 1.2 --cert eku-server.pem --key eku-server.key)" = 403
check "RequireAndVerifyClientCert: cert for clientAuth, 200" test "$(mtls_status --cert eku-client.pem --key eku-client.key)" = 200
check "RequireAndVerifyClientCert: cert for anyExtendedKeyUsage, 200" test "$(mtls_status --cert eku-any.pem --key eku-any.key)" = 200
# Reloads that lowered security without a word before: the client_ca_file line gone (client
# certificates then checked against the system's public roots), and one static-RSA CBC suite
# with TLS 1.2 at most. Each is refused, naming what it lowers; the port stays as it was.
refused_reload() { # FILE-CONTENT DESCRIPTION EXPECTED-IN-LOWERED
	printf '%s\n' "$1" >mtls.yml
	local before
	before=$(grep -c 'Refusing a reload that lowers security' "$log")
	kill -HUP "$pid"
	for _ in $(seq 50); do
		[ "$(grep -c 'Refusing a reload that lowers security' "$log")" -gt "$before" ] && break
		sleep 0.1
	done
	check "SIGHUP with $2: refused, naming $3" grep -qF "$3" "$log"
	check "SIGHUP with $2: a cert from another CA still refused" test "$(mtls_status --cert rogue.pem --key rogue.key)" != 200
	check "SIGHUP with $2: the good client cert still 200" test "$(mtls_status --cert client.pem --key client.key)" = 200
}
refused_reload "$tls
  client_auth_type: RequireAndVerifyClientCert" "client_ca_file removed" "client_ca=system_bundle+"
refused_reload "$tls
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.pem
  max_version: TLS12
  cipher_suites: [TLS_RSA_WITH_AES_128_CBC_SHA]" "one static-RSA CBC suite, TLS 1.2 at most" "max_version=TLS13->TLS12 cipher_suites=+TLS_RSA_WITH_AES_128_CBC_SHA,-"
stop_exporter
mtls VerifyClientCertIfGiven || exit 1
check "VerifyClientCertIfGiven: good client cert, 200" test "$(mtls_status --cert client.pem --key client.key)" = 200
check "VerifyClientCertIfGiven: no client cert, 200" test "$(mtls_status)" = 200
check "VerifyClientCertIfGiven: cert from another CA, refused" test "$(mtls_status --cert rogue.pem --key rogue.key)" != 200
check "VerifyClientCertIfGiven: cert for serverAuth only, 403" test "$(mtls_status --cert eku-server.pem --key eku-server.key)" = 403
stop_exporter
mtls RequireAnyClientCert || exit 1
check "RequireAnyClientCert: cert from another CA, 200" test "$(mtls_status --cert rogue.pem --key rogue.key)" = 200
check "RequireAnyClientCert: no client cert, refused" test "$(mtls_status)" = 000
stop_exporter

# --- a real Prometheus scraping over TLS with basic auth.
start_exporter "$tmp/web.orig.yml" || exit 1
prom_port=$(free_port)
cat >prometheus.yml <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: taint
    scheme: https
    tls_config:
      ca_file: $tmp/ca.pem
    basic_auth:
      username: bob
      password: hunter2
    static_configs:
      - targets: ['127.0.0.1:$port']
EOF
prometheus --config.file=prometheus.yml --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="127.0.0.1:$prom_port" >prometheus.log 2>&1 &
pids+=($!)
api() { curl -s --max-time 5 "http://127.0.0.1:$prom_port/api/v1/$1"; }
up=no
for _ in $(seq 150); do
	if api targets | grep -q '"health":"up"' && api 'query?query=kernel_tainted' | grep -q '"__name__":"kernel_tainted"'; then
		up=yes
		break
	fi
	sleep 0.2
done
check "Prometheus scrapes over TLS with basic auth: target up" test "$up" = yes
check "Prometheus query returns kernel_tainted" bash -c "curl -s 'http://127.0.0.1:$prom_port/api/v1/query?query=kernel_tainted' | grep -q '\"__name__\":\"kernel_tainted\"'"
[ "$up" = yes ] || { api targets; tail -5 prometheus.log; }

echo "security: $failures failure(s)"
[ "$failures" -eq 0 ]
