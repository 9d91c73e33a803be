#!/bin/sh
# wine-prefix.sh PREFIX — make PREFIX a 64-bit Wine prefix in which Go
# Windows binaries start, for tests. Idempotent: when PREFIX is already done
# (and the shim is current) it returns at once without starting Wine.
#
#  - creates the prefix (wineboot, ~5 s the first time) with WINEDEBUG=-all,
#    without the Mono/Gecko installers' dialogs;
#  - builds internal/testing/wintest/shim/bcryptprimitives.c with mingw and copies
#    it into the prefix's system32: Go >= 1.22 needs ProcessPrng, which
#    Wine 8.0 lacks. TEST HARNESS ONLY: the shim never ships.
#
# Use the prefix with: WINEPREFIX=PREFIX WINEDEBUG=-all /usr/lib/wine/wine64 prog.exe
set -eu

prefix=${1:?usage: wine-prefix.sh PREFIX}
here=$(cd "$(dirname "$0")/.." && pwd)
src="$here/internal/testing/wintest/shim/bcryptprimitives.c"
wine=${WINE64:-/usr/lib/wine/wine64}
cc=${MINGW_CC:-x86_64-w64-mingw32-gcc}

case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac

export WINEPREFIX="$prefix" WINEDEBUG=-all WINEARCH=win64
# No Mono/Gecko download prompts, no "configuration updated" window.
export WINEDLLOVERRIDES="mscoree=;mshtml=;winemenubuilder.exe=d"

# make test's stages run side by side: one prefix is made by one of them
# at a time (the others wait, then find it ready).
mkdir -p "$(dirname "$prefix")"
exec 8>"$prefix.lock"
flock 8

sys32="$prefix/drive_c/windows/system32"
shim="$sys32/bcryptprimitives.dll"
stamp="$prefix/.advologix-ready"

if [ -f "$stamp" ] && [ -f "$shim" ] && [ ! "$src" -nt "$shim" ]; then
	exit 0
fi

for tool in "$wine" "$cc"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "wine-prefix: $tool is missing (scripts/ensure-deps.sh wine cross installs it)" >&2
		exit 1
	fi
done

mkdir -p "$prefix"
if [ ! -f "$prefix/system.reg" ] || [ ! -d "$sys32" ]; then
	"$wine" wineboot -i >/dev/null 2>&1 || {
		echo "wine-prefix: wineboot failed for $prefix" >&2; exit 1; }
	# The prefix is written by the wineserver; wait until it is on disk.
	wineserver -w 2>/dev/null || /usr/lib/wine/wineserver -w
fi

tmp="$shim.tmp.$$"
"$cc" -O2 -shared -s -Wl,--kill-at -o "$tmp" "$src"
mv -f "$tmp" "$shim"
touch "$stamp"
