#!/usr/bin/env bash
# The test command (README): builds and runs every test project and prints the totals alone on a
# line as "N passed, N failed, N skipped". Exit 0 only when something ran and nothing failed.
#
# On a fresh machine it needs nothing else: as root it installs Debian's chromium for the browser
# tests when it is missing, and when RADREGEN_TEST_POSTGRES is not set it starts a throwaway
# PostgreSQL cluster on 127.0.0.1 if the server binaries are installed (.ci/run installs them).
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test: installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
        || echo "test: could not install chromium; the browser tests will say so" >&2
fi

# The PDF report tests read PDFs back with Debian's pdftotext (docs/reports.md): they fail without it.
if ! command -v pdftotext >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test: installing Debian's poppler-utils (pdftotext) for the PDF report tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
        || echo "test: could not install poppler-utils; the PDF report tests will fail" >&2
fi

# shellcheck source=scripts/postgres-throwaway.sh
. scripts/postgres-throwaway.sh
started_pg=no
if [ -z "${RADREGEN_TEST_POSTGRES:-}" ] && [ -n "$(pg_throwaway_bin)" ]; then
    if pg_throwaway_start; then started_pg=yes; fi
fi
trap '[ "$started_pg" = yes ] && pg_throwaway_stop; [ -n "${scratch:-}" ] && rm -rf "$scratch"' EXIT
if [ -z "${RADREGEN_TEST_POSTGRES:-}" ]; then
    echo "test: WARNING: no PostgreSQL (RADREGEN_TEST_POSTGRES unset, no server binaries): the PostgreSQL storage tests are skipped" >&2
fi
if [ ! -x /usr/bin/chromium ]; then
    echo "test: WARNING: no /usr/bin/chromium: the browser tests are skipped" >&2
fi

# Test databases, their templates and temporary folders go to RAM when the machine has a tmpfs at
# /dev/shm: they are thrown away after each test, and on a virtual disk every SQLite commit's fsync
# costs milliseconds (2.3 ms measured here against 0.003 ms on tmpfs). The product's own durability
# settings are unchanged; only where the tests keep their scratch files moves.
scratch=""
if [ -z "${RADREGEN_TEST_KEEP_TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    scratch=$(mktemp -d /dev/shm/radregen-tests.XXXXXX) && export TMPDIR="$scratch"
fi

# Each assembly's results as a .trx file in TestResults/last (replaced each run): where the time
# went is printed at the end (scripts/test-times.sh; docs/testing.md, "Where the time goes").
results=TestResults/last
rm -rf "$results"
# Build once, then test without building, two test assemblies at a time (most of them leave a core
# idle part of the time). A failed build stops here with its errors.
#
# The longest assemblies start first: `dotnet test` on the solution started them in alphabetical
# order, so Web.Tests, the longest (2 min 14 s of the 383 s CI run), started last and ran on alone
# at the end. Longest first, the short ones fill the other slot around it (docs/testing.md, "Where
# the time goes"). Every other test project follows in alphabetical order, so a new one is never
# left out. Each `dotnet test <project>` costs about a second more than one solution-wide command.
longest_first=(RadRegen.Web.Tests RadRegen.Web.BrowserTests RadRegen.Bank.Tests RadRegen.Cli.Tests
    RadRegen.Network.Tests RadRegen.Care.Tests RadRegen.Fhir.Tests RadRegen.Training.Tests RadRegen.Hla.Tests
    RadRegen.Storage.Tests)
projects=()
for name in "${longest_first[@]}"; do
    [ -f "tests/$name/$name.csproj" ] && projects+=("tests/$name/$name.csproj")
done
for csproj in tests/*/*.csproj; do
    grep -q '<IsTestProject>false</IsTestProject>' "$csproj" && continue
    case " ${projects[*]} " in *" $csproj "*) continue ;; esac
    projects+=("$csproj")
done

# The test processes JIT without optimising (DOTNET_JITMinOpts=1; the build above does not).
# Most of a test process's CPU went to the JIT compiling, at full optimisation, code that then runs
# a few times: every web host compiles its minimal-API request delegates anew (expression trees,
# which tiered compilation never starts at tier 0), and the tests' own Debug assemblies already
# run unoptimised. Measured per assembly (docs/testing.md, "Where the time goes"): Web.Tests
# 125.7 s -> 66.8 s of CPU, every other assembly less too, except the HLA tests' brute-force
# validations, which run optimised code longer (+15 %): they keep the optimising JIT. What the code
# computes does not change; only how the JIT compiles it.
optimised=(RadRegen.Hla.Tests)

# Runs every test project, two at a time, in the order above; fails when one of them failed.
run_tests() {
    local running=0 failed=0 project name minopts
    for project in "${projects[@]}"; do
        if [ "$running" -ge 2 ]; then
            wait -n || failed=1
            running=$((running - 1))
        fi
        name=$(basename "$project" .csproj)
        minopts=1
        case " ${optimised[*]} " in *" $name "*) minopts=0 ;; esac
        # A folder each: two runs ending in the same second would otherwise race for one .trx name.
        DOTNET_JITMinOpts=$minopts dotnet test "$project" --no-build --logger trx --results-directory "$results/$name" "$@" &
        running=$((running + 1))
    done
    while [ "$running" -gt 0 ]; do
        wait -n || failed=1
        running=$((running - 1))
    done
    return "$failed"
}

log=$(mktemp /tmp/radregen-test-log.XXXXXX)
{ dotnet build RadRegen.slnx -nologo -v q && run_tests "$@"; } 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
bash scripts/test-times.sh -n 10 "$results" || true

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 45, Skipped: 0, Total: 45, ..."
passed=0; failed=0; skipped=0; assemblies=0
while read -r f p s; do
    assemblies=$((assemblies + 1)); failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
done < <(sed -n -E 's/^(Passed|Failed)!.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \3 \4/p' "$log")
rm -f "$log"

echo "test: $assemblies test assemblies reported"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ] || [ "$status" -ne 0 ]; then
    exit 1
fi
