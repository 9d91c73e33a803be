#!/bin/sh
# go-out.sh OUT SUBCOMMAND ARGS... — run `go SUBCOMMAND -o OUT.new ARGS...`
# (build, or test -c), then replace OUT
# only when the new file's bytes differ. go build and go test -c rewrite
# their output even when nothing changed; a file that keeps its time when
# its content is the same lets make skip what depends on it, and lets Go's
# test cache reuse the results of tests that run it (they stat it).
set -eu
out=${1:?usage: go-out.sh OUT SUBCOMMAND ARGS...}
sub=${2:?usage: go-out.sh OUT SUBCOMMAND ARGS...}
shift 2
[ "$sub" = test ] && { sub="test -c"; [ "${1:-}" = -c ] && shift; }
case "$out" in
*.exe) new="${out%.exe}.new.exe" ;;
*) new="$out.new" ;;
esac
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2086 # $sub is "build" or "test -c"
${GO:-go} $sub -o "$new" "$@" || { rm -f "$new"; exit 1; }
if [ -f "$out" ] && cmp -s "$new" "$out"; then
	rm -f "$new"
else
	mv -f "$new" "$out"
fi
