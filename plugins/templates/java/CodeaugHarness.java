// codeaug's harness for `calls` tests in Java (copied into each job as CodeaugHarness.java,
// compiled together with the candidate's Solution.java).
//
// The plugin fills in the marked places: the TupleN records the signature needs, the number
// of cases, one `case i: return caseI();` per case, and one static method per case that
// calls the entry point with the arguments rendered as Java literals (one method each keeps
// every case within the JVM's 64 KB per-method limit). Expected values never enter the job: each
// case's return value is printed as JSON (protocol: codeaug/calls.py) and the host compares.

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.*;

@@TYPES@@
public class CodeaugHarness {
    static final String CASE = "@@codeaug-case@@";
    static final String DONE = "@@codeaug-done@@";
    static final int CASES = @@COUNT@@;
    static PrintStream out;

    public static void main(String[] args) {
        // One UTF-8 stream for the candidate's prints and the reports, so they never
        // overtake each other.
        out = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
                              StandardCharsets.UTF_8);
        System.setOut(out);
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true,
                                      StandardCharsets.UTF_8));
        for (int i = 0; i < CASES; i++) {
            runCase(i);
        }
        out.print("\n" + DONE + "\n");
        out.flush();
        System.exit(0);  // threads the candidate left running must not hold the JVM up
    }

    static void runCase(int index) {
        Object result;
        try {
            result = call(index);
        } catch (OutOfMemoryError e) {
            out.flush();
            throw e;  // uncaught: the verdict is memory_limit, as for a code test
        } catch (Throwable e) {
            report(index, "raised", quote(e.toString()));
            return;
        }
        String json;
        try {
            StringBuilder sb = new StringBuilder();
            toJson(result, sb);
            json = sb.toString();
        } catch (RuntimeException e) {
            report(index, "unserializable", quote(String.valueOf(e.getMessage())));
            return;
        }
        report(index, "ok", json);
    }

    static void report(int index, String kind, String payload) {
        out.print("\n" + CASE + " " + index + " " + kind + " " + payload + "\n");
        out.flush();
    }

    static Object call(int index) throws Throwable {
        switch (index) {
@@DISPATCH@@
            default: throw new IllegalStateException("no case " + index);
        }
    }

@@CASES@@

    // ------------------------------------------------------------------ JSON printer

    static void toJson(Object value, StringBuilder sb) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Optional<?> o) {
            toJson(o.orElse(null), sb);
        } else if (value instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (value instanceof Double d) {
            sb.append(formatDouble(d));
        } else if (value instanceof Float f) {
            sb.append(formatDouble(f.doubleValue()));
        } else if (value instanceof Number n) {  // Long, Integer, Short, Byte, BigInteger
            sb.append(n.toString());
        } else if (value instanceof CharSequence || value instanceof Character) {
            sb.append(quote(value.toString()));
        } else if (value instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                sb.append(quote(jsonKey(e.getKey()))).append(':');
                toJson(e.getValue(), sb);
            }
            sb.append('}');
        } else if (value instanceof Iterable<?> it) {  // List, Set, other collections
            sb.append('[');
            boolean first = true;
            for (Object item : it) {
                if (!first) sb.append(',');
                first = false;
                toJson(item, sb);
            }
            sb.append(']');
        } else if (value.getClass().isArray()) {
            sb.append('[');
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                if (i > 0) sb.append(',');
                toJson(Array.get(value, i), sb);
            }
            sb.append(']');
        } else if (value.getClass().isRecord()) {  // TupleN, or the candidate's own record
            sb.append('[');
            RecordComponent[] parts = value.getClass().getRecordComponents();
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) sb.append(',');
                try {
                    java.lang.reflect.Method accessor = parts[i].getAccessor();
                    accessor.setAccessible(true);
                    toJson(accessor.invoke(value), sb);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalArgumentException("cannot read record component: " + e);
                }
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException(
                "a " + value.getClass().getName() + " is not a JSON value");
        }
    }

    static String jsonKey(Object key) {
        if (key instanceof Optional<?> o) return jsonKey(o.orElse(null));
        if (key instanceof String || key instanceof Character) return key.toString();
        if (key instanceof Boolean) return key.toString();
        if (key instanceof Double d) return formatDouble(d);
        if (key instanceof Float f) return formatDouble(f.doubleValue());
        if (key instanceof Number) return key.toString();
        throw new IllegalArgumentException(
            "a " + (key == null ? "null" : key.getClass().getName()) + " dict key is not a JSON key");
    }

    static String formatDouble(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        String s = Double.toString(d);  // "1.0E10" is valid JSON
        if (Double.doubleToRawLongBits(Double.parseDouble(s)) != Double.doubleToRawLongBits(d)) {
            s = String.format(Locale.ROOT, "%.17g", d);  // never needed in practice; exact
        }
        return s;
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    boolean lone = Character.isHighSurrogate(c)
                        ? !(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                        : Character.isLowSurrogate(c)
                            && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 || lone) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
