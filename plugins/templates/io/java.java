// ---- codeaug io main: read the arguments from stdin, print the result ----
// Reflection: the entry point's declared (generic) parameter types say how to read,
// the result's runtime classes how to print.
public class Main {
    static final String ENTRY = "__CODEAUG_ENTRY__";
    static final boolean BATCH = __CODEAUG_BATCH__;
    static final boolean ONE_PER_LINE = __CODEAUG_ONE_PER_LINE__;
    static final String TRUE_WORD = "__CODEAUG_TRUE__";
    static final String FALSE_WORD = "__CODEAUG_FALSE__";
    static String data;
    static int pos = 0;
    static boolean lineStart = true;

    static boolean space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

    static String token() {
        while (pos < data.length() && space(data.charAt(pos))) pos++;
        int start = pos;
        while (pos < data.length() && !space(data.charAt(pos))) pos++;
        if (start == pos) throw new IllegalStateException("codeaug io: unexpected end of input");
        lineStart = false;
        return data.substring(start, pos);
    }

    static String line() {
        if (!lineStart) {
            int nl = data.indexOf('\n', pos);
            pos = nl < 0 ? data.length() : nl + 1;
        }
        int end = data.indexOf('\n', pos);
        if (end < 0) end = data.length();
        String text = data.substring(pos, end);
        pos = Math.min(end + 1, data.length());
        lineStart = true;
        return text;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object read(java.lang.reflect.Type type) throws Exception {
        if (type instanceof java.lang.reflect.WildcardType w) return read(w.getUpperBounds()[0]);
        if (type instanceof Class<?> c) {
            if (c == int.class || c == Integer.class) return Integer.parseInt(token());
            if (c == long.class || c == Long.class) return Long.parseLong(token());
            if (c == short.class || c == Short.class) return Short.parseShort(token());
            if (c == byte.class || c == Byte.class) return Byte.parseByte(token());
            if (c == double.class || c == Double.class) return Double.parseDouble(token());
            if (c == float.class || c == Float.class) return Float.parseFloat(token());
            if (c == boolean.class || c == Boolean.class) {
                String w = token();
                if (!w.equals(TRUE_WORD) && !w.equals(FALSE_WORD))
                    throw new IllegalArgumentException("codeaug io: not a bool: " + w);
                return w.equals(TRUE_WORD);
            }
            if (c == String.class || c == CharSequence.class) return line();
            if (c == java.math.BigInteger.class) return new java.math.BigInteger(token());
            if (c.isArray()) {
                int n = Integer.parseInt(token());
                Object array = java.lang.reflect.Array.newInstance(c.getComponentType(), n);
                for (int i = 0; i < n; i++) java.lang.reflect.Array.set(array, i, read(c.getComponentType()));
                return array;
            }
            throw new IllegalArgumentException("codeaug io: cannot read a " + c.getName());
        }
        if (type instanceof java.lang.reflect.ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            java.lang.reflect.Type[] a = p.getActualTypeArguments();
            if (raw == java.util.Optional.class)
                return token().equals("1") ? java.util.Optional.of(read(a[0])) : java.util.Optional.empty();
            if (java.util.Map.class.isAssignableFrom(raw)) {
                java.util.Map m = raw.isInterface() ? new java.util.LinkedHashMap()
                        : (java.util.Map) raw.getDeclaredConstructor().newInstance();
                int n = Integer.parseInt(token());
                for (int i = 0; i < n; i++) {
                    Object k = read(a[0]);
                    m.put(k, read(a[1]));
                }
                return m;
            }
            if (java.util.Collection.class.isAssignableFrom(raw) || raw == Iterable.class) {
                java.util.Collection col;
                if (!raw.isInterface()) col = (java.util.Collection) raw.getDeclaredConstructor().newInstance();
                else if (java.util.Set.class.isAssignableFrom(raw)) col = new java.util.LinkedHashSet();
                else col = new java.util.ArrayList();
                int n = Integer.parseInt(token());
                for (int i = 0; i < n; i++) col.add(read(a[0]));
                return col;
            }
        }
        throw new IllegalArgumentException("codeaug io: cannot read a " + type);
    }

    static boolean inline(Object v) { return v instanceof Number || v instanceof Boolean; }

    static String pyFormat(java.math.BigDecimal r) {
        r = r.stripTrailingZeros();
        String digits = r.unscaledValue().abs().toString();
        int decpt = digits.length() - r.scale();
        String sign = r.signum() < 0 ? "-" : "";
        if (digits.length() > 12) {  // at most 12 significant digits, rounded half-up
            char[] d = digits.substring(0, 12).toCharArray();
            if (digits.charAt(12) >= '5') {
                int i = 11;
                while (i >= 0 && d[i] == '9') d[i--] = '0';
                if (i < 0) { d = ("1" + new String(d, 0, 11)).toCharArray(); decpt++; }
                else d[i]++;
            }
            digits = new String(d).replaceAll("0+$", "");
            if (digits.isEmpty()) digits = "0";
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) return sign + "0." + "0".repeat(-decpt) + digits;
            if (decpt >= digits.length()) return sign + digits + "0".repeat(decpt - digits.length()) + ".0";
            return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
        }
        int e = decpt - 1;
        return sign + digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "")
                + "e" + (e < 0 ? "-" : "+") + String.format("%02d", Math.abs(e));
    }

    // Python's repr: the shortest decimal that reads back as x (the nearest one of that
    // length; at a power of two a neighbour may be the only one that does).
    static String pyFloat(double x, boolean single) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        if (x == 0) return (1 / x < 0) ? "-0.0" : "0.0";
        java.math.BigDecimal exact = new java.math.BigDecimal(x);
        for (int p = 1; p <= 17; p++) {
            java.math.BigDecimal near = exact.round(new java.math.MathContext(p, java.math.RoundingMode.HALF_EVEN));
            java.math.BigDecimal best = null;
            for (java.math.BigDecimal cand : new java.math.BigDecimal[] {near, near.add(near.ulp()), near.subtract(near.ulp())}) {
                boolean back = single ? Float.parseFloat(cand.toString()) == (float) x
                        : Double.parseDouble(cand.toString()) == x;
                if (back && cand.stripTrailingZeros().precision() <= p
                        && (best == null || cand.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0))
                    best = cand;
            }
            if (best != null) return pyFormat(best);
        }
        return pyFormat(exact);
    }

    static String tok(Object v) {
        if (v instanceof Boolean b) return b ? TRUE_WORD : FALSE_WORD;
        if (v instanceof Double d) return pyFloat(d, false);
        if (v instanceof Float f) return pyFloat(f, true);
        return v.toString();
    }

    static int compareKeys(Object a, Object b) {
        if (a instanceof String s && b instanceof String t) {
            int i = 0, j = 0;
            while (i < s.length() && j < t.length()) {
                int x = s.codePointAt(i), y = t.codePointAt(j);
                if (x != y) return Integer.compare(x, y);
                i += Character.charCount(x);
                j += Character.charCount(y);
            }
            return Integer.compare(s.length() - i, t.length() - j);
        }
        if (a instanceof Number x && b instanceof Number y) {
            if (x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float)
                return Double.compare(x.doubleValue(), y.doubleValue());
            return new java.math.BigInteger(x.toString()).compareTo(new java.math.BigInteger(y.toString()));
        }
        if (a instanceof Boolean x && b instanceof Boolean y) return Boolean.compare(x, y);
        return a.toString().compareTo(b.toString());
    }

    static void group(java.util.List<String> out, java.util.List<String> tokens) {
        if (tokens.isEmpty()) return;
        if (ONE_PER_LINE) out.addAll(tokens);
        else out.add(String.join(" ", tokens));
    }

    static void writeItems(java.util.List<String> out, java.util.List<Object> items) {
        out.add(Integer.toString(items.size()));
        boolean allInline = items.stream().allMatch(Main::inline);
        if (allInline) {
            java.util.List<String> tokens = new java.util.ArrayList<>();
            for (Object v : items) tokens.add(tok(v));
            group(out, tokens);
        } else {
            for (Object v : items) write(out, v);
        }
    }

    static void write(java.util.List<String> out, Object v) {
        if (v == null) throw new IllegalStateException("codeaug io: the entry point returned null");
        if (inline(v)) out.add(tok(v));
        else if (v instanceof CharSequence || v instanceof Character) out.add(v.toString());
        else if (v instanceof java.util.Optional<?> o) {
            if (o.isEmpty()) out.add("0");
            else { out.add("1"); write(out, o.get()); }
        } else if (v instanceof java.util.Map<?, ?> m) {
            java.util.List<java.util.Map.Entry<?, ?>> entries = new java.util.ArrayList<>(m.entrySet());
            entries.sort((a, b) -> compareKeys(a.getKey(), b.getKey()));
            out.add(Integer.toString(entries.size()));
            for (java.util.Map.Entry<?, ?> e : entries) {
                if (inline(e.getKey()) && inline(e.getValue())) group(out, java.util.List.of(tok(e.getKey()), tok(e.getValue())));
                else { write(out, e.getKey()); write(out, e.getValue()); }
            }
        } else if (v instanceof java.util.Set<?> s) {
            java.util.List<Object> items = new java.util.ArrayList<>(s);
            items.sort(Main::compareKeys);
            writeItems(out, items);
        } else if (v instanceof java.util.Collection<?> c) {
            writeItems(out, new java.util.ArrayList<>(c));
        } else if (v.getClass().isArray()) {
            java.util.List<Object> items = new java.util.ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(v); i++) items.add(java.lang.reflect.Array.get(v, i));
            writeItems(out, items);
        } else {
            throw new IllegalStateException("codeaug io: cannot print a " + v.getClass().getName());
        }
    }

    public static void main(String[] args) throws Throwable {
        data = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        java.lang.reflect.Method method = null;
        for (java.lang.reflect.Method m : Solution.class.getDeclaredMethods())
            if (m.getName().equals(ENTRY) && (method == null || m.getParameterCount() > method.getParameterCount()))
                method = m;
        if (method == null) throw new NoSuchMethodException("codeaug io: Solution has no method " + ENTRY);
        method.setAccessible(true);
        Object target = null;
        if (!java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
            java.lang.reflect.Constructor<?> ctor = Solution.class.getDeclaredConstructor();
            ctor.setAccessible(true);
            target = ctor.newInstance();
        }
        java.lang.reflect.Type[] types = method.getGenericParameterTypes();
        java.util.List<String> out = new java.util.ArrayList<>();
        int count = BATCH ? Integer.parseInt(token()) : 1;
        for (int c = 0; c < count; c++) {
            Object[] values = new Object[types.length];
            for (int i = 0; i < types.length; i++) values[i] = read(types[i]);
            Object result;
            try {
                result = method.invoke(target, values);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
            write(out, result);
        }
        StringBuilder text = new StringBuilder();
        for (String s : out) text.append(s).append('\n');
        java.io.PrintStream stdout = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, java.nio.charset.StandardCharsets.UTF_8);
        stdout.print(text);
        stdout.flush();
    }
}
