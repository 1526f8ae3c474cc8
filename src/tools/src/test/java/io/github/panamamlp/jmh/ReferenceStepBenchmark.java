package io.github.panamamlp.jmh;

import io.github.panamamlp.bench.TrainingSetup;
import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.reference.ReferenceMlp;
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

import java.util.concurrent.TimeUnit;

/**
 * One training step of the pure-Java {@link ReferenceMlp} (forward, loss, backward, update on {@code double[][]}),
 * on exactly what {@link TrainingStepBenchmark} gives the native step: the same presets, the same initial
 * parameters (seed 1) and the same 64 synthetic batches ({@link StepBatches}), restarted from the initial parameters every iteration.
 * The two side by side: {@code make jmh JMH_ARGS=StepBenchmark}. ({@code panama-mlp bench} compares whole
 * epochs of the two, which this does not replace.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class ReferenceStepBenchmark {
    /** A {@link Preset}: "default" (Glorot, Adam, batch 32) or "tutorial" (normal σ 0.01, SGD lr 0.1, batch 100). */
    @Param({"default", "tutorial"})
    public String setup;

    private static final int BATCHES = 64;

    private TrainingSetup s;
    private Model initial;
    private ReferenceMlp ref;
    private double[][][] x;
    private int[][] y;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        s = TrainingSetup.of(Preset.named(setup));
        // The pure-Java Blas: only the initial parameters are needed, and they do not depend on the Blas.
        initial = s.buildModel(784, 10, 1, Blas.java());
        StepBatches batches = StepBatches.of(BATCHES, s.batchSize());
        x = batches.x();
        y = batches.y();
    }

    /** Every iteration trains from the same starting point (and, for Adam, fresh moments). */
    @Setup(Level.Iteration)
    public void resetParameters() {
        ref = TrainingSetup.referenceOf(initial);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        initial.close();
    }

    /** One step; returns the loss so it is not optimised away. */
    @Benchmark
    public double step() {
        int b = next;
        next = (b + 1) % BATCHES;
        return s.referenceStep(ref, x[b], y[b]);
    }
}
