import io.rocluster.master.MasterLayout;
import io.rocluster.master.PromoteService;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Benchmark probe, not a product: the latency of promote and rollback inside one JVM, i.e. the switch itself
 * (lock, boot menu generation, fsyncs, renames, history) without JVM start-up. Alternates
 * {@code promote TO} and {@code rollback} (back to the version active before) N times after a warm-up of 5
 * pairs, and prints one line per kind: {@code promote|rollback <n> <median ms> <p95 ms> <max ms>}.
 *
 * <p>Run: {@code java -cp target/rocluster.jar bench/SwitchLatency.java MASTER FROM TO N}; FROM must be
 * active when it starts, and is active again at the end.
 */
public final class SwitchLatency {

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: SwitchLatency MASTER FROM TO N");
            System.exit(2);
        }
        PromoteService s = new PromoteService(new MasterLayout(Path.of(args[0])), System.err);
        String from = args[1];
        String to = args[2];
        int n = Integer.parseInt(args[3]);
        for (int i = 0; i < 5; i++) {
            s.promote(to, false, "bench warm-up");
            s.rollback(null, "bench warm-up");
        }
        long[] promote = new long[n];
        long[] rollback = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            PromoteService.Result p = s.promote(to, false, "bench");
            long t1 = System.nanoTime();
            PromoteService.Result r = s.rollback(null, "bench");
            long t2 = System.nanoTime();
            if (!p.changed() || !r.changed() || !r.to().equals(from)) {
                throw new IllegalStateException("switch " + i + " did not alternate " + from + " and " + to);
            }
            promote[i] = t1 - t0;
            rollback[i] = t2 - t1;
        }
        print("promote", promote);
        print("rollback", rollback);
    }

    private static void print(String kind, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%s %d %.2f %.2f %.2f%n", kind, s.length, ms(percentile(s, 50)), ms(percentile(s, 95)),
                ms(s[s.length - 1]));
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
