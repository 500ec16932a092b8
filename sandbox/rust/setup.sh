#!/bin/sh
# Runs as root during the image build, without network, with the image's rustc 1.63 and
# cargo. Unpacks the pinned crates prepare.sh put into crates/, builds them once with
# `cargo build --release --offline --locked`, and keeps the rlibs in /opt/codeaug/rust:
#   deps/             every rlib (what `rustc -L dependency=` searches)
#   librand.rlib ...  symlinks to the three crates a program may name (`--extern`)
# Jobs then compile one file with rustc and link these, with no cargo at job time.
set -eu

definition=/opt/codeaug/definition
out=/opt/codeaug/rust
build=$(mktemp -d)

mkdir -p "$build/vendor" "$build/.cargo" "$build/home"
for archive in "$definition"/crates/*.crate; do
    name=$(basename "$archive" .crate)
    tar -xzf "$archive" -C "$build/vendor"
    sum=$(sha256sum "$archive" | cut -d' ' -f1)
    # A directory source: cargo compares "package" with the checksum in Cargo.lock.
    printf '{"files":{},"package":"%s"}' "$sum" > "$build/vendor/$name/.cargo-checksum.json"
done
cp "$definition/Cargo.toml" "$definition/Cargo.lock" "$definition/lib.rs" "$build/"
cat > "$build/.cargo/config.toml" <<CONFIG
[source.crates-io]
replace-with = "pinned"

[source.pinned]
directory = "$build/vendor"
CONFIG

cd "$build"
CARGO_HOME="$build/home" cargo build --release --offline --locked

mkdir -p "$out/deps"
cp target/release/deps/*.rlib "$out/deps/"
for crate in rand regex md5; do
    set -- "$out"/deps/lib${crate}-*.rlib
    if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
        echo "setup.sh: expected one lib${crate}-*.rlib, found: $*" >&2
        exit 1
    fi
    ln -s "deps/$(basename "$1")" "$out/lib${crate}.rlib"
done
rustc --version > "$out/rustc-version"
cd /
rm -rf "$build"
chmod -R a+rX "$out"
