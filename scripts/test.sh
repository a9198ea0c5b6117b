#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need (ImageMagick and libvips as independent
# oracles for the imaging code, Chromium for the web studio's browser tests, Node.js with the
# official MCP TypeScript SDK and reference server as independent MCP peers)
# and ends with one line "N passed, M failed, K skipped" computed from the test results.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

need=()
[ -x /usr/bin/convert ] && [ -x /usr/bin/identify ] || need+=(imagemagick)
command -v vipsheader >/dev/null || need+=(libvips-tools)
# Playwright drives Debian's Chromium; its own browser download is not used.
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v node >/dev/null && command -v npm >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "The tests need: ${need[*]}. Install with: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "Installing ${need[*]}..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null || { echo "apt-get install ${need[*]} failed" >&2; exit 1; }
fi

# The MCP peers, at the versions package-lock.json pins.
if ! npm ci --prefix tests/mcp-node --no-audit --no-fund --loglevel=error >/dev/null; then
  echo "npm ci in tests/mcp-node failed" >&2
  exit 1
fi

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build Easel.slnx -c Release -nologo -clp:ErrorsOnly
build=$?
status=$build
if [ $build -eq 0 ]; then
  dotnet test Easel.slnx -c Release --no-build -nologo --logger "trx;LogFilePrefix=easel" --results-directory "$results" "$@"
  status=$?
fi

# Sum the counters of every TRX file (one per test project).
passed=0; failed=0; total=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
done
# One TRX file per test project, or some results were lost.
projects=$(find tests -name '*.Tests.csproj' | wc -l)
files=$(find "$results" -maxdepth 1 -name '*.trx' | wc -l)
if [ $status -eq 0 ] && [ "$files" -ne "$projects" ]; then
  echo "Expected $projects test result files, found $files." >&2
  failed=$((failed + 1))
fi
skipped=$((total - passed - failed))
[ $skipped -lt 0 ] && skipped=0
# A build that failed, or a run that crashed before reporting, counts as a failure.
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
if [ $total -eq 0 ] && [ $failed -eq 0 ]; then echo "No tests ran." >&2; failed=1; fi

echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] && [ $status -eq 0 ]
