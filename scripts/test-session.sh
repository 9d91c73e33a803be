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
set -eu

if [ "${ADVOLOGIX_IN_TEST_SESSION:-}" != 1 ]; then
	for tool in dbus-run-session gnome-keyring-daemon Xvfb secret-tool; do
		command -v "$tool" >/dev/null 2>&1 || {
			echo "test-session: $tool is missing (run scripts/ensure-deps.sh runtime-test)" >&2
			exit 1
		}
	done
	root=$(mktemp -d "${TMPDIR:-/tmp}/advologix-test.XXXXXX")
	trap 'rm -rf "$root"' EXIT INT TERM
	mkdir -p "$root/home" "$root/config" "$root/cache" "$root/data" "$root/runtime"
	chmod 700 "$root/runtime"
	# Keep Go's caches where they were: a new HOME must not mean a new
	# module download and a cold build.
	if command -v go >/dev/null 2>&1; then
		GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE) GOPATH=$(go env GOPATH)
		export GOMODCACHE GOCACHE GOPATH
	fi
	# The keyring must be unlocked with DISPLAY unset, or it asks on screen.
	env -u DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
		HOME="$root/home" XDG_CONFIG_HOME="$root/config" XDG_CACHE_HOME="$root/cache" \
		XDG_DATA_HOME="$root/data" XDG_RUNTIME_DIR="$root/runtime" LANG=en_US.UTF-8 \
		ADVOLOGIX_IN_TEST_SESSION=1 ADVOLOGIX_TEST_ROOT="$root" ADVOLOGIX_TEST_BIN_DIR="${ADVOLOGIX_TEST_BIN_DIR:-$root/bin}" \
		dbus-run-session -- "$0" "$@"
	exit $?
fi

# Inside the session bus from here on.
eval "$(printf %s test-keyring-pw | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
# Prove the Secret Service answers before anything relies on it.
printf %s probe | secret-tool store --label='advologix test probe' advologix-test probe
[ "$(secret-tool lookup advologix-test probe)" = probe ] || {
	echo "test-session: gnome-keyring did not store and return a probe secret" >&2
	exit 1
}
secret-tool clear advologix-test probe

exec 3>"$ADVOLOGIX_TEST_ROOT/displayfd"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$ADVOLOGIX_TEST_ROOT/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 3>&-
i=0
while [ ! -s "$ADVOLOGIX_TEST_ROOT/displayfd" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 $xvfb_pid 2>/dev/null; then
		echo "test-session: Xvfb did not start:" >&2
		cat "$ADVOLOGIX_TEST_ROOT/xvfb.log" >&2
		exit 1
	fi
	sleep 0.05
done
DISPLAY=":$(head -n1 "$ADVOLOGIX_TEST_ROOT/displayfd")"
export DISPLAY

status=0
"$@" || status=$?
kill $xvfb_pid 2>/dev/null || true
# gnome-keyring-daemon leaves with the session bus when dbus-run-session ends.
exit $status
