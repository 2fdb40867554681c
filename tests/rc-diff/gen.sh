#!/bin/sh
# Regenerate the rc-diff ground-truth corpus from Plan 9 rc (Debian 9base).
#
# For every cases/NAME.rc this runs, in a fresh empty temp dir:
#     env -i PATH=/usr/bin:/bin:/usr/lib/plan9/bin HOME=$tmp LC_ALL=C \
#         $RC ./NAME.rc </dev/null
# and writes cases/NAME.out (stdout), cases/NAME.err (stderr) and
# cases/NAME.status (exit status as a decimal number, newline-terminated).
# Any occurrence of the temp dir's path in stdout/stderr is replaced by @TMP@.
#
# Usage: tests/rc-diff/gen.sh [NAME ...]     (default: all cases)
#        RC=/path/to/rc tests/rc-diff/gen.sh  (override the reference rc)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cases="$here/cases"
RC=${RC:-/usr/lib/plan9/bin/rc}
TIMEOUT=${TIMEOUT:-10}

if [ ! -x "$RC" ]; then
	echo "gen.sh: reference rc not found at $RC (apt-get install 9base)" >&2
	exit 1
fi

if [ $# -gt 0 ]; then
	names="$*"
else
	names=$(cd "$cases" && ls *.rc | sed 's/\.rc$//')
fi

n=0
for name in $names; do
	src="$cases/$name.rc"
	[ -f "$src" ] || { echo "gen.sh: no such case: $name" >&2; exit 1; }
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/rcdiff.XXXXXX")
	res=$(mktemp -d "${TMPDIR:-/tmp}/rcdiff-out.XXXXXX")
	cp "$src" "$tmp/$name.rc"
	set +e
	(cd "$tmp" && env -i PATH=/usr/bin:/bin:/usr/lib/plan9/bin HOME="$tmp" \
		LC_ALL=C TZ=UTC timeout "$TIMEOUT" "$RC" "./$name.rc" \
		</dev/null >"$res/stdout" 2>"$res/stderr")
	status=$?
	set -e
	sed "s|$tmp|@TMP@|g" "$res/stdout" >"$cases/$name.out"
	sed "s|$tmp|@TMP@|g" "$res/stderr" >"$cases/$name.err"
	echo "$status" >"$cases/$name.status"
	rm -rf "$tmp" "$res"
	n=$((n + 1))
done
echo "gen.sh: generated $n cases with $RC" >&2
