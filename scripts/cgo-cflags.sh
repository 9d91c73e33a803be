#!/bin/sh
# cgo-cflags.sh — print the CGO_CFLAGS of make's Go builds: the caller's
# (default -O2 -g) with scripts/cgo-probe.h forced into every C compile,
# which makes cgo's probe of the GL driver seconds instead of minutes and
# changes no byte of the programs (see the header). The flags also name
# the header's hash: Go's build cache keys on the flags, not on the bytes
# of a file they include. scripts/test-session.sh sets the same, so tests
# run through it share Go's cache with make. Flags that already force the
# header are printed unchanged (a sub-make inherits them).
set -eu
flags=${CGO_CFLAGS:--O2 -g}
case $flags in
*cgo-probe.h*) printf '%s\n' "$flags"; exit 0 ;;
esac
header=$(cd "$(dirname "$0")" && pwd)/cgo-probe.h
if command -v sha256sum >/dev/null 2>&1; then
	sum=$(sha256sum "$header" | cut -d' ' -f1)
else # macOS
	sum=$(shasum -a 256 "$header" | cut -d' ' -f1)
fi
printf '%s -include %s -DADVOLOGIX_CGO_PROBE=%s\n' "$flags" "$header" "$sum"
