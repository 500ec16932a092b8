// An empty library whose only purpose is to make cargo build its dependencies
// (Cargo.toml) into rlibs; see setup.sh.
