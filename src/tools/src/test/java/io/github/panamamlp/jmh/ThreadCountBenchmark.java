package io.github.panamamlp.jmh;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.blas.Transpose;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One product at a forced OpenBLAS thread count, called over and over: the network's products at batch 32,
 * 100 and 256, and wider layers'. Shapes are "m,n,k,transA,transB" as the product C (m×n) = op(A)·op(B)
 * sees them. Run with {@code make jmh JMH_ARGS='-f 1 -wi 3 -i 5 -w 1s -r 1s ThreadCountBenchmark'} and compare
 * the two counts per shape.
 *
 * <p>Alone, a product tells only part of the story: on the 2-vCPU AMD EPYC the forward products m×50×784
 * were faster on 2 threads at every batch (32: 66 against 49 µs), the weight gradients 784×50×batch slower
 * (100: 193 against 381 µs); in training, OpenBLAS's second thread also spins between products and slows
 * the rest of the step. The thread policy's rule ({@code blas.ThreadPolicy}) was set from whole epochs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class ThreadCountBenchmark {
    /** m,n,k,transA,transB. */
    @Param({"32,50,784,N,N", "784,50,32,T,N", "100,50,784,N,N", "784,50,100,T,N", "256,50,784,N,N",
            "128,128,784,N,N", "784,512,32,T,N", "1000,128,128,N,N", "1000,50,784,N,N", "128,512,784,N,N",
            "784,512,128,T,N", "256,1024,1024,N,N"})
    public String shape;

    /** OpenBLAS threads, forced. */
    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment c;
    private int m;
    private int n;
    private int k;
    private boolean ta;
    private boolean tb;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split(",");
        m = Integer.parseInt(p[0]);
        n = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        ta = p[3].equals("T");
        tb = p[4].equals("T");
        arena = Arena.ofConfined();
        a = random((long) m * k, 1);
        b = random((long) k * n, 2);
        c = arena.allocate((long) m * n * Double.BYTES, 64);
        OpenBlas.setThreads(threads);
    }

    private MemorySegment random(long count, long seed) {
        MemorySegment s = arena.allocate(count * Double.BYTES, 64);
        Random rnd = new Random(seed);
        for (long i = 0; i < count; i++) {
            s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, rnd.nextDouble());
        }
        return s;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        OpenBlas.setThreadsAuto();
        arena.close();
    }

    /** C = op(A)·op(B). */
    @Benchmark
    public void product() {
        Blas.openBlas().dgemm(Transpose.of(ta), Transpose.of(tb), m, n, k, 1.0, a, 0, ta ? m : k, b, 0, tb ? k : n,
                0.0, c, 0, n);
    }
}
