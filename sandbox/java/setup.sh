# Runs as root at image build (no network): warms javac's start-up.
#
# javac is a JVM program that loads ~2,500 classes of jdk.compiler on every run. A
# dynamic AppCDS archive of those classes (on top of the JDK's default CDS archive)
# lets each compile map them instead of loading and verifying them: the plugin passes
# -J-XX:SharedArchiveFile=/opt/codeaug/java/javac.jsa (plugins/java_language.py). The
# archive is trained by compiling a program that uses what solutions use (generics,
# lambdas, streams, records, switch, string concatenation, inner classes), with the
# same JVM options as the plugin's javac. A missing or mismatched archive only costs
# speed: the JVM ignores it (-Xshare:auto).
set -eu
OUT=/opt/codeaug/java
mkdir -p "$OUT" /tmp/cds-train
cd /tmp/cds-train
cat > Train.java <<'JAVA'
import java.util.*;
import java.util.function.*;
import java.util.stream.*;
import java.math.BigInteger;
import java.security.MessageDigest;

record Pair<A, B>(A first, B second) {}

class Solution {
    enum Kind { A, B }
    interface Shape { double area(); }
    static class Box<T extends Comparable<T>> { T v; Box(T v) { this.v = v; } }

    public Optional<String> longest(List<String> xs) {
        return xs.stream().max(Comparator.comparingInt(String::length));
    }
    public List<Long> sorted(List<Long> xs) {
        List<Long> out = new ArrayList<>(xs);
        Collections.sort(out, (a, b) -> Long.compare(b, a));
        return out.stream().filter(x -> x % 2 == 0).map(x -> x * 2).collect(Collectors.toList());
    }
    public Map<String, Integer> count(String s) {
        Map<String, Integer> m = new HashMap<>();
        for (String w : s.split("\\s+")) m.merge(w, 1, Integer::sum);
        return m;
    }
    public String describe(Object o, Kind k) {
        switch (k) {
            case A: return "a" + o + 1 + 2.5 + 'c';
            default: return String.format("%s-%d", o, 3) + String.join(",", List.of("x"));
        }
    }
    public int[] arr(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i * i;
        Arrays.sort(a);
        return a;
    }
    public String md5(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes());
        return new BigInteger(1, d).toString(16);
    }
    public double shape() {
        Shape sq = () -> 4.0;
        Function<Integer, Integer> f = x -> x + 1;
        BiFunction<Long, Long, Long> g = Long::sum;
        Supplier<Set<Integer>> s = TreeSet::new;
        return sq.area() + f.apply(1) + g.apply(1L, 2L) + s.get().size()
            + IntStream.range(0, 10).sum() + new Box<>("x").v.length();
    }
}

public class Train {
    public static void main(String[] args) throws Exception {
        Solution s = new Solution();
        List<Boolean> correct = Arrays.asList(
            s.longest(new ArrayList<>(Arrays.asList("a", "bb"))).get().equals("bb"),
            s.sorted(Arrays.asList(1L, 2L)).equals(List.of(4L)),
            Objects.equals(s.count("a b a").get("a"), 2),
            new Pair<>(1, "x").first() == 1
        );
        if (correct.contains(false)) {
            throw new AssertionError();
        }
        try {
            System.out.println(s.describe(s.shape(), Solution.Kind.A) + s.md5("x"));
        } catch (RuntimeException e) {
            throw new IllegalStateException(e);
        }
    }
}
JAVA
JVM="-J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC -J-XX:-UsePerfData -J-Xss16m -J-XX:MaxRAMPercentage=50"
OPTS="-encoding UTF-8 -proc:none -implicit:none -Xlint:none -nowarn -Xmaxerrs 20 -d ."
# shellcheck disable=SC2086
javac $JVM -J-XX:ArchiveClassesAtExit="$OUT/javac.jsa" $OPTS Train.java
java -XX:+UseSerialGC -XX:-UsePerfData Train >/dev/null
chmod 0644 "$OUT/javac.jsa"
cd /
rm -rf /tmp/cds-train
ls -l "$OUT"
