package io.github.panamamlp.bench;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.OpenBlas;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Compares {@code cblas_dgemm} called from C with {@code Blas.openBlas().gemm(...)} called from Java through
 * FFM, shape by shape, in one run.
 *
 * <p>For every thread count and shape, the two sides are measured in {@code rounds} alternating rounds,
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
     * @param threadCounts  OpenBLAS thread counts, each run for every shape (e.g. 1 and 2)
     * @param rounds        interleaved rounds per shape and thread count
     * @param settings      the measurement scheme of one round on one side
     * @param nativeProgram the C program, normally {@link NativeGemmBench#DEFAULT_PATH}
     * @param timeout       how long one run of the C program may take
     */
    public record Options(List<GemmShape> shapes, List<Integer> threadCounts, int rounds, BenchSettings settings,
                          Path nativeProgram, Duration timeout) {
        /** Checks and copies. */
        public Options {
            shapes = List.copyOf(shapes);
            threadCounts = List.copyOf(new LinkedHashSet<>(threadCounts));
            if (shapes.isEmpty()) {
                throw new IllegalArgumentException("no shape to benchmark");
            }
            if (threadCounts.isEmpty()) {
                throw new IllegalArgumentException("no thread count to benchmark");
            }
            for (int t : threadCounts) {
                if (t < 1 || t > 1024) {
                    throw new IllegalArgumentException("thread counts must be in [1, 1024], got " + t);
                }
            }
            if (rounds < 1 || rounds > 1000) {
                throw new IllegalArgumentException("rounds must be in [1, 1000], got " + rounds);
            }
        }

        /** {@return all of {@link GemmShape#defaults()}, 1 and 2 threads, 5 rounds, {@link BenchSettings#defaults()}} */
        public static Options defaults() {
            return new Options(GemmShape.defaults(), List.of(1, 2), 5, BenchSettings.defaults(),
                    NativeGemmBench.DEFAULT_PATH, NativeGemmBench.DEFAULT_TIMEOUT);
        }

        /** These options with other shapes. */
        public Options withShapes(List<GemmShape> s) {
            return new Options(s, threadCounts, rounds, settings, nativeProgram, timeout);
        }

        /** These options with other thread counts. */
        public Options withThreadCounts(List<Integer> t) {
            return new Options(shapes, t, rounds, settings, nativeProgram, timeout);
        }

        /** These options with another round count. */
        public Options withRounds(int r) {
            return new Options(shapes, threadCounts, r, settings, nativeProgram, timeout);
        }

        /** These options with another measurement scheme. */
        public Options withSettings(BenchSettings s) {
            return new Options(shapes, threadCounts, rounds, s, nativeProgram, timeout);
        }

        /** These options with another C program. */
        public Options withNativeProgram(Path p) {
            return new Options(shapes, threadCounts, rounds, settings, p, timeout);
        }
    }

    /**
     * Runs the comparison. OpenBLAS's thread count is restored afterwards.
     *
     * @param progress where one line per finished row goes, or null for silence
     * @throws IllegalStateException if the C program is missing (the message says to run {@code make native}),
     *                               or the two sides' results disagree
     * @throws IOException           if the C program fails or prints something unexpected
     */
    public static ComparisonReport run(Options options, PrintStream progress) throws IOException, InterruptedException {
        NativeGemmBench c = new NativeGemmBench(options.nativeProgram(), options.timeout());
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        java.util.OptionalInt before = OpenBlas.forcedThreads();
        NativeGemmBench.Info cInfo = null;
        List<ComparisonRow> rows = new ArrayList<>();
        try {
            for (int threads : options.threadCounts()) {
                OpenBlas.setThreads(threads);
                for (GemmShape shape : options.shapes()) {
                    List<Measurement> cParts = new ArrayList<>();
                    List<Measurement> ffmParts = new ArrayList<>();
                    BenchSettings s = options.settings();
                    for (int round = 0; round < options.rounds(); round++) {
                        for (int turn = 0; turn < 2; turn++) {
                            if ((turn == 0) == cFirst(round)) {
                                NativeGemmBench.Result r = c.run(List.of(shape), threads, s);
                                cInfo = cInfo == null ? r.info() : cInfo;
                                Measurement m = r.measurements().getFirst();
                                cParts.add(m);
                                if (s.fixedCalls() == 0) {
                                    s = s.withFixedCalls(m.callsPerRep());
                                }
                            } else {
                                ffmParts.add(GemmBenchmark.measure(Blas.openBlas(), shape, s));
                            }
                        }
                    }
                    ComparisonRow row = new ComparisonRow(shape, threads, Measurement.pool(cParts), Measurement.pool(ffmParts));
                    if (!Measurement.checksumsAgree(row.c(), row.ffm())) {
                        throw new IllegalStateException("C and FFM computed different results for " + shape.name() + " ("
                                + shape.spec() + ", " + threads + " threads): checksum " + row.c().checksum() + " vs "
                                + row.ffm().checksum() + "; the comparison would be meaningless");
                    }
                    rows.add(row);
                    if (progress != null) {
                        progress.println(String.format(Locale.ROOT, "%-18s %-22s %d thr: C %8.3f GFLOPS, FFM %8.3f GFLOPS, FFM/C %.3f",
                                shape.name(), shape.dims(), threads, row.cGflops(), row.ffmGflops(), row.ratio()));
                        progress.flush();
                    }
                }
            }
        } finally {
            before.ifPresentOrElse(OpenBlas::setThreads, OpenBlas::setThreadsAuto);
        }
        return new ComparisonReport(started, Duration.ofNanos(System.nanoTime() - t0), MachineInfo.collect(cInfo), options, rows);
    }

    /**
     * Whether the C side goes first in {@code round}: C F, F C, F C, C F, then again. Round 0 starts with C,
     * which calibrates the call count; over each four rounds each side goes first equally often, and a
     * steady drift in machine speed cancels.
     */
    static boolean cFirst(int round) {
        return round % 4 == 0 || round % 4 == 3;
    }

    /** Default location of the JSON report written by {@link #main}. */
    public static final Path DEFAULT_JSON = Path.of("out", "gemm-bench.json");

    private static final String USAGE = """
            usage: GemmComparison [options]
              --shape M,N,K,TA,TB   a product to time (repeatable); TA/TB are N or T
              --preset NAME         add a shape list: default, tiny, network, square (default: default)
              --threads LIST        OpenBLAS thread counts, e.g. 1,2 (default 1,2)
              --rounds R            interleaved C/FFM rounds per shape (default 5)
              --reps R              timed repetitions per round (default 5)
              --warmup-ms W         warm-up per round in ms (default 100)
              --min-rep-ms T        least time of one repetition when calibrating (default 20)
              --calls C             fixed calls per repetition instead of calibrating
              --seed S              seed of the operand values (default 42)
              --native PATH         the C program (default native/gemm_bench; build it with 'make native')
              --json PATH           where to write the JSON report (default out/gemm-bench.json)
            """;

    /**
     * Runs the comparison from the command line, prints the table, writes the JSON report.
     * Exit status: 0 done, 1 failed, 2 bad arguments.
     */
    public static void main(String[] args) {
        CommandLine cl;
        try {
            cl = parseArgs(args);
            if (cl == null) {
                System.out.print(USAGE);
                return;
            }
        } catch (IllegalArgumentException e) {
            System.err.println("gemm benchmark: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        try {
            ComparisonReport report = run(cl.options(), System.err);
            System.out.print(report.table());
            report.writeJson(cl.json());
            System.out.println("JSON report: " + cl.json().toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            System.err.println("gemm benchmark failed: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("gemm benchmark interrupted");
            System.exit(1);
        }
    }

    /** Parsed command-line arguments: what to run and where the JSON report goes. */
    record CommandLine(Options options, Path json) {
    }

    /** The parsed arguments, or null for --help. */
    static CommandLine parseArgs(String[] args) {
        Options o = Options.defaults();
        BenchSettings s = o.settings();
        List<GemmShape> shapes = new ArrayList<>();
        Path json = DEFAULT_JSON;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a.startsWith("--") ? "option " + a + " needs a value" : "unexpected argument " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--shape" -> shapes.add(GemmShape.parse(v));
                case "--preset" -> shapes.addAll(switch (v) {
                    case "default" -> GemmShape.defaults();
                    case "tiny" -> GemmShape.tiny();
                    case "network" -> GemmShape.network();
                    case "square" -> List.of(GemmShape.square1024());
                    default -> throw new IllegalArgumentException("unknown preset '" + v + "' (default, tiny, network, square)");
                });
                case "--threads" -> {
                    List<Integer> t = new ArrayList<>();
                    for (String part : v.split(",")) {
                        t.add(intArg("--threads", part));
                    }
                    o = o.withThreadCounts(t);
                }
                case "--rounds" -> o = o.withRounds(intArg(a, v));
                case "--reps" -> s = new BenchSettings(intArg(a, v), s.warmupMillis(), s.minRepMillis(), s.fixedCalls(), s.seed());
                case "--warmup-ms" -> s = new BenchSettings(s.repetitions(), longArg(a, v), s.minRepMillis(), s.fixedCalls(), s.seed());
                case "--min-rep-ms" -> s = new BenchSettings(s.repetitions(), s.warmupMillis(), longArg(a, v), s.fixedCalls(), s.seed());
                case "--calls" -> s = s.withFixedCalls(longArg(a, v));
                case "--seed" -> s = new BenchSettings(s.repetitions(), s.warmupMillis(), s.minRepMillis(), s.fixedCalls(), longArg(a, v));
                case "--native" -> o = o.withNativeProgram(Path.of(v));
                case "--json" -> json = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        o = o.withSettings(s);
        if (!shapes.isEmpty()) {
            o = o.withShapes(shapes);
        }
        return new CommandLine(o, json);
    }

    private static int intArg(String option, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer, got '" + v + "'");
        }
    }

    private static long longArg(String option, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer, got '" + v + "'");
        }
    }
}
