# Shared by the packaging tests: a scratch directory, a fixture tree, a free port, a scrape
# check, and an ELF file's machine. Source it; it sets nothing until a function is called.

# use_scratch: $tmp, a new temporary directory, and $pid, empty, for the caller to set to the
# server it starts. On exit (an EXIT trap), that server is stopped and $tmp removed.
use_scratch() {
	tmp=$(mktemp -d)
	pid=
	trap stop_scratch EXIT
}

stop_scratch() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}

# make_fixture DIR: a /proc and /sys stand-in under DIR/proc and DIR/sys for a kernel tainted
# P, W and O (4609) with one out-of-tree, unsigned, proprietary module.
make_fixture() {
	mkdir -p "$1/proc/sys/kernel" "$1/sys/module"
	echo 4609 >"$1/proc/sys/kernel/tainted"
	echo 6.1.0-fixture-amd64 >"$1/proc/sys/kernel/osrelease"
	printf '%s\n' "nvidia 56823808 0 - Live 0x0000000000000000 (POE)" \
		"ext4 1048576 1 - Live 0x0000000000000000" >"$1/proc/modules"
}

# free_port: a TCP port that was free on 127.0.0.1 a moment ago (for servers that cannot bind
# port 0 and report it; callers retry when they lose the race).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# check_fixture_metrics FILE: the scrape of the make_fixture tree has the values it must have.
check_fixture_metrics() {
	local want
	for want in \
		'kernel_tainted 4609' \
		'kernel_taint_flag{bit="0",flag="P",flag_name="proprietary_module"} 1' \
		'kernel_taint_flag{bit="9",flag="W",flag_name="warn"} 1' \
		'kernel_taint_flag{bit="1",flag="F",flag_name="forced_module"} 0' \
		'kernel_taint_info{flags="PWO"} 1' \
		'kernel_module_taint_flag{module="nvidia",flag="E",bit="13",flag_name="unsigned_module"} 1' \
		'taint_exporter_scrape_success 1'; do
		if ! grep -qxF "$want" "$1"; then
			echo "expected the line '$want' in the scrape; got:" >&2
			cat "$1" >&2
			return 1
		fi
	done
	if grep -q 'module="ext4"' "$1"; then
		echo "an untainted module (ext4) must not appear; got:" >&2
		cat "$1" >&2
		return 1
	fi
}

# wait_for_log FILE PATTERN: up to 10 s for an extended regex to show up in FILE.
wait_for_log() {
	local i
	for i in $(seq 100); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "no line matching '$2' in $1 after 10 s; it has:" >&2
	cat "$1" >&2
	return 1
}

# elf_machine FILE: the machine FILE is built for, as readelf -h names it ("AArch64",
# "Advanced Micro Devices X86-64"): what a cross build is checked by.
elf_machine() {
	readelf -h "$1" | sed -n 's/^ *Machine: *//p'
}
