#!/bin/sh
# check-file-size.sh [MAX] — fail when a Go file git tracks (generated ones
# excepted) is longer than MAX lines (400): a file should be about one
# thing, and short enough for a reader to hold.
set -eu
max=${1:-400}
cd "$(dirname "$0")/.."
long=$(git ls-files '*.go' | while read -r f; do
	[ -f "$f" ] || continue
	grep -q '^// Code generated .* DO NOT EDIT\.$' "$f" && continue
	n=$(wc -l <"$f")
	[ "$n" -gt "$max" ] && echo "  $f: $n lines"
done) || true
if [ -n "$long" ]; then
	echo "Go files over $max lines (split them by what they hold):"
	echo "$long"
	exit 1
fi
