#!/usr/bin/env bash
# Separate check of the two tool packages (not part of `dotnet test`: packing the full tool compresses ~525 MB of
# libtorch and takes minutes on a 2-core machine). Packs MLNet.Siamese.Cli (RID-specific, linux-x64 here) and
# MLNet.Siamese.Cli.Scoring, installs each from the local folder into a temp tool path with only that folder as the
# package source, runs `siamese --help`, trains a tiny model with the full tool and scores it with both, and prints
# the package and install sizes. Usage: bash build/check-tool-packages.sh [work-folder]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
packages="$work/packages"
rm -rf "$packages" "$work/tools-full" "$work/tools-scoring" "$work/model.zip"
cat > "$work/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="local" value="$packages" /></packageSources></configuration>
CONFIG

echo "== pack"
time dotnet pack src/Cli -c Release -o "$packages" -v:q -nologo
time dotnet pack src/Cli.Scoring -c Release -o "$packages" -v:q -nologo
ls -l "$packages"

echo "== install"
time dotnet tool install MLNet.Siamese.Cli --tool-path "$work/tools-full" --configfile "$work/nuget.config" --prerelease
time dotnet tool install MLNet.Siamese.Cli.Scoring --tool-path "$work/tools-scoring" --configfile "$work/nuget.config" --prerelease
echo "installed size, full tool:         $(du -sm "$work/tools-full" | cut -f1) MB"
echo "installed size, scoring-only tool: $(du -sm "$work/tools-scoring" | cut -f1) MB"

echo "== run"
"$work/tools-full/siamese" --help > /dev/null
"$work/tools-scoring/siamese" --help > /dev/null
root=$PWD/data/omniglot/images_background_small1.zip
"$work/tools-full/siamese" train --data "$root" --label-depth 2 --iterations 20 --batch 16 --image-size 28 --embedding-dim 16 --json --out "$work/model.zip" > "$work/train.json"
"$work/tools-full/siamese" evaluate --model "$work/model.zip" --data "$root" --label-depth 2 --pairs 200 --json > "$work/evaluate-full.json"
"$work/tools-scoring/siamese" evaluate --model "$work/model.zip" --data "$root" --label-depth 2 --pairs 200 --json > "$work/evaluate-scoring.json"
cmp "$work/evaluate-full.json" "$work/evaluate-scoring.json" && echo "full and scoring-only tools report identical metrics"
echo "ok: $work"
