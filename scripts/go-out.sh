#!/bin/sh
# go-out.sh OUT GO-ARGS... — run `go GO-ARGS... -o OUT.new`, then replace OUT
# only when the new file's bytes differ. go build and go test -c rewrite
# their output even when nothing changed; a file that keeps its time when
# its content is the same lets make skip what depends on it, and lets Go's
# test cache reuse the results of tests that run it (they stat it).
set -eu
out=${1:?usage: go-out.sh OUT GO-ARGS...}
shift
case "$out" in
*.exe) new="${out%.exe}.new.exe" ;;
*) new="$out.new" ;;
esac
mkdir -p "$(dirname "$out")"
${GO:-go} "$@" -o "$new" || { rm -f "$new"; exit 1; }
if [ -f "$out" ] && cmp -s "$new" "$out"; then
	rm -f "$new"
else
	mv -f "$new" "$out"
fi
