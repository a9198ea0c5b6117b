#!/usr/bin/env bash
# Runs the benchmarks (bench/Easel.Bench) and rewrites docs/benchmarks.md from the results.
# Extra arguments go to the benchmark: --quick (smoke run), --no-cli, --no-orders, --no-upscale, --no-loop, --no-providers,
# --no-gallery, --out FILE; --only-gallery measures gallery search alone and rewrites only its section; --easel DLL serves
# that build of the CLI in the gallery measurement instead of the one ./easel publishes.
# BENCH_ARTIFACTS=DIR builds the benchmark there instead of artifacts/ (keeping the main artifacts untouched).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The tools Easel is compared with, and hyperfine to time whole processes.
# Gallery search alone (--only-gallery) needs none of them.
need=()
case " $* " in
  *" --only-gallery "*) ;;
  *)
    command -v vips >/dev/null || need+=(libvips-tools)
    [ -x /usr/bin/convert ] || need+=(imagemagick)
    command -v hyperfine >/dev/null || need+=(hyperfine)
    ;;
esac
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "The benchmark needs: ${need[*]}. Install with: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "Installing ${need[*]}..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The CLI as users run it (./easel publishes it, ReadyToRun, when its sources have changed),
# and the plain Release build, for comparison.
# Gallery search alone serves the ./easel build, unless --easel names another.
case " $* " in
  *" --no-cli "*) ;;
  *" --only-gallery "*)
    case " $* " in *" --easel "*) ;; *) ./easel --help >/dev/null ;; esac
    ;;
  *)
    ./easel --help >/dev/null
    dotnet build src/Easel.Cli/Easel.Cli.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
    ;;
esac

build=()
[ -n "${BENCH_ARTIFACTS:-}" ] && build+=(--artifacts-path "$BENCH_ARTIFACTS")
dotnet build bench/Easel.Bench/Easel.Bench.csproj -c Release -nologo -v quiet -clp:ErrorsOnly "${build[@]}"
exec dotnet "${BENCH_ARTIFACTS:-$root/artifacts}/bin/Easel.Bench/release/Easel.Bench.dll" --repo "$root" "$@"
