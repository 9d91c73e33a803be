#!/bin/sh
# test-session.sh CMD [ARGS...] — run CMD inside a throw-away desktop session:
#   * a private D-Bus session bus (dbus-run-session),
#   * an unlocked gnome-keyring Secret Service with a throw-away login keyring,
#   * a real X server (Xvfb) on a free display,
#   * HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_DATA_HOME under a temp dir,
#   * ADVOLOGIX_TEST_BIN_DIR, where internal/testing/testbin shares the binaries the
#     test packages build (each built once per flag set for the whole run):
#     the caller's (make test: bin/test, shared by all its sessions), else
#     one of the session's.
# The end-to-end tests start a full desktop of their own per test
# (internal/testing/desktoptest.StartSession: bus, keyring, Xvfb, openbox,
# xfce4-panel, xfce4-notifyd); this session is for everything else.
# Any missing component is an error, never a silent skip.
#
# With ADVOLOGIX_SESSION=NAME (make test names its sessions), the session
# lives at the same paths on every run: /tmp/advologix-UID-NAME for HOME
# and the rest, a bus at a fixed socket there, and display :N for NAME's
# number below (else the first free one). What a test reads of its
# environment is then the same from run to run, so Go's test cache can
# reuse a result when nothing else changed. The folder is emptied at the
# start, and a lock keeps a second session of the same name (another make
# test) on fresh random paths instead.
set -eu

# bus_config ROOT writes a session bus configuration that listens at
# ROOT/bus (the standard session bus's service directories and policy) and
# prints its path.
bus_config() {
	cat >"$1/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=$1/bus</listen>
  <standard_session_servicedirs/>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
	echo "$1/bus.conf"
}

if [ "${ADVOLOGIX_IN_TEST_SESSION:-}" != 1 ]; then
	for tool in dbus-run-session gnome-keyring-daemon Xvfb secret-tool; do
		command -v "$tool" >/dev/null 2>&1 || {
			echo "test-session: $tool is missing (run scripts/ensure-deps.sh runtime-test)" >&2
			exit 1
		}
	done
	root=""
	if [ -n "${ADVOLOGIX_SESSION:-}" ] && command -v flock >/dev/null 2>&1; then
		fixed="${TMPDIR:-/tmp}/advologix-$(id -u)-$ADVOLOGIX_SESSION"
		exec 9>"$fixed.lock"
		if flock -n 9; then
			rm -rf "$fixed" && mkdir -m 700 "$fixed" && root=$fixed
		else
			exec 9>&-
		fi
	fi
	if [ -z "$root" ]; then
		root=$(mktemp -d "${TMPDIR:-/tmp}/advologix-test.XXXXXX")
	fi
	trap 'rm -rf "$root"' EXIT INT TERM
	mkdir -p "$root/home" "$root/config" "$root/cache" "$root/data" "$root/runtime"
	chmod 700 "$root/runtime"
	# Keep Go's caches where they were: a new HOME must not mean a new
	# module download and a cold build.
	if command -v go >/dev/null 2>&1; then
		GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE) GOPATH=$(go env GOPATH)
		export GOMODCACHE GOCACHE GOPATH
	fi
	# And make's C flags, so its builds are the cache's (scripts/cgo-cflags.sh).
	CGO_CFLAGS=$("$(dirname "$0")/cgo-cflags.sh")
	export CGO_CFLAGS
	# The keyring must be unlocked with DISPLAY unset, or it asks on screen.
	# The session's programs do not inherit the lock (fd 9): a daemon that
	# outlives a killed run must not keep the next run off its fixed root
	# (and so off Go's test cache).
	env -u DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
		HOME="$root/home" XDG_CONFIG_HOME="$root/config" XDG_CACHE_HOME="$root/cache" \
		XDG_DATA_HOME="$root/data" XDG_RUNTIME_DIR="$root/runtime" LANG=en_US.UTF-8 \
		ADVOLOGIX_IN_TEST_SESSION=1 ADVOLOGIX_TEST_ROOT="$root" ADVOLOGIX_TEST_BIN_DIR="${ADVOLOGIX_TEST_BIN_DIR:-$root/bin}" \
		dbus-run-session --config-file="$(bus_config "$root")" -- "$0" "$@" 9>&-
	exit $?
fi

# Inside the session bus from here on. dbus-run-session adds the bus's
# random guid to the address; the socket path alone is the same address.
case "$DBUS_SESSION_BUS_ADDRESS" in
unix:path=*,guid=*) DBUS_SESSION_BUS_ADDRESS=${DBUS_SESSION_BUS_ADDRESS%%,guid=*} ;;
esac
export DBUS_SESSION_BUS_ADDRESS
eval "$(printf %s test-keyring-pw | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
# Prove the Secret Service answers before anything relies on it.
printf %s probe | secret-tool store --label='advologix test probe' advologix-test probe
[ "$(secret-tool lookup advologix-test probe)" = probe ] || {
	echo "test-session: gnome-keyring did not store and return a probe secret" >&2
	exit 1
}
secret-tool clear advologix-test probe

# A named session asks for its own display number first (the same on every
# run), and falls back to the first free one.
case "${ADVOLOGIX_SESSION:-}" in
integration) display=71 ;;
windows) display=72 ;;
bench) display=73 ;;
dist) display=74 ;;
e2e) display=75 ;;
*) display="" ;;
esac
xvfb_pid=""
# start_xvfb [NUMBER]: Xvfb on :NUMBER, else on the first free display;
# writes the number to $ADVOLOGIX_TEST_ROOT/displayfd once it answers.
start_xvfb() {
	rm -f "$ADVOLOGIX_TEST_ROOT/displayfd"
	if [ -n "${1:-}" ]; then
		Xvfb ":$1" -screen 0 1280x800x24 -nolisten tcp >"$ADVOLOGIX_TEST_ROOT/xvfb.log" 2>&1 &
		xvfb_pid=$!
	else
		exec 3>"$ADVOLOGIX_TEST_ROOT/displayfd"
		Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$ADVOLOGIX_TEST_ROOT/xvfb.log" 2>&1 &
		xvfb_pid=$!
		exec 3>&-
	fi
	i=0
	while :; do
		if [ -n "${1:-}" ]; then
			if kill -0 "$xvfb_pid" 2>/dev/null && DISPLAY=":$1" xdpyinfo >/dev/null 2>&1; then
				echo "$1" >"$ADVOLOGIX_TEST_ROOT/displayfd"
				return 0
			fi
		elif [ -s "$ADVOLOGIX_TEST_ROOT/displayfd" ]; then
			return 0
		fi
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$xvfb_pid" 2>/dev/null; then
			kill "$xvfb_pid" 2>/dev/null || true
			return 1
		fi
		sleep 0.05
	done
}
if ! { [ -n "$display" ] && start_xvfb "$display"; }; then
	if ! start_xvfb; then
		echo "test-session: Xvfb did not start:" >&2
		cat "$ADVOLOGIX_TEST_ROOT/xvfb.log" >&2
		exit 1
	fi
fi
DISPLAY=":$(head -n1 "$ADVOLOGIX_TEST_ROOT/displayfd")"
export DISPLAY

status=0
"$@" || status=$?
kill $xvfb_pid 2>/dev/null || true
# gnome-keyring-daemon leaves with the session bus when dbus-run-session ends.
exit $status
