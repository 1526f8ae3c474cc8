package io.github.panamamlp.jmh;

import io.github.panamamlp.tensor.DType;

import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Momentum;
import io.github.panamamlp.train.Optimizer;
import io.github.panamamlp.train.Sgd;
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
 * One optimizer update of the 784 → 50 → 10 network's 39,760 parameters: the per-batch cost that the
 * default setup (Adam, batch 32) pays 1,875 times an epoch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class UpdateBenchmark {
    /** The optimizer, as the CLI names it. */
    @Param({"sgd", "momentum", "adam"})
    public String optimizer;

    /** The parameters' element type. */
    @Param({"float64", "float32"})
    public String dtype;

    /** Parameters updated (39,760 for 784 → 50 → 10). */
    @Param({"39760"})
    public int parameters;

    private Arena arena;
    private MemorySegment params;
    private MemorySegment grads;
    private Optimizer.Updater updater;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        DType type = DType.parse(dtype);
        params = arena.allocate((long) parameters * type.bytes(), 64);
        grads = arena.allocate((long) parameters * type.bytes(), 64);
        Random rnd = new Random(1);
        for (long i = 0; i < parameters; i++) {
            // Small gradients keep the parameters bounded however many updates the benchmark runs.
            double p = rnd.nextGaussian() * 0.1, g = rnd.nextGaussian() * 1e-6;
            if (type == DType.FLOAT64) {
                params.setAtIndex(ValueLayout.JAVA_DOUBLE, i, p);
                grads.setAtIndex(ValueLayout.JAVA_DOUBLE, i, g);
            } else {
                params.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) p);
                grads.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) g);
            }
        }
        Optimizer o = switch (optimizer) {
            case "sgd" -> new Sgd(0.1);
            case "momentum" -> new Momentum(0.01, 0.9);
            case "adam" -> new Adam(1e-3);
            default -> throw new IllegalArgumentException(optimizer);
        };
        updater = o.newUpdater(arena, parameters, type);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** One update of every parameter. */
    @Benchmark
    public void update() {
        updater.update(params, grads);
    }
}
