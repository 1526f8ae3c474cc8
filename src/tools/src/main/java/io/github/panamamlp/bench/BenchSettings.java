package io.github.panamamlp.bench;

import io.github.panamamlp.tensor.DType;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * How one measurement is taken, identically on the C and the Java side.
 *
 * <p>Warm-up: calls until {@code warmupMillis} have passed (at least one). Then, unless
 * {@code fixedCalls > 0}, the calls per repetition are calibrated so one repetition lasts at least
 * {@code minRepMillis}. Then {@code repetitions} repetitions are timed; each gives one sample, its time
 * divided by its calls. Operands are filled from a SplitMix64 stream seeded with {@code seed}.
 *
 * @param repetitions  timed repetitions, at least 1
 * @param warmupMillis warm-up time, at least 0
 * @param minRepMillis least duration of one repetition when calibrating, at least 0
 * @param fixedCalls   calls per repetition, or 0 to calibrate
 * @param seed         seed of the operand values, at least 0
 */
public record BenchSettings(int repetitions, long warmupMillis, long minRepMillis, long fixedCalls, long seed) {
    /** Largest repetition count, as in the C program. */
    public static final int MAX_REPETITIONS = 100_000;
    /** Largest fixed call count, as in the C program. */
    public static final long MAX_CALLS = 1_000_000_000L;
    private static final long MAX_MILLIS = 3_600_000L;

    /** Checks the ranges (the same ones the C program accepts). */
    public BenchSettings {
        if (repetitions < 1 || repetitions > MAX_REPETITIONS) {
            throw new IllegalArgumentException("repetitions must be in [1, " + MAX_REPETITIONS + "], got " + repetitions);
        }
        if (warmupMillis < 0 || warmupMillis > MAX_MILLIS) {
            throw new IllegalArgumentException("warm-up must be in [0, " + MAX_MILLIS + "] ms, got " + warmupMillis);
        }
        if (minRepMillis < 0 || minRepMillis > MAX_MILLIS) {
            throw new IllegalArgumentException("minimum repetition time must be in [0, " + MAX_MILLIS + "] ms, got " + minRepMillis);
        }
        if (fixedCalls < 0 || fixedCalls > MAX_CALLS) {
            throw new IllegalArgumentException("calls per repetition must be in [0, " + MAX_CALLS + "] (0 = calibrate), got " + fixedCalls);
        }
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be non-negative, got " + seed);
        }
    }

    /**
     * {@code counts} without repeats, in order: OpenBLAS thread counts for one part of the benchmark.
     *
     * @throws IllegalArgumentException if there are none, or one is outside [1, 1024]
     */
    /**
     * The thread settings of the epochs: thread counts, and {@value #AUTO} for the thread policy (no forced
     * count, as a user starts {@code train}), each once, in the given order.
     *
     * @throws IllegalArgumentException if there is none, or one is outside [0, 1024]
     */
    public static List<Integer> threadSettings(List<Integer> settings) {
        List<Integer> distinct = List.copyOf(new LinkedHashSet<>(settings));
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("no thread setting to benchmark");
        }
        for (int t : distinct) {
            if (t < AUTO || t > 1024) {
                throw new IllegalArgumentException("thread counts must be in [1, 1024] (or auto), got " + t);
            }
        }
        return distinct;
    }

    /** The thread setting that leaves the count to the thread policy: the default run. */
    public static final int AUTO = 0;

    /** "auto" for {@link #AUTO}, else the count. */
    public static String label(int threads) {
        return threads == AUTO ? "auto" : Integer.toString(threads);
    }

    public static List<Integer> threadCounts(List<Integer> counts) {
        List<Integer> distinct = List.copyOf(new LinkedHashSet<>(counts));
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("no thread count to benchmark");
        }
        for (int t : distinct) {
            if (t < 1 || t > 1024) {
                throw new IllegalArgumentException("thread counts must be in [1, 1024], got " + t);
            }
        }
        return distinct;
    }

    /** Float64 and float32, in that order: what {@code bench} measures unless {@code --dtype} says otherwise. */
    public static final List<DType> BOTH_DTYPES = List.of(DType.FLOAT64, DType.FLOAT32);

    /**
     * {@code dtypes} without repeats, in order: the element types one part of the benchmark runs.
     *
     * @throws IllegalArgumentException if there is none
     */
    public static List<DType> dtypes(List<DType> dtypes) {
        List<DType> distinct = List.copyOf(new LinkedHashSet<>(dtypes));
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("no element type to benchmark");
        }
        return distinct;
    }

    /** {@return 5 repetitions of at least 20 ms after 100 ms of warm-up, seed 42} */
    public static BenchSettings defaults() {
        return new BenchSettings(5, 100, 20, 0, 42);
    }

    /** These settings with a fixed call count per repetition. */
    public BenchSettings withFixedCalls(long calls) {
        return new BenchSettings(repetitions, warmupMillis, minRepMillis, calls, seed);
    }
}
