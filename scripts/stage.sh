#!/bin/sh
# stage.sh NAME CMD... — run one stage of make test and record its start,
# end and status in $STAGE_DIR/NAME (for stage.sh --table).
# stage.sh --table — print the recorded stages, in the order they started,
# with their wall-clock seconds, and the whole run's.
set -u
dir=${STAGE_DIR:?stage.sh: STAGE_DIR is not set}
if [ "${1:-}" = --table ]; then
	[ -d "$dir" ] || exit 0
	first=$(cat "$dir"/.begin 2>/dev/null || echo 0)
	now=$(date +%s)
	echo
	echo "make test: where the time went (wall-clock seconds; stages overlap on the 2 cores)"
	printf '  %-14s %6s %6s %6s  %s\n' stage start end seconds status
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		cat "$f"
	done | sort -n -k2 | while read -r name start end status; do
		printf '  %-14s %6d %6d %6d  %s\n' "$name" $((start - first)) $((end - first)) $((end - start)) "$status"
	done
	printf '  %-14s %6s %6s %6d\n' total "" "" $((now - first))
	exit 0
fi
if [ "${1:-}" = --begin ]; then
	rm -rf "$dir" && mkdir -p "$dir" && date +%s >"$dir/.begin"
	exit 0
fi
name=${1:?usage: stage.sh NAME CMD...}
shift
mkdir -p "$dir"
start=$(date +%s)
"$@"
status=$?
end=$(date +%s)
if [ $status = 0 ]; then s=ok; else s="FAILED($status)"; fi
echo "$name $start $end $s" >"$dir/$name"
exit $status
