#!/usr/bin/env bash
# Where the test time goes: reads .trx files (dotnet test --logger trx) and prints, per test
# assembly, its wall time and test count, then the slowest classes (the sum of their tests'
# durations, set-up in the tests included; xunit runs classes in parallel, so the sums add up to
# more than the wall time) and the slowest single tests.
#
#   bash scripts/test-times.sh [-n N] [FILE.trx | FOLDER]...    (default: TestResults/last)
#
# scripts/test.sh leaves the last run's files in TestResults/last and prints this at its end. For
# one project: dotnet test tests/RadRegen.Web.Tests --logger trx --results-directory TestResults/web
# then bash scripts/test-times.sh TestResults/web
set -euo pipefail
top=15
if [ "${1:-}" = "-n" ]; then top=$2; shift 2; fi
[ $# -gt 0 ] || set -- "$(dirname "$0")/../TestResults/last"
files=()
for arg in "$@"; do
    if [ -d "$arg" ]; then
        while IFS= read -r f; do files+=("$f"); done < <(find "$arg" -name '*.trx' | sort)
    elif [ -f "$arg" ]; then
        files+=("$arg")
    fi
done
if [ ${#files[@]} -eq 0 ]; then
    echo "test-times: no .trx file in $*" >&2
    exit 1
fi

# One line per test: "seconds<TAB>class<TAB>test", and one per file: "#assembly<TAB>seconds<TAB>tests<TAB>name".
awk '
function secs(t,   p) { split(t, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
function stamp(t,   d, p) { d = substr(t, 12, 16); split(d, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
FNR == 1 { if (name != "") printf "#assembly\t%.1f\t%d\t%s\n", wall, count, name; name = ""; wall = 0; count = 0 }
/<Times / {
    s = $0; sub(/.* start="/, "", s); sub(/".*/, "", s)
    f = $0; sub(/.* finish="/, "", f); sub(/".*/, "", f)
    wall = stamp(f) - stamp(s); if (wall < 0) wall += 86400
}
/codeBase="/ && name == "" { name = $0; sub(/.*codeBase="/, "", name); sub(/".*/, "", name); sub(/.*[\/\\]/, "", name); sub(/\.dll$/, "", name) }
/<UnitTestResult / {
    t = $0; sub(/.* testName="/, "", t); sub(/".*/, "", t)
    d = $0; sub(/.* duration="/, "", d); sub(/".*/, "", d)
    method = t; sub(/\(.*/, "", method)
    cls = method; sub(/\.[^.]*$/, "", cls)
    count++
    gsub(/&quot;/, "\"", t)
    printf "%.2f\t%s\t%s\n", secs(d), cls, substr(t, 1, 150)
}
END { if (name != "") printf "#assembly\t%.1f\t%d\t%s\n", wall, count, name }
' "${files[@]}" > "${TMPDIR:-/tmp}/test-times.$$"
trap 'rm -f "${TMPDIR:-/tmp}/test-times.$$"' EXIT
data="${TMPDIR:-/tmp}/test-times.$$"

echo "Test assemblies (wall time of the run, tests):"
grep '^#assembly' "$data" | sort -t$'\t' -k2,2 -rn | awk -F'\t' '{ printf "  %7.1f s  %5d  %s\n", $2, $3, $4 }'
echo "Slowest classes (sum of their tests' durations, tests):"
grep -v '^#assembly' "$data" | awk -F'\t' '{ s[$2] += $1; n[$2]++ } END { for (c in s) printf "%.1f\t%d\t%s\n", s[c], n[c], c }' \
    | sort -t$'\t' -k1,1 -rn | head -n "$top" | awk -F'\t' '{ printf "  %7.1f s  %5d  %s\n", $1, $2, $3 }'
echo "Slowest tests:"
grep -v '^#assembly' "$data" | sort -t$'\t' -k1,1 -rn | head -n "$top" | awk -F'\t' '{ printf "  %7.1f s  %s\n", $1, $3 }'
