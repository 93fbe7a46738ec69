#!/usr/bin/env bash
# Coverage-guided fuzzing of one parser with SharpFuzz + AFL++.
# Usage: fuzz/run.sh TARGET SECONDS      (TARGET: zip idx image runs model checkpoint index)
# Needs: afl-fuzz (apt-get install afl++), the sharpfuzz tool (dotnet tool install -g SharpFuzz.CommandLine --version 2.3.0).
# Builds fuzz/MLNet.Siamese.Fuzz into fuzz/.build, instruments the project's three libraries, fuzzes TARGET for SECONDS
# seconds from fuzz/corpus/TARGET (at nice 10: the machine is shared), prints AFL's summary, and copies every crashing
# or hanging input to fuzz/regressions/TARGET/, which FuzzRegressionTests replays in the test suite.
set -euo pipefail
target=${1:?usage: fuzz/run.sh TARGET SECONDS}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS}
here=$(cd "$(dirname "$0")" && pwd)
build=$here/.build
out=$here/.findings/$target
export PATH="$PATH:$HOME/.dotnet/tools"

if [ ! -f "$build/.instrumented" ]; then
  dotnet build "$here/MLNet.Siamese.Fuzz/MLNet.Siamese.Fuzz.csproj" -c Release -o "$build" > "$here/.build.log"
  for lib in MLNet.Siamese.Transforms MLNet.Siamese.Evaluation MLNet.Siamese.Trainers; do
    sharpfuzz "$build/$lib.dll"
  done
  touch "$build/.instrumented"
fi

rm -rf "$out"; mkdir -p "$out"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
# -t 5000: an input taking over 5 s is a hang; -m none: .NET reserves far more address space than it uses.
nice -n 10 afl-fuzz -V "$seconds" -t 5000 -m none -i "$here/corpus/$target" -o "$out" -- \
  dotnet "$build/MLNet.Siamese.Fuzz.dll" "$target" > "$out/afl.log" 2>&1 || true

stats=$out/default/fuzzer_stats
if [ -f "$stats" ]; then
  grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|bitmap_cvg|edges_found|total_edges|saved_crashes|saved_hangs) ' "$stats"
else
  tail -n 30 "$out/afl.log"; exit 1
fi
mkdir -p "$here/regressions/$target"
for kind in crashes hangs; do
  for file in "$out/default/$kind"/id:*; do
    [ -e "$file" ] || continue
    name=$(basename "$file" | tr ':,' '__')
    cp "$file" "$here/regressions/$target/$kind-$name"
    echo "kept $kind input: fuzz/regressions/$target/$kind-$name"
  done
done
