package io.github.panamamlp.jmh;

import io.github.panamamlp.bench.TrainingSetup;
import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.nn.Model;
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

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One whole training step ({@code Trainer.step}: forward, loss, backward, update) of 784 → 50 sigmoid → 10
 * for the two presets. Run with {@code -prof gc}: gc.alloc.rate.norm ≈ 0 B/op shows that steady-state
 * training allocates nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class TrainingStepBenchmark {
    /** "default" (Glorot, Adam, batch 32) or "tutorial" (normal σ 0.01, SGD lr 0.1, batch 100). */
    @Param({"default", "tutorial"})
    public String setup;

    /** OpenBLAS threads. */
    @Param({"1"})
    public int threads;

    private Model model;
    private Trainer trainer;
    private Matrix x;
    private int[] y;

    @Setup(Level.Trial)
    public void setUp() {
        TrainingSetup s = switch (setup) {
            case "default" -> TrainingSetup.defaults();
            case "tutorial" -> TrainingSetup.tutorial();
            default -> throw new IllegalArgumentException(setup);
        };
        OpenBlas.setThreads(threads);
        model = s.buildModel(784, 10, 1, Blas.openBlas());
        trainer = new Trainer(model, s.optimizer());
        Random rnd = new Random(1);
        x = Matrix.allocate(s.batchSize(), 784);
        y = new int[s.batchSize()];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < 784; j++) {
                x.set(i, j, rnd.nextInt(256) / 255.0);
            }
            y[i] = rnd.nextInt(10);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        model.close();
        x.close();
    }

    /** One step; returns the loss so it is not optimised away. */
    @Benchmark
    public double step() {
        return trainer.step(x, y, 0);
    }
}
