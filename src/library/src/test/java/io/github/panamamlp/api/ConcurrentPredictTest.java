package io.github.panamamlp.api;

import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.data.Dataset;
import io.github.panamamlp.data.LabeledImages;
import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.tensor.Matrix;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What {@link Model}'s Javadoc promises: one trained model serves predictions from several Java threads
 * at once, and every thread gets bit for bit what a single thread gets — with OpenBLAS on one thread, on
 * two threads of its own, and with the thread policy choosing per product. And closing a model while
 * threads predict fails cleanly, never crashes.
 */
class ConcurrentPredictTest {
    private static final int JAVA_THREADS = 4;
    /** Rows per call: different GEMM shapes, which OpenBLAS splits differently between its threads. */
    private static final int[] ROWS = {1, 7, 32, 100, 257, 1000};
    private static final int IMAGES = 64;

    private static Dataset mnist;
    private static Model model;

    @BeforeAll
    static void trainOneModel() {
        mnist = Mnist.load();
        model = trainedModel(mnist.train().head(6000));
    }

    @AfterAll
    static void closeModel() {
        if (model != null) {
            model.close();
        }
    }

    private static Model trainedModel(LabeledImages train) {
        Model m = Model.builder(784).dense(50, Activation.SIGMOID).dense(10, Activation.SOFTMAX).seed(3).build();
        try (Trainer t = new Trainer(m, new Adam(1e-3))) {
            t.fit(train, null, 1, 32, 3);
        }
        return m;
    }

    /** Test images {@code from … from+rows-1} as one matrix. */
    private static Matrix batch(int from, int rows) {
        Matrix x = Matrix.allocate(rows, 784);
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = from + i;
        }
        mnist.test().fillBatch(order, 0, rows, x, new int[rows]);
        return x;
    }

    /** Stops the workers and waits for them, so no native call still uses the inputs when they are closed. */
    private static void stop(ExecutorService pool) throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "the predicting threads stopped");
    }

    private static boolean sameBits(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * With 0 the thread policy decides per product: on a machine with 2 or more cores the 100-, 257- and
     * 1000-row products get more threads than the smaller ones, so the threads' products need different
     * process-wide counts at the same time, and each must still run with its own.
     */
    @ParameterizedTest(name = "OpenBLAS threads = {0} (0: the policy)")
    @ValueSource(ints = {0, 1, 2})
    void oneModelServesFourThreadsAndEachGetsTheSingleThreadedResult(int blasThreads) throws Exception {
        var before = OpenBlas.forcedThreads();
        List<Matrix> inputs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(JAVA_THREADS);
        try {
            if (blasThreads == 0) {
                OpenBlas.setThreadsAuto();
            } else {
                assertEquals(blasThreads, OpenBlas.setThreads(blasThreads));
            }
            // The expected results: every input predicted once, on this thread alone.
            double[][] expected = new double[ROWS.length][];
            for (int i = 0; i < ROWS.length; i++) {
                inputs.add(batch(i * 1000, ROWS[i]));
                try (Matrix p = model.predict(inputs.get(i))) {
                    expected[i] = p.toArray();
                }
            }
            double[][] images = new double[IMAGES][];
            double[][] expectedImage = new double[IMAGES][];
            int[] expectedClass = new int[IMAGES];
            for (int j = 0; j < IMAGES; j++) {
                images[j] = mnist.test().images().imageAsDoubles(8000 + j);
                expectedImage[j] = model.predict(images[j]);
                expectedClass[j] = model.predictClass(images[j]);
            }

            // Four threads at once on the same model and the same (read-only) inputs, each in its own order.
            int rounds = 60;
            CyclicBarrier start = new CyclicBarrier(JAVA_THREADS);
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < JAVA_THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int calls = 0;
                    for (int r = 0; r < rounds; r++) {
                        int i = (r * (thread + 1) + thread) % ROWS.length;
                        try (Matrix p = model.predict(inputs.get(i))) {
                            if (!sameBits(p.toArray(), expected[i])) {
                                return "thread " + thread + " round " + r + ": " + ROWS[i] + "-row prediction differs";
                            }
                        }
                        int j = (r * 7 + thread * 13) % IMAGES;
                        if (!sameBits(model.predict(images[j]), expectedImage[j]) || model.predictClass(images[j]) != expectedClass[j]) {
                            return "thread " + thread + " round " + r + ": image " + j + " differs";
                        }
                        calls += 3;
                    }
                    return "ok " + calls;
                }));
            }
            for (Future<String> f : results) {
                assertEquals("ok " + 3 * rounds, f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            stop(pool);
            inputs.forEach(Matrix::close);
            before.ifPresentOrElse(OpenBlas::setThreads, OpenBlas::setThreadsAuto);
        }
    }

    @Test
    void closingAModelWhileThreadsPredictFailsCleanlyAndFreesIt() throws Exception {
        Model doomed = trainedModel(mnist.train().head(500));
        ExecutorService pool = Executors.newFixedThreadPool(JAVA_THREADS);
        try (Matrix x = batch(0, 100)) {
            CountDownLatch warm = new CountDownLatch(JAVA_THREADS * 20);
            AtomicBoolean wrongResult = new AtomicBoolean();
            double[] expected;
            try (Matrix p = doomed.predict(x)) {
                expected = p.toArray();
            }
            List<Future<Throwable>> results = new ArrayList<>();
            for (int t = 0; t < JAVA_THREADS; t++) {
                results.add(pool.submit(() -> {
                    // Predicts until the model is gone; returns what stopped it.
                    while (true) {
                        try (Matrix p = doomed.predict(x)) {
                            if (!sameBits(p.toArray(), expected)) {
                                wrongResult.set(true);
                            }
                        } catch (Throwable e) {
                            return e;
                        }
                        warm.countDown();
                    }
                }));
            }
            assertTrue(warm.await(60, TimeUnit.SECONDS), "the threads are predicting");
            // The arena refuses to close while a thread is inside a native call on its memory; the model
            // stays open then, and closing again later succeeds.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!doomed.isClosed()) {
                try {
                    doomed.close();
                } catch (IllegalStateException busy) {
                    if (System.nanoTime() > deadline) {
                        fail("the model could not be closed in 30 s: " + busy);
                    }
                }
            }
            for (Future<Throwable> f : results) {
                Throwable stopped;
                try {
                    stopped = f.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError("a predicting thread died", e.getCause());
                }
                // Either checkOpen saw the closed model or FFM refused access to the freed memory.
                assertInstanceOf(IllegalStateException.class, stopped, () -> "stopped by " + stopped);
            }
            assertTrue(!wrongResult.get(), "every prediction before the close was right");
            assertThrows(IllegalStateException.class, () -> doomed.predict(x));
        } finally {
            stop(pool);
            doomed.close();
        }
    }
}
