package io.github.panamamlp.bench;

import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.tensor.DType;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares {@code cblas_dgemm} and {@code cblas_sgemm} called from C with {@code Blas.openBlas().gemm(...)} called
 * from Java through FFM on float64 and float32 matrices, shape by shape, in one run.
 *
 * <p>For every thread count, shape and element type (the types of one shape run one after the other, so float32 and
 * float64 are timed under the same conditions), the two sides are measured in {@code rounds} alternating rounds,
 * in the order C F, F C, F C, C F, C F, F C, … (so drift and noise hit both sides alike and neither always
 * runs first); each round of the C side is a fresh run of {@code native/gemm_bench} on that one shape.
 * The calls per repetition are calibrated once, by the C side in the first round, and then fixed for both
 * sides. A side's result pools its samples of all rounds, and its median is the median of that pool.
 * Both sides compute the same product on the same operand values; their checksums must agree, or the run
 * stops.
 */
public final class GemmComparison {
    private GemmComparison() {
    }

    /**
     * What to run.
     *
     * @param shapes        the products, in table order
     * @param dtypes        the element types, each run for every shape: float64 ({@code cblas_dgemm}), float32
     *                      ({@code cblas_sgemm}), or both
     * @param threadCounts  OpenBLAS thread counts, each run for every shape (e.g. 1 and 2)
     * @param rounds        interleaved rounds per shape and thread count
     * @param settings      the measurement scheme of one round on one side
     * @param nativeProgram the C program, normally {@link NativeGemmBench#DEFAULT_PATH}
     * @param timeout       how long one run of the C program may take
     */
    public record Options(List<GemmShape> shapes, List<DType> dtypes, List<Integer> threadCounts, int rounds, BenchSettings settings,
                          Path nativeProgram, Duration timeout) {
        /** Checks and copies. */
        public Options {
            shapes = List.copyOf(shapes);
            dtypes = BenchSettings.dtypes(dtypes);
            threadCounts = BenchSettings.threadCounts(threadCounts);
            if (shapes.isEmpty()) {
                throw new IllegalArgumentException("no shape to benchmark");
            }
            if (rounds < 1 || rounds > 1000) {
                throw new IllegalArgumentException("rounds must be in [1, 1000], got " + rounds);
            }
        }

        /** Float64 only ({@code cblas_dgemm}), as before float32 existed. */
        public Options(List<GemmShape> shapes, List<Integer> threadCounts, int rounds, BenchSettings settings,
                       Path nativeProgram, Duration timeout) {
            this(shapes, List.of(DType.FLOAT64), threadCounts, rounds, settings, nativeProgram, timeout);
        }

        /**
         * {@return all of {@link GemmShape#defaults()}, float64 and float32, 1 and 2 threads, 5 rounds,
         * {@link BenchSettings#defaults()}}
         */
        public static Options defaults() {
            return new Options(GemmShape.defaults(), BenchSettings.BOTH_DTYPES, List.of(1, 2), 5, BenchSettings.defaults(),
                    NativeGemmBench.DEFAULT_PATH, NativeGemmBench.DEFAULT_TIMEOUT);
        }

        /** These options with other shapes. */
        public Options withShapes(List<GemmShape> s) {
            return new Options(s, dtypes, threadCounts, rounds, settings, nativeProgram, timeout);
        }

        /** These options with other element types. */
        public Options withDTypes(List<DType> d) {
            return new Options(shapes, d, threadCounts, rounds, settings, nativeProgram, timeout);
        }

        /** These options with other thread counts. */
        public Options withThreadCounts(List<Integer> t) {
            return new Options(shapes, dtypes, t, rounds, settings, nativeProgram, timeout);
        }

        /** These options with another round count. */
        public Options withRounds(int r) {
            return new Options(shapes, dtypes, threadCounts, r, settings, nativeProgram, timeout);
        }

        /** These options with another C program. */
        public Options withNativeProgram(Path p) {
            return new Options(shapes, dtypes, threadCounts, rounds, settings, p, timeout);
        }
    }

    /**
     * What a run measured.
     *
     * @param options what was run
     * @param rows    one per shape, element type and thread count, in the order they ran (thread count outermost,
     *                then shape, then type)
     * @param c       what the C program reported about the OpenBLAS it loaded (its first run)
     */
    public record Result(Options options, List<ComparisonRow> rows, NativeGemmBench.Info c) {
        /** Copies the rows. */
        public Result {
            rows = List.copyOf(rows);
        }

        /** The row for {@code shape} (same product) in {@code dtype} at {@code threads}, or null. */
        public ComparisonRow row(GemmShape shape, DType dtype, int threads) {
            for (ComparisonRow r : rows) {
                if (r.shape().sameProduct(shape) && r.dtype() == dtype && r.threads() == threads) {
                    return r;
                }
            }
            return null;
        }

        /** The rows of {@code dtype}, in order. */
        public List<ComparisonRow> rows(DType dtype) {
            return rows.stream().filter(r -> r.dtype() == dtype).toList();
        }

        /** {@return the geometric mean of FFM/C over all rows} */
        public double geometricMeanRatio() {
            return geometricMean(rows.stream().mapToDouble(ComparisonRow::ratio).toArray());
        }

        /** {@return the geometric mean of FFM/C over the rows of {@code dtype}; NaN when there are none} */
        public double geometricMeanRatio(DType dtype) {
            return geometricMean(rows(dtype).stream().mapToDouble(ComparisonRow::ratio).toArray());
        }

        /**
         * {@return the geometric mean of FFM/C over the rows of {@code dtype} whose shapes are not tiny: the products,
         * without the rows that time the call alone (where FFM's fixed cost per call is most of the time); NaN when
         * there are none}
         */
        public double productGeometricMeanRatio(DType dtype) {
            return geometricMean(rows(dtype).stream().filter(r -> !r.shape().name().startsWith("tiny"))
                    .mapToDouble(ComparisonRow::ratio).toArray());
        }

        /**
         * How much faster float32 ran than float64 on the same shape and thread count: GFLOPS of {@code cblas_sgemm}
         * over GFLOPS of {@code cblas_dgemm}, one pair per shape and thread count that ran in both types, in row order.
         * The tiny shapes are left out: they time the call, which costs the same in both types.
         *
         * @param cSide the C program's GFLOPS when true, FFM's when false
         */
        public List<Double> float32Speedups(boolean cSide) {
            List<Double> out = new ArrayList<>();
            for (ComparisonRow r32 : rows(DType.FLOAT32)) {
                ComparisonRow r64 = row(r32.shape(), DType.FLOAT64, r32.threads());
                if (r64 != null && !r32.shape().name().startsWith("tiny")) {
                    out.add(cSide ? r32.cGflops() / r64.cGflops() : r32.ffmGflops() / r64.ffmGflops());
                }
            }
            return out;
        }

    }

    /** The geometric mean of {@code values}; NaN when empty. */
    static double geometricMean(double[] values) {
        return Math.exp(java.util.Arrays.stream(values).map(Math::log).average().orElse(Double.NaN));
    }

    /**
     * Runs the comparison. OpenBLAS's thread count is restored afterwards.
     *
     * @param progress where one line per finished row goes, or null for silence
     * @throws IllegalStateException if the C program is missing (the message says to run {@code make native}),
     *                               or the two sides' results disagree
     * @throws IOException           if the C program fails or prints something unexpected
     */
    public static Result run(Options options, PrintStream progress) throws IOException, InterruptedException {
        NativeGemmBench c = new NativeGemmBench(options.nativeProgram(), options.timeout());
        java.util.OptionalInt before = OpenBlas.forcedThreads();
        NativeGemmBench.Info cInfo = null;
        List<ComparisonRow> rows = new ArrayList<>();
        try {
            for (int threads : options.threadCounts()) {
                OpenBlas.setThreads(threads);
                for (GemmShape shape : options.shapes()) {
                    for (DType dtype : options.dtypes()) {
                        Compared done = compare(c, shape, dtype, threads, options);
                        cInfo = cInfo == null ? done.info() : cInfo;
                        ComparisonRow r = done.row();
                        rows.add(r);
                        if (progress != null) {
                            progress.println(String.format(Locale.ROOT, "%-18s %-22s %-7s %d thr: C %8.3f GFLOPS, FFM %8.3f GFLOPS, FFM/C %.3f",
                                    shape.name(), shape.dims(), dtype, threads, r.cGflops(), r.ffmGflops(), r.ratio()));
                            progress.flush();
                        }
                    }
                }
            }
        } finally {
            before.ifPresentOrElse(OpenBlas::setThreads, OpenBlas::setThreadsAuto);
        }
        return new Result(options, rows, cInfo);
    }

    /** A finished row and the C program's info line. */
    private record Compared(ComparisonRow row, NativeGemmBench.Info info) {
    }

    /** The interleaved rounds of one shape in one type at one thread count; the C side calibrates the calls in round 1. */
    private static Compared compare(NativeGemmBench c, GemmShape shape, DType dtype, int threads, Options options)
            throws IOException, InterruptedException {
        List<Measurement> cParts = new ArrayList<>();
        List<Measurement> ffmParts = new ArrayList<>();
        NativeGemmBench.Info info = null;
        BenchSettings s = options.settings();
        for (int round = 0; round < options.rounds(); round++) {
            for (int turn = 0; turn < 2; turn++) {
                if ((turn == 0) == cFirst(round)) {
                    NativeGemmBench.Result r = c.run(List.of(shape), threads, dtype, s);
                    info = info == null ? r.info() : info;
                    Measurement m = r.measurements().getFirst();
                    cParts.add(m);
                    if (s.fixedCalls() == 0) {
                        s = s.withFixedCalls(m.callsPerRep());
                    }
                } else {
                    ffmParts.add(GemmBenchmark.measure(shape, dtype, s));
                }
            }
        }
        ComparisonRow row = new ComparisonRow(shape, threads, Measurement.pool(cParts), Measurement.pool(ffmParts));
        if (!Measurement.checksumsAgree(row.c(), row.ffm())) {
            throw new IllegalStateException("C and FFM computed different results for " + shape.name() + " ("
                    + shape.spec() + ", " + dtype + ", " + threads + " threads): checksum " + row.c().checksum() + " vs "
                    + row.ffm().checksum() + "; the comparison would be meaningless");
        }
        return new Compared(row, info);
    }

    /**
     * Whether the C side goes first in {@code round}: C F, F C, F C, C F, then again. Round 0 starts with C,
     * which calibrates the call count; over each four rounds each side goes first equally often, and a
     * steady drift in machine speed cancels.
     */
    static boolean cFirst(int round) {
        return round % 4 == 0 || round % 4 == 3;
    }
}
