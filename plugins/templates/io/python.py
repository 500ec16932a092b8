# ---- codeaug io main: read the arguments from stdin, print the result ----
def _codeaug_io_main():
    import sys

    params = __CODEAUG_PARAMS__
    returns = __CODEAUG_RETURNS__
    batch, one_per_line = __CODEAUG_BATCH__, __CODEAUG_ONE_PER_LINE__
    true_word, false_word = __CODEAUG_TRUE__, __CODEAUG_FALSE__
    data = sys.stdin.buffer.read().decode("utf-8")
    state = {"pos": 0, "line_start": True}
    space = " \t\r\n"

    def token():
        pos = state["pos"]
        while pos < len(data) and data[pos] in space:
            pos += 1
        start = pos
        while pos < len(data) and data[pos] not in space:
            pos += 1
        if start == pos:
            raise EOFError("codeaug io: unexpected end of input")
        state["pos"], state["line_start"] = pos, False
        return data[start:pos]

    def line():
        pos = state["pos"]
        if not state["line_start"]:
            end = data.find("\n", pos)
            pos = len(data) if end < 0 else end + 1
        end = data.find("\n", pos)
        end = len(data) if end < 0 else end
        state["pos"], state["line_start"] = min(end + 1, len(data)), True
        return data[pos:end]

    def read(t):
        name, args = t
        if name == "int":
            return int(token())
        if name == "float":
            return float(token())
        if name == "bool":
            word = token()
            if word not in (true_word, false_word):
                raise ValueError("codeaug io: not a bool: " + word)
            return word == true_word
        if name == "str":
            return line()
        if name in ("list", "set"):
            items = [read(args[0]) for _ in range(int(token()))]
            return set(items) if name == "set" else items
        if name == "tuple":
            return tuple(read(a) for a in args)
        if name == "dict":
            out = {}
            for _ in range(int(token())):
                key = read(args[0])
                out[key] = read(args[1])
            return out
        if name == "optional":
            return read(args[0]) if token() == "1" else None
        raise TypeError("codeaug io: no reader for " + name)

    inline = ("int", "float", "bool")

    def py_float(x):
        text = repr(float(x))
        if text in ("nan", "inf", "-inf"):
            return text
        sign = "-" if text.startswith("-") else ""
        mantissa, _, exp = text.lstrip("-").partition("e")
        plain = mantissa.replace(".", "")
        point = mantissa.index(".") if "." in mantissa else len(mantissa)
        digits = plain.lstrip("0")
        decpt = int(exp or 0) + point - (len(plain) - len(digits))
        digits = digits.rstrip("0")
        if not digits:
            return sign + "0.0"
        if len(digits) > 12:
            head = digits[:12]
            if digits[12] >= "5":
                head = str(int(head) + 1)
                if len(head) > 12:
                    head, decpt = head[:12], decpt + 1
            digits = head.rstrip("0")
        if -4 < decpt <= 16:
            if decpt <= 0:
                return sign + "0." + "0" * -decpt + digits
            if decpt >= len(digits):
                return sign + digits + "0" * (decpt - len(digits)) + ".0"
            return sign + digits[:decpt] + "." + digits[decpt:]
        e = decpt - 1
        return (sign + digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
                + "e" + ("-" if e < 0 else "+") + "%02d" % abs(e))

    def tok(v, t):
        if t[0] == "int":
            return str(v) if isinstance(v, int) else repr(v)
        if t[0] == "float":
            return py_float(v)
        return true_word if v else false_word

    def group(tokens, out):
        if tokens:
            out.extend(tokens if one_per_line else [" ".join(tokens)])

    def write(v, t, out):
        name, args = t
        if name in inline:
            out.append(tok(v, t))
        elif name == "str":
            out.append(v)
        elif name in ("list", "set"):
            items = sorted(v) if name == "set" else list(v)
            out.append(str(len(items)))
            if args[0][0] in inline:
                group([tok(x, args[0]) for x in items], out)
            else:
                for x in items:
                    write(x, args[0], out)
        elif name == "tuple":
            v = list(v)
            if len(v) != len(args):
                raise ValueError("codeaug io: a tuple of the wrong length")
            if all(a[0] in inline for a in args):
                group([tok(x, a) for x, a in zip(v, args)], out)
            else:
                for x, a in zip(v, args):
                    write(x, a, out)
        elif name == "dict":
            out.append(str(len(v)))
            for key in sorted(v):
                if args[0][0] in inline and args[1][0] in inline:
                    group([tok(key, args[0]), tok(v[key], args[1])], out)
                else:
                    write(key, args[0], out)
                    write(v[key], args[1], out)
        elif name == "optional":
            if v is None:
                out.append("0")
            else:
                out.append("1")
                write(v, args[0], out)
        else:
            raise TypeError("codeaug io: no writer for " + name)

    out = []
    for _ in range(int(token()) if batch else 1):
        arguments = [read(t) for t in params]
        write(__CODEAUG_ENTRY__(*arguments), returns, out)
    sys.stdout.flush()
    sys.stdout.buffer.write("".join(x + "\n" for x in out).encode("utf-8"))
    sys.stdout.buffer.flush()


_codeaug_io_main()
