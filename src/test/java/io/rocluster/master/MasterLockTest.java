package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterLockTest {

    @TempDir
    Path tmp;

    @Test
    void holdersNeverOverlapWithinOneProcess() throws Exception {
        Path lock = tmp.resolve(".lock");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            fs.add(pool.submit(() -> {
                try (MasterLock held = MasterLock.acquire(lock, null)) {
                    assertThat(held).isNotNull();
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.yield();
                    inside.decrementAndGet();
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        assertThat(maxInside.get()).isEqualTo(1);
    }

    @Test
    void concurrentPromotesInOneProcessLoseNothing() throws Exception {
        MasterFixture m = new MasterFixture(tmp);
        m.deployed("a");
        m.deployed("b");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String v = i % 2 == 0 ? "a" : "b";
            fs.add(pool.submit(() -> m.promote().promote(v, false, null)));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        List<HistoryEntry> h = new History(m.layout.history()).read();
        // Every entry leaves from where the previous one arrived, and generations only grow.
        for (int i = 1; i < h.size(); i++) {
            assertThat(h.get(i).from()).isEqualTo(h.get(i - 1).to());
            assertThat(h.get(i).generation()).isGreaterThan(h.get(i - 1).generation());
        }
        assertThat(h.get(h.size() - 1).to()).isEqualTo(new Versions(m.layout).active());
        assertThat(m.pxelinux()).contains("generation " + h.get(h.size() - 1).generation() + ",");
    }
}
