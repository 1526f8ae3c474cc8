package io.github.panamamlp.jmh;

import io.github.panamamlp.bench.TrainingSetup;
import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.internal.access.Access;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.tensor.Matrix;
import io.github.panamamlp.train.Trainer;
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

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * One whole training step ({@code Trainer.step}: forward, loss, backward, update) of 784 → 50 sigmoid → 10
 * for the two presets, cycling through 64 synthetic batches ({@link StepBatches}); every measurement
 * iteration starts again from the initial parameters, so thousands of steps never drive the network into
 * saturation (denormal numbers would make GEMM slow and the figure meaningless).
 *
 * <p>Run with {@code -prof gc}: gc.alloc.rate.norm stays at a few bytes per step, which are JMH's own
 * bookkeeping (a few KB per iteration, spread over its ~1,000 steps; the kernels' benchmarks, with far more
 * operations per iteration, show ~0.01 B/op). SteadyStateAllocationTest asserts the exact figure: 0 bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class TrainingStepBenchmark {
    /** A {@link Preset}: "default" (Glorot, Adam, batch 32) or "tutorial" (normal σ 0.01, SGD lr 0.1, batch 100). */
    @Param({"default", "tutorial"})
    public String setup;

    /** OpenBLAS threads. */
    @Param({"1"})
    public int threads;

    private static final int BATCHES = 64;

    private Model model;
    private Trainer trainer;
    private Matrix[] x;
    private int[][] y;
    private double[] initialParameters;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        TrainingSetup s = TrainingSetup.of(Preset.named(setup));
        OpenBlas.setThreads(threads);
        model = s.buildModel(784, 10, 1, Blas.openBlas());
        trainer = new Trainer(model, s.optimizer());
        initialParameters = model.parameterArray();
        StepBatches batches = StepBatches.of(BATCHES, s.batchSize());
        x = new Matrix[BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            x[b] = Matrix.of(batches.x()[b]);
        }
        y = batches.y();
    }

    /** Every iteration trains from the same starting point. */
    @Setup(Level.Iteration)
    public void resetParameters() {
        MemorySegment.copy(initialParameters, 0, Access.model(model).parameters(), ValueLayout.JAVA_DOUBLE, 0, initialParameters.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        model.close();
        for (Matrix m : x) {
            m.close();
        }
    }

    /** One step; returns the loss so it is not optimised away. */
    @Benchmark
    public double step() {
        int b = next;
        next = (b + 1) % BATCHES;
        return trainer.step(x[b], y[b], 0).loss();
    }
}
