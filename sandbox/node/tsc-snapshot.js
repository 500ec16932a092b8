// codeaug: the TypeScript compiler as a V8 startup snapshot (built by setup.sh with
// `node --build-snapshot`). Loading typescript.js and parsing the standard library and
// @types/node costs ~2 s of CPU per compile; the snapshot holds the loaded compiler and
// the parsed, bound declaration files, so a job only parses and checks its own file.
//
// Usage in a job: node --snapshot-blob /opt/codeaug/tsc.blob main.ts
// Type-checks main.ts with OPTIONS below and writes main.js next to it; on any error
// prints tsc-style diagnostics ("main.ts(1,5): error TS2322: ...") and exits 1.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const v8 = require('v8');

const TS_FILE = '/usr/share/nodejs/typescript/lib/typescript.js';
// A snapshot's entry script may only require built-in modules: evaluate typescript.js
// as its CommonJS wrapper would.
const tsModule = { exports: {} };
new Function('module', 'exports', 'require', '__filename', '__dirname',
  fs.readFileSync(TS_FILE, 'utf8'))(tsModule, tsModule.exports, require, TS_FILE,
  path.dirname(TS_FILE));
const ts = tsModule.exports;

// tsc --init's defaults (strict, esModuleInterop, skipLibCheck) on a node 18 target.
const OPTIONS = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.NodeJs,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  typeRoots: ['/usr/share/nodejs/@types'],
  strict: true,
  esModuleInterop: true,
  forceConsistentCasingInFileNames: true,
  skipLibCheck: true,
  noEmitOnError: true,
  newLine: ts.NewLineKind.LineFeed,
};

// Declaration files under /usr are immutable in the image: parse each once, here.
const shared = new Map();

function makeHost() {
  const host = ts.createCompilerHost(OPTIONS);
  const read = host.getSourceFile;
  host.getSourceFile = (name, languageVersion, onError, fresh) => {
    if (!name.startsWith('/usr/')) return read.call(host, name, languageVersion, onError, fresh);
    let file = shared.get(name);
    if (file === undefined) {
      file = read.call(host, name, languageVersion, onError, fresh);
      shared.set(name, file);
    }
    return file;
  };
  return host;
}

const FORMAT = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => '\n',
};

function compile(file) {
  const program = ts.createProgram([file], OPTIONS, makeHost());
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length === 0) {
    const emitted = program.emit();
    diagnostics.push(...emitted.diagnostics);
    if (!emitted.emitSkipped && diagnostics.length === 0) return 0;
  }
  process.stderr.write(ts.formatDiagnostics(diagnostics, FORMAT) || 'tsc: nothing emitted\n');
  return 1;
}

function main(file) {
  if (!file) {
    process.stderr.write('usage: node --snapshot-blob tsc.blob FILE.ts\n');
    return 2;
  }
  return compile(path.resolve(file));
}

// Warm up: one compile that uses the common library types parses and binds every
// declaration file the real compiles will need (they stay in `shared`).
const warmDir = fs.mkdtempSync(path.join(os.tmpdir(), 'codeaug-tsc-warm'));
const warmFile = path.join(warmDir, 'warm.ts');
fs.writeFileSync(warmFile, [
  'import * as fs from "fs";',
  'const xs: number[] = [3, 1, 2].sort((a, b) => a - b);',
  'const m = new Map<string, Set<number>>([["a", new Set(xs)]]);',
  'const t: [number, string] = [1, "a"];',
  'console.log(xs, m, t, JSON.stringify({ a: 1 }), fs.existsSync("x"), process.argv);',
  'export {};',
  '',
].join('\n'));
if (compile(warmFile) !== 0) throw new Error('the warm-up compile failed');
fs.rmSync(warmDir, { recursive: true, force: true });

if (v8.startupSnapshot && v8.startupSnapshot.isBuildingSnapshot()) {
  // Run from the snapshot, `node --snapshot-blob tsc.blob main.ts` puts main.ts in argv[1].
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    // The snapshot keeps node's cached process.cwd() of the build; chdir drops it.
    process.chdir('.');
    process.exitCode = main(process.argv[1]);
  });
} else {
  process.exitCode = main(process.argv[2]);  // plain `node tsc-snapshot.js main.ts`
}
