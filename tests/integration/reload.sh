#!/usr/bin/env bash
# SIGHUP reloads of --web.config.file while clients keep connections busy over TLS, then
# SIGTERM: every answer is 200, the exporter survives, and it exits 0 within 5 s. Each reload
# starts new daemons and quiesces the old ones. (Closing a quiesced listening fd while its
# thread still polled it made libmicrohttpd abort or hang in about one run of eight of a
# harsher stress than this; this test guards the reload path, it does not reliably catch
# that race.)
. "$(dirname "$0")/lib.sh"

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
	-subj /CN=localhost -days 2 -addext subjectAltName=IP:127.0.0.1 2>/dev/null ||
	fail "cannot make a test certificate with openssl"
printf 'tls_server_config:\n  cert_file: %s\n  key_file: %s\n' "$WORK/cert.pem" "$WORK/key.pem" \
	>"$WORK/web.yml"
make_tree "$WORK/host" 4609

for round in 1 2 3; do
	start_exporter "$WORK/log.$round" --web.config.file="$WORK/web.yml" \
		--path.procfs="$WORK/host/proc" --path.sysfs="$WORK/host/sys"
	urls=()
	for _ in $(seq 200); do urls+=(-o /dev/null "https://127.0.0.1:$PORT/-/healthy"); done
	clients=()
	for c in 1 2 3; do
		curl -s --cacert "$WORK/cert.pem" -w '%{http_code}\n' "${urls[@]}" \
			>"$WORK/codes.$round.$c" &
		clients+=("$!")
	done
	for _ in $(seq 60); do
		kill -HUP "$PID"
		sleep 0.02
	done
	wait "${clients[@]}"
	sleep 2 # the drained generations are stopped once a second: let that happen too
	assert_alive "round $round, after 60 reloads"
	codes=$(cat "$WORK"/codes."$round".* | sort | uniq -c | tr -s ' ')
	[ "$codes" = " 600 200" ] || fail "round $round: every request must get 200, got:$codes"
	kill -TERM "$PID"
	for _ in $(seq 50); do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$PID" 2>/dev/null && fail "round $round: still running 5 s after SIGTERM (hung)"
	set +e
	wait "$PID"
	rc=$?
	set -e
	[ "$rc" -eq 0 ] || fail "round $round: exit status $rc after SIGTERM: $(tail -n 3 "$WORK/log.$round")"
	pass "round $round: 60 reloads under load, 600 answers of 200, clean exit"
done
