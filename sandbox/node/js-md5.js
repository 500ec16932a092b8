// js-md5 ADAPTER for the codeaug node sandbox: NOT the real `js-md5` package (Debian
// does not ship it and the image is built offline). It is a small module with the same
// API as js-md5 0.7/0.8, computed by node's own `crypto` (OpenSSL's MD5), installed
// as /opt/codeaug/node-path/js-md5.js so that `require('js-md5')` finds it through
// NODE_PATH (HumanEval-X JS/162).
//
//   md5(message) -> hex string; md5.hex / .array / .digest / .arrayBuffer / .buffer /
//   .base64(message); md5.create() and md5.update(message) -> a hasher with
//   .update(message) (chainable) and .hex() / .toString() / .array() / .digest() /
//   .arrayBuffer() / .buffer() / .base64(); md5.hmac(key, message) with the same
//   output methods (md5.hmac.hex, ..., md5.hmac.create(key), md5.hmac.update(key, m)).
//
// A message is a string (hashed as UTF-8), an Array of byte values, an ArrayBuffer or a
// typed array, as in js-md5. One known difference: a string holding an unpaired UTF-16
// surrogate is encoded by node with U+FFFD where js-md5 encodes the raw code unit.
'use strict';
const crypto = require('crypto');

function bytes(message) {
  if (typeof message === 'string') return Buffer.from(message, 'utf8');
  if (message === null || message === undefined) throw new Error('input is invalid type');
  if (message instanceof ArrayBuffer) return Buffer.from(message);
  if (ArrayBuffer.isView(message)) {
    return Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  }
  if (Array.isArray(message)) return Buffer.from(message);
  throw new Error('input is invalid type');
}

class Hasher {
  constructor(key) {
    this.hash = key === undefined ? crypto.createHash('md5')
      : crypto.createHmac('md5', bytes(key));
    this.result = null;
  }

  update(message) {
    if (this.result !== null) throw new Error('finalize already called');
    this.hash.update(bytes(message));
    return this;
  }

  finish() {
    if (this.result === null) this.result = this.hash.digest();
    return this.result;
  }

  hex() { return this.finish().toString('hex'); }
  toString() { return this.hex(); }
  array() { return Array.from(this.finish()); }
  digest() { return this.array(); }
  arrayBuffer() {
    const b = this.finish();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  }
  buffer() { return this.arrayBuffer(); }
  base64() { return this.finish().toString('base64'); }
}

const OUTPUTS = ['hex', 'array', 'digest', 'arrayBuffer', 'buffer', 'base64'];

const md5 = (message) => new Hasher().update(message).hex();
md5.create = () => new Hasher();
md5.update = (message) => new Hasher().update(message);
const hmac = (key, message) => new Hasher(key).update(message).hex();
hmac.create = (key) => new Hasher(key);
hmac.update = (key, message) => new Hasher(key).update(message);
for (const name of OUTPUTS) {
  md5[name] = (message) => new Hasher().update(message)[name]();
  hmac[name] = (key, message) => new Hasher(key).update(message)[name]();
}
md5.md5 = md5;
md5.hmac = hmac;

module.exports = md5;
