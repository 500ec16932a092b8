#!/bin/sh
# Runs on the HOST before the image build, in the build context's definition/ folder
# (codeaug.images._prepare). The image build has no network, and Debian has rand 0.8,
# whose API differs from the rand 0.4 that HumanEval-X's Rust tests (38, 50, 53) call.
# So the crates of Cargo.lock (the versions HumanEval-X's own harness pinned, with their
# checksums; see Cargo.toml for how the lock was made) are fetched here from crates.io with cargo, and only their .crate archives
# are put into the build context (crates/); setup.sh unpacks and builds them offline.
# Nothing fetched is kept in the repository. Cargo checks every archive's sha256
# against Cargo.lock (--locked), so what is built is exactly what is pinned.
set -eu

CARGO=${CARGO:-}
if [ -z "$CARGO" ]; then
    CARGO=$(command -v cargo || true)
fi
if [ -z "$CARGO" ] && [ -x "${HOME:-/nonexistent}/.cargo/bin/cargo" ]; then
    CARGO="$HOME/.cargo/bin/cargo"
fi
if [ -z "$CARGO" ]; then
    echo "prepare.sh: cargo not found on the host (install rustup or Debian's cargo, or" \
         "set CARGO=/path/to/cargo); it fetches the pinned crates from crates.io" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/project" "$work/home"
cp Cargo.toml Cargo.lock lib.rs "$work/project/"
# A private CARGO_HOME: the host's own cargo configuration and caches are not touched.
(cd "$work/project" && CARGO_HOME="$work/home" "$CARGO" fetch --locked --quiet)

mkdir -p crates
rm -f crates/*.crate
count=0
for archive in "$work"/home/registry/cache/*/*.crate; do
    cp "$archive" crates/
    count=$((count + 1))
done
want=$(grep -c '^source = "registry+' Cargo.lock)
if [ "$count" -ne "$want" ]; then
    echo "prepare.sh: fetched $count crates, Cargo.lock lists $want" >&2
    exit 1
fi
