# Runs as root at image build, without network (see sandbox/Dockerfile).
# 1. The js-md5 adapter goes on NODE_PATH (/opt/codeaug/node-path), where
#    `require('js-md5')` finds it (HumanEval-X JS/162).
# 2. A V8 startup snapshot of the TypeScript compiler with the standard library
#    (lib.es2022) and @types/node already parsed and bound: a TypeScript job's compile
#    step starts from it (`node --snapshot-blob /opt/codeaug/tsc.blob main.ts`) instead
#    of loading typescript.js and parsing ~140 declaration files every time.
set -eu
mkdir -p /opt/codeaug/node-path
cp /opt/codeaug/definition/js-md5.js /opt/codeaug/node-path/js-md5.js
cd /tmp
node --snapshot-blob /opt/codeaug/tsc.blob --build-snapshot /opt/codeaug/definition/tsc-snapshot.js
chmod 0644 /opt/codeaug/tsc.blob /opt/codeaug/node-path/js-md5.js
# Fail the build now, not at the first job, if the snapshot cannot compile.
mkdir /tmp/check && cd /tmp/check
printf 'const n: number = [1, 2].length;\nconsole.log(n);\n' > main.ts
node --snapshot-blob /opt/codeaug/tsc.blob main.ts
test "$(node main.js)" = 2
printf 'const n: number = "x";\n' > bad.ts
if node --snapshot-blob /opt/codeaug/tsc.blob bad.ts 2>/dev/null; then exit 1; fi
cd / && rm -rf /tmp/check
