// codeaug: preloaded into every JavaScript/TypeScript test run
// (`node --require /opt/codeaug/definition/preload.js main.js`).
//
// 1. Syntax check. JavaScript has no compile step, so before node runs the main script
//    this parses it (without running it) the way node's CommonJS loader does, and on a
//    SyntaxError prints "@@codeaug-syntax-error@@ <file>:<line>: <message>" on stderr and
//    exits 97; the language plugin turns that into a `compile_error` verdict. This saves
//    the second node start a separate `node --check` step would cost.
// 2. With CODEAUG_ASSERT_LOCATION=1 (HumanEval-X `code` tests), a failing
//    console.assert still prints "Assertion failed..." and does not throw, exactly as
//    before, and then adds "@@codeaug-assert@@ <line> <source line>" so that the
//    verdict can name the failing assertion.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const SYNTAX = '@@codeaug-syntax-error@@';
const ASSERT = '@@codeaug-assert@@';
const main = process.argv[1] ? path.resolve(process.argv[1]) : null;

if (main !== null) {
  let source = null;
  try {
    source = fs.readFileSync(main, 'utf8');
  } catch {
    // node reports a missing main script itself
  }
  if (source !== null) {
    if (source.startsWith('#!')) source = '//' + source.slice(2);
    try {
      vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'],
        { filename: main });
    } catch (error) {
      if (error instanceof SyntaxError) {
        const at = /^(.*):(\d+)$/m.exec(String(error.stack));
        const where = at ? `${path.basename(at[1])}:${at[2]}: ` : '';
        process.stderr.write(`${SYNTAX} ${where}SyntaxError: ${error.message}\n`);
        process.exit(97);
      }
    }
  }
}

if (process.env.CODEAUG_ASSERT_LOCATION === '1' && main !== null) {
  const original = console.assert;
  let lines = null;
  console.assert = function assert(value, ...data) {
    if (value) return;
    original.call(console, value, ...data);
    const frame = String(new Error().stack).split('\n').find((l) => l.includes(main + ':'));
    const at = frame && /:(\d+):\d+\)?$/.exec(frame);
    if (!at) return;
    try {
      lines = lines || fs.readFileSync(main, 'utf8').split('\n');
    } catch {
      lines = [];
    }
    const text = (lines[Number(at[1]) - 1] || '').trim();
    process.stderr.write(`${ASSERT} ${at[1]} ${text}\n`);
  };
}
