#!/bin/sh
# stage.sh NAME CMD... — run one stage of make test and record its start,
# end, CPU seconds (user + system, of every process it waited for) and
# status in $STAGE_DIR/NAME (for stage.sh --table).
# stage.sh --table — print the recorded stages, in the order they started,
# with their wall-clock and CPU seconds, and the whole run's. On 2 cores a
# stage's wall-clock time depends on what ran beside it; its CPU time
# does not, and the CPU total over twice the wall-clock total says how
# busy both cores were.
set -u
dir=${STAGE_DIR:?stage.sh: STAGE_DIR is not set}
if [ "${1:-}" = --table ]; then
	[ -d "$dir" ] || exit 0
	first=$(cat "$dir"/.begin 2>/dev/null || echo 0)
	now=$(date +%s)
	echo
	echo "make test: where the time went (seconds; stages overlap on the 2 cores)"
	printf '  %-14s %6s %6s %6s %6s  %s\n' stage start end wall cpu status
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		cat "$f"
	done | sort -n -k2 | awk -v first="$first" -v now="$now" '
		{ printf "  %-14s %6d %6d %6d %6d  %s\n", $1, $2 - first, $3 - first, $3 - $2, $4, $5; cpu += $4 }
		END { printf "  %-14s %6s %6s %6d %6d  %d%% of 2 cores\n", "total", "", "", now - first, cpu,
			(now > first) ? 100 * cpu / (2 * (now - first)) : 0 }'
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
# The second line of `times`: the children's user and system time, as
# "1m2.345s 0m6.780s" (dash and bash alike). Not in a $(…): that is a
# subshell, with no children of its own.
times >"$dir/.times-$name"
cpu=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%d", t + 0.5 }' "$dir/.times-$name")
rm -f "$dir/.times-$name"
if [ $status = 0 ]; then s=ok; else s="FAILED($status)"; fi
echo "$name $start $end ${cpu:-0} $s" >"$dir/$name"
exit $status
