# Runs as root at image build (no network): precompile Go's standard library and
# testify into plain package archives plus one importcfg, so that a job compiles and
# links with `go tool compile` / `go tool link` directly (plugins/go_language.py)
# instead of `go test`/`go build`, which need a writable build cache (Go refuses a
# read-only GOCACHE, and the job's work dir starts empty every time).
#
# Layout (read-only at run time):
#   /opt/codeaug/go/tool/{compile,link}   links to $(go env GOTOOLDIR)
#   /opt/codeaug/go/pkg/<import path>.a   every std package, testify assert/require
#                                         and their dependencies (GOPATH mode,
#                                         sources from /usr/share/gocode)
#   /opt/codeaug/go/importcfg             "packagefile <path>=<archive>" for all of them
#
# Built with CGO_ENABLED=0 (the image has no C compiler; net, os/user use their pure-Go
# versions) and without DWARF (smaller archives, faster links; stack traces and
# testify's "Error Trace" use the pclntab, which stays).
set -eu
export GO111MODULE=off GOPATH=/usr/share/gocode CGO_ENABLED=0 GOFLAGS=-gcflags=all=-dwarf=false
export GOCACHE=/tmp/codeaug-gocache HOME=/tmp GOMAXPROCS=4
OUT=/opt/codeaug/go
mkdir -p "$OUT/pkg" "$OUT/tool"
TOOLDIR=$(go env GOTOOLDIR)
ln -sf "$TOOLDIR/compile" "$OUT/tool/compile"
ln -sf "$TOOLDIR/link" "$OUT/tool/link"
go list -export -deps -f '{{if .Export}}{{.ImportPath}}={{.Export}}{{end}}' \
    std github.com/stretchr/testify/assert github.com/stretchr/testify/require \
    > /tmp/codeaug-exports.txt
: > "$OUT/importcfg"
while IFS='=' read -r path file; do
    mkdir -p "$OUT/pkg/$(dirname "$path")"
    cp "$file" "$OUT/pkg/$path.a"
    echo "packagefile $path=$OUT/pkg/$path.a" >> "$OUT/importcfg"
done < /tmp/codeaug-exports.txt
rm -rf "$GOCACHE" /tmp/codeaug-exports.txt
chmod -R a+rX "$OUT"

# Self-check: a testify test compiles, links and passes with nothing but the archives.
check=/tmp/codeaug-go-check
mkdir -p "$check"
cd "$check"
cat > main_test.go <<'GO'
package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSelf(t *testing.T) { assert.Equal(t, 2, 1+1) }
GO
cat > testmain.go <<'GO'
package main

import (
	"os"
	"testing"
	"testing/internal/testdeps"

	_test "codeaug/job"
)

func main() {
	tests := []testing.InternalTest{{Name: "TestSelf", F: _test.TestSelf}}
	os.Exit(testing.MainStart(testdeps.TestDeps{}, tests, nil, nil, nil).Run())
}
GO
{ cat "$OUT/importcfg"; echo "packagefile codeaug/job=job.a"; } > importcfg
"$OUT/tool/compile" -p codeaug/job -complete -importcfg importcfg -pack -o job.a main_test.go
"$OUT/tool/compile" -p main -complete -importcfg importcfg -pack -o main.a testmain.go
"$OUT/tool/link" -s -w -importcfg importcfg -o check.test main.a
./check.test -test.paniconexit0
cd /
rm -rf "$check"
