package io.github.panamamlp.blas;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The thread policy's rule, its gate, and the forced count that overrides it. */
class ThreadPolicyTest {

    @Test
    void oneThreadPerMillionAndAHalfMultiplyAddsWithinTheCeiling() {
        // The default preset's products (batch 32): 1 thread even on a large machine.
        assertEquals(1, ThreadPolicy.threadsFor(32, 50, 784, 64));
        assertEquals(1, ThreadPolicy.threadsFor(784, 50, 32, 64));
        // The tutorial preset's (batch 100, 3.9 M multiply-adds): 2.
        assertEquals(2, ThreadPolicy.threadsFor(784, 50, 100, 64));
        // Large products use the cores there are, and never more than the ceiling.
        assertEquals(2, ThreadPolicy.threadsFor(128, 512, 784, 2));
        assertEquals(34, ThreadPolicy.threadsFor(128, 512, 784, 64)); // 51.4 M multiply-adds
        assertEquals(64, ThreadPolicy.threadsFor(1000, 1000, 1000, 64));
        assertEquals(1, ThreadPolicy.threadsFor(1000, 1000, 1000, 1));
        assertEquals(1, ThreadPolicy.threadsFor(0, 10, 10, 8));
    }

    /** A float multiply-add counts half: the batch-100 products that get 2 threads in float64 get 1 in float32. */
    @Test
    void singlePrecisionNeedsTwiceTheWorkPerThread() {
        assertEquals(2, ThreadPolicy.threadsFor(784, 50, 100, 64, false));
        assertEquals(1, ThreadPolicy.threadsFor(784, 50, 100, 64, true));
        assertEquals(34, ThreadPolicy.threadsFor(128, 512, 784, 64, false));
        assertEquals(17, ThreadPolicy.threadsFor(128, 512, 784, 64, true));
        assertEquals(64, ThreadPolicy.threadsFor(1000, 1000, 1000, 64, true));
        assertEquals(ThreadPolicy.threadsFor(128, 512, 784, 64), ThreadPolicy.threadsFor(128, 512, 784, 64, false));
    }

    @Test
    void forcedCountOverridesThePolicyUntilAutoIsBack() {
        var before = OpenBlas.forcedThreads();
        try {
            OpenBlas.setThreads(1);
            assertEquals(1, OpenBlas.threadsFor(4000, 4000, 4000));
            assertEquals(1, OpenBlas.forcedThreads().orElseThrow());
            assertEquals(1, OpenBlas.info().threads());
            OpenBlas.setThreadsAuto();
            assertTrue(OpenBlas.forcedThreads().isEmpty());
            assertEquals(OpenBlas.maxThreads(), OpenBlas.threadsFor(4000, 4000, 4000));
            assertEquals(1, OpenBlas.threadsFor(32, 50, 784));
            assertEquals(OpenBlas.maxThreads(), OpenBlas.info().threads());
        } finally {
            before.ifPresentOrElse(OpenBlas::setThreads, OpenBlas::setThreadsAuto);
        }
    }

    /** Callers wanting different counts never run at the same time, and each runs with the count it asked for. */
    @Test
    void theGateNeverChangesTheCountUnderARunningCall() throws Exception {
        AtomicInteger set = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicReference<String> wrong = new AtomicReference<>();
        ThreadGate gate = new ThreadGate(n -> {
            if (running.get() != 0) {
                wrong.compareAndSet(null, "count set to " + n + " while " + running.get() + " calls run");
            }
            set.set(n);
        });
        int threads = 6;
        int calls = 3000;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int want = 1 + t % 3;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    wrong.compareAndSet(null, e.toString());
                    return;
                }
                for (int i = 0; i < calls; i++) {
                    gate.enter(want);
                    running.incrementAndGet();
                    if (set.get() != want) {
                        wrong.compareAndSet(null, "a call for " + want + " threads ran with " + set.get());
                    }
                    Thread.onSpinWait();
                    running.decrementAndGet();
                    gate.exit();
                }
            }));
        }
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!w.isAlive(), "a caller starved or deadlocked");
        }
        assertNull(wrong.get());
    }
}
