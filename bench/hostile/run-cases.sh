#!/usr/bin/env bash
# Runs issue 18's hostile cases through the command line and prints, per case: exit code, peak resident memory
# (/usr/bin/time -f %M, KiB), seconds, and the one line on stderr.
# Usage: bench/hostile/run-cases.sh SIAMESE_DLL GOOD_IMAGE_FOLDER MODEL_ZIP WORK_FOLDER
set -u
cli=$1; good=$2; model=$3; work=$4
rm -rf "$work"; mkdir -p "$work/tmp"
python3 "$(dirname "$0")/make_cases.py" "$work/cases" "$good" > "$work/victims.txt"
victim() { grep "^$1 " "$work/victims.txt" | cut -d' ' -f2-; }
run() {
  local name=$1; shift
  TMPDIR="$work/tmp" XDG_CACHE_HOME="$work/cache" /usr/bin/time -f "%M %e" -o "$work/time.txt" \
    dotnet "$cli" "$@" > "$work/out.txt" 2> "$work/err.txt"
  local code=$?
  read -r kib secs < <(tail -n 1 "$work/time.txt")
  printf '%-34s exit %s  peak %4d MB  %6.1f s  %s\n' "$name" "$code" $((kib / 1024)) "$secs" "$(head -c 220 "$work/err.txt" | head -1)"
}
c=$work/cases
for kind in huge large truncated; do
  run "embed $kind image" embed --model "$model" --data "$c/$kind" --label-depth 2 --out "$work/e.csv"
  run "evaluate $kind image" evaluate --model "$model" --data "$c/$kind" --label-depth 2 --pairs 100
  run "search query $kind image" search --model "$model" --gallery "$good" --label-depth 2 --query "$(victim $kind)"
  run "oneshot $kind image" oneshot --model "$model" --data "$c/$kind" --label-depth 2 --ways 5 --episodes 5
  run "train $kind image" train --data "$c/$kind" --label-depth 2 --iterations 2 --out "$work/m.zip"
done
run "train IDX size wraps to 0" train --data "$c/wrap-images-idx3-ubyte" --iterations 2 --out "$work/m.zip"
run "train IDX gzip 100M images" train --data "$c/bomb-images-idx3-ubyte.gz" --iterations 2 --out "$work/m.zip"
run "train zip 2100 x 1 MB entries" train --data "$c/many.zip" --iterations 2 --out "$work/m.zip"
cp "$model" "$work/model-copy.zip"
run "embed --out = --model" embed --model "$work/model-copy.zip" --data "$good" --label-depth 2 --out "$work/model-copy.zip"
echo "files left in TMPDIR: $(find "$work/tmp" -mindepth 1 ! -name .ses | wc -l) (plus ONNX Runtime's .ses: $(find "$work/tmp" -name .ses | wc -l))"
