// ---- codeaug io main: read the arguments from stdin, print the result ----
(() => {
  const params = __CODEAUG_PARAMS__;
  const returns = __CODEAUG_RETURNS__;
  const batch = __CODEAUG_BATCH__, onePerLine = __CODEAUG_ONE_PER_LINE__;
  const trueWord = __CODEAUG_TRUE__, falseWord = __CODEAUG_FALSE__;
  const data = require("fs").readFileSync(0, "utf8");
  let pos = 0, lineStart = true;
  const isSpace = (c) => c === " " || c === "\t" || c === "\r" || c === "\n";
  const token = () => {
    while (pos < data.length && isSpace(data[pos])) pos++;
    const start = pos;
    while (pos < data.length && !isSpace(data[pos])) pos++;
    if (start === pos) throw new Error("codeaug io: unexpected end of input");
    lineStart = false;
    return data.slice(start, pos);
  };
  const line = () => {
    if (!lineStart) {
      const nl = data.indexOf("\n", pos);
      pos = nl < 0 ? data.length : nl + 1;
    }
    let end = data.indexOf("\n", pos);
    if (end < 0) end = data.length;
    const text = data.slice(pos, end);
    pos = Math.min(end + 1, data.length);
    lineStart = true;
    return text;
  };
  const read = ([name, args]) => {
    switch (name) {
      case "int": case "float": return Number(token());
      case "bool": {
        const w = token();
        if (w !== trueWord && w !== falseWord) throw new Error("codeaug io: not a bool: " + w);
        return w === trueWord;
      }
      case "str": return line();
      case "list": case "set": {
        const n = Number(token());
        const items = [];
        for (let i = 0; i < n; i++) items.push(read(args[0]));
        return name === "set" ? new Set(items) : items;
      }
      case "tuple": return args.map((a) => read(a));
      case "dict": {  // str keys: a plain object (as HumanEval-X expects); int keys: a Map
        const n = Number(token());
        const m = args[0][0] === "str" ? {} : new Map();
        for (let i = 0; i < n; i++) {
          const k = read(args[0]);
          const v = read(args[1]);
          if (m instanceof Map) m.set(k, v); else m[k] = v;
        }
        return m;
      }
      case "optional": return token() === "1" ? read(args[0]) : null;
    }
    throw new Error("codeaug io: no reader for " + name);
  };
  // Python's repr of a double, from the shortest round-trip digits.
  const pyFloat = (x) => {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    const sci = x.toExponential();
    const neg = sci[0] === "-";
    const [mant, e] = (neg ? sci.slice(1) : sci).split("e");
    let digits = mant.replace(".", "").replace(/0+$/, "");
    if (digits === "") digits = "0";
    let decpt = Number(e) + 1;
    if (digits.length > 12) {  // at most 12 significant digits, rounded half-up
      const d = digits.slice(0, 12).split("").map(Number);
      if (digits[12] >= "5") {
        let i = 11;
        while (i >= 0 && d[i] === 9) { d[i] = 0; i--; }
        if (i < 0) { d.unshift(1); d.pop(); decpt++; } else d[i]++;
      }
      digits = d.join("").replace(/0+$/, "") || "0";
    }
    let body;
    if (decpt > -4 && decpt <= 16) {
      if (decpt <= 0) body = "0." + "0".repeat(-decpt) + digits;
      else if (decpt >= digits.length) body = digits + "0".repeat(decpt - digits.length) + ".0";
      else body = digits.slice(0, decpt) + "." + digits.slice(decpt);
    } else {
      const ex = decpt - 1;
      body = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "") + "e" +
        (ex < 0 ? "-" : "+") + String(Math.abs(ex)).padStart(2, "0");
    }
    return (neg ? "-" : "") + body;
  };
  const cmpStr = (a, b) => {
    const x = Array.from(a, (c) => c.codePointAt(0)), y = Array.from(b, (c) => c.codePointAt(0));
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  };
  const cmp = (a, b) => (typeof a === "string" ? cmpStr(a, b) : a < b ? -1 : a > b ? 1 : 0);
  const inline = (t) => t[0] === "int" || t[0] === "float" || t[0] === "bool";
  const tok = (v, t) => {
    if (t[0] === "int") {
      if (typeof v === "bigint") return v.toString();
      return Number.isInteger(v) ? String(v) : "not-an-int:" + String(v);
    }
    if (t[0] === "float") return pyFloat(Number(v));
    return v ? trueWord : falseWord;
  };
  const group = (tokens, out) => {
    if (tokens.length) out.push(...(onePerLine ? tokens : [tokens.join(" ")]));
  };
  const write = (v, t, out) => {
    const [name, args] = t;
    if (inline(t)) out.push(tok(v, t));
    else if (name === "str") out.push(String(v));
    else if (name === "list" || name === "set") {
      const items = Array.from(v);
      if (name === "set") items.sort(cmp);
      out.push(String(items.length));
      if (inline(args[0])) group(items.map((x) => tok(x, args[0])), out);
      else for (const x of items) write(x, args[0], out);
    } else if (name === "tuple") {
      const items = Array.from(v);
      if (args.every(inline)) group(items.map((x, i) => tok(x, args[i])), out);
      else items.forEach((x, i) => write(x, args[i], out));
    } else if (name === "dict") {
      let entries = v instanceof Map ? Array.from(v.entries()) : Object.entries(v);
      if (args[0][0] === "int") entries = entries.map(([k, x]) => [Number(k), x]);
      entries.sort((a, b) => cmp(a[0], b[0]));
      out.push(String(entries.length));
      for (const [k, x] of entries) {
        if (inline(args[0]) && inline(args[1])) group([tok(k, args[0]), tok(x, args[1])], out);
        else { write(k, args[0], out); write(x, args[1], out); }
      }
    } else if (name === "optional") {
      if (v === null || v === undefined) out.push("0");
      else { out.push("1"); write(v, args[0], out); }
    } else throw new Error("codeaug io: no writer for " + name);
  };
  const out = [];
  const count = batch ? Number(token()) : 1;
  for (let c = 0; c < count; c++) {
    const args = params.map((t) => read(t));
    write(__CODEAUG_ENTRY__(...args), returns, out);
  }
  process.stdout.write(out.map((x) => x + "\n").join(""));
})();
