// codeaug's harness for `calls` tests in JavaScript and TypeScript, copied into each
// job as codeaug_harness.js. The program the job runs is the candidate's solution
// followed by a few generated lines:
//
//   require("./codeaug_harness.js").run(<return type>, [() => entry(<args>), ...]);
//
// (the arguments rendered as literals by the language plugin; the expected values never
// enter the job). run() calls each case once, awaits a returned promise, and prints one
// report per case on stdout after a newline (protocol: codeaug/calls.py):
//   @@codeaug-case@@ <i> ok <the value as JSON> | raised <json string> |
//   unserializable <json string>, and finally @@codeaug-done@@.
// The host compares the values with the expected ones.
'use strict';

const CASE = '@@codeaug-case@@';
const DONE = '@@codeaug-done@@';
const ANY = ['any', []];

function report(index, kind, payload) {
  process.stdout.write(`\n${CASE} ${index} ${kind} ${payload}\n`);
}

function floatText(v) {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0.0';
  return String(v); // the shortest text that reads back as the same double
}

function intText(v) {
  if (typeof v === 'bigint') return v.toString();
  if (!Number.isInteger(v)) return floatText(v);
  if (Object.is(v, -0)) return '0';
  return Math.abs(v) < 1e21 ? String(v) : BigInt(v).toString(); // never "1e+21"
}

function keyText(k) {
  if (typeof k === 'string') return JSON.stringify(k);
  if (typeof k === 'number' || typeof k === 'bigint') return JSON.stringify(intText(k));
  if (typeof k === 'boolean') return JSON.stringify(String(k));
  throw new TypeError(`a ${typeof k} dict key is not a JSON key`);
}

function isSequence(v) {
  return Array.isArray(v) || v instanceof Set || ArrayBuffer.isView(v);
}

function entries(v) {
  if (v instanceof Map) return Array.from(v.entries());
  if (v !== null && typeof v === 'object' && !isSequence(v)) return Object.entries(v);
  return null;
}

function toJson(v, type) {
  const [name, args] = type || ANY;
  switch (name) {
    case 'optional':
      return v === null || v === undefined ? 'null' : toJson(v, args[0]);
    case 'none':
      if (v === null || v === undefined) return 'null';
      break;
    case 'int':
      if (typeof v === 'number' || typeof v === 'bigint') return intText(v);
      break;
    case 'float':
      if (typeof v === 'number') return floatText(v);
      if (typeof v === 'bigint') return v.toString();
      break;
    case 'bool':
      if (typeof v === 'boolean') return String(v);
      break;
    case 'str':
      if (typeof v === 'string') return JSON.stringify(v);
      break;
    case 'list': case 'set': case 'tuple':
      if (isSequence(v)) {
        const items = Array.from(v);
        return '[' + items.map((x, i) => toJson(x, name === 'tuple' ? args[i] : args[0]))
          .join(',') + ']';
      }
      break;
    case 'dict': {
      const pairs = entries(v);
      if (pairs !== null) {
        return '{' + pairs.map(([k, x]) => keyText(k) + ':' + toJson(x, args[1])).join(',') + '}';
      }
      break;
    }
    default:
      break;
  }
  if (v === undefined && name !== 'any') {
    throw new TypeError(`returned undefined where ${name} was expected`);
  }
  return anyJson(v);
}

// Whatever the declared type says, report what there is (the host then says how it
// differs from the expected value).
function anyJson(v) {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean': return String(v);
    case 'number': return Number.isInteger(v) ? intText(v) : floatText(v);
    case 'bigint': return v.toString();
    case 'string': return JSON.stringify(v);
    default: break;
  }
  if (isSequence(v)) return '[' + Array.from(v, (x) => toJson(x, ANY)).join(',') + ']';
  const pairs = entries(v);
  if (pairs !== null && typeof v !== 'function') {
    return '{' + pairs.map(([k, x]) => keyText(k) + ':' + toJson(x, ANY)).join(',') + '}';
  }
  throw new TypeError(`a ${typeof v} is not a JSON value`);
}

function describe(error) {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return `thrown: ${String(error)}`;
  } catch {
    return 'thrown: an unprintable value';
  }
}

async function run(type, cases) {
  for (let index = 0; index < cases.length; index++) {
    let value;
    try {
      value = cases[index]();
      if (value !== null && typeof value === 'object' && typeof value.then === 'function') {
        value = await value;
      }
    } catch (error) {
      report(index, 'raised', JSON.stringify(describe(error)));
      continue;
    }
    let text;
    try {
      text = toJson(value, type);
    } catch (error) {
      report(index, 'unserializable', JSON.stringify(describe(error)));
      continue;
    }
    report(index, 'ok', text);
  }
  process.stdout.write(`\n${DONE}\n`);
}

module.exports = { run, toJson };
