package io.github.panamamlp.bench;

import io.github.panamamlp.internal.AtomicFile;
import io.github.panamamlp.internal.Json;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.tensor.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything {@code panama-mlp bench} measured in one run, and its two forms: a table for the terminal
 * ({@link #table()}) and JSON for files ({@link #toJson()}, {@link #writeJson}). Its parts: the GEMM
 * comparison FFM vs C in float64 and float32, the training epochs with their breakdown and the reference, the epochs with another
 * OpenBLAS kernel, and the targets judged from them.
 *
 * @param started      when the run began
 * @param elapsed      how long it took
 * @param machine      the machine, JDK and OpenBLAS of this JVM (and of the C program, when it ran)
 * @param loadBefore   /proc/loadavg when the run began ("" where unknown): how busy the machine was
 * @param loadAfter    /proc/loadavg when it ended
 * @param gemm         the GEMM comparison, or null when skipped
 * @param epochOptions how the epochs were run, or null when skipped
 * @param epochs       one result per setup (empty when skipped)
 * @param coretype     the epochs with {@code OPENBLAS_CORETYPE} set, or null when skipped
 */
public record BenchReport(Instant started, Duration elapsed, MachineInfo machine, String loadBefore, String loadAfter,
                          GemmComparison.Result gemm, EpochBenchmark.Options epochOptions, List<SetupResult> epochs,
                          CoretypeRun.Result coretype) {
    /** FFM/C must reach this on every shape of the network, in each element type. */
    public static final double FFM_RATIO_TARGET = 0.95;

    /** Copies the list. */
    public BenchReport {
        epochs = List.copyOf(epochs);
    }

    /**
     * One target of the issue and whether this run met it.
     *
     * @param name      what is measured
     * @param value     the measured value
     * @param threshold the least acceptable value
     */
    public record Target(String name, double value, double threshold) {
        /** True when the value reaches the threshold. */
        public boolean met() {
            return value >= threshold;
        }
    }

    /** The thread policy's epoch must be within this of the best fixed thread count's (issue 12). */
    public static final double POLICY_TARGET = 1.10;

    /** GEMM's least share of an epoch for a setup: 80% for the tutorial preset, 70% for the default (Adam, batch 32). */
    public static double gemmShareTarget(TrainingSetup setup) {
        return setup.name().equals(Preset.TUTORIAL.label()) ? 0.80 : 0.70;
    }

    /**
     * The targets this run can judge: FFM/C on every measured shape and element type but the tiny shapes (where only
     * the call overhead is timed), GEMM's share of the float64 epoch for every preset and thread setting (default
     * kernel; issue 12 set it for float64, and float32's faster products make its share smaller by design), and for
     * every setup and type the thread policy's epoch against the best fixed count's: best fixed / policy, at least
     * 1 / {@value #POLICY_TARGET} (the policy picks threads for whichever type runs).
     */
    public List<Target> targets() {
        List<Target> t = new ArrayList<>();
        if (gemm != null) {
            for (ComparisonRow r : gemm.rows()) {
                if (!r.shape().name().startsWith("tiny")) {
                    t.add(new Target("FFM/C " + r.shape().name() + " " + r.dtype() + " " + r.threads() + "T", r.ratio(), FFM_RATIO_TARGET));
                }
            }
        }
        for (SetupResult r : epochs) {
            if (r.setup().name().equals(TrainingSetup.WIDE) || r.dtype() != DType.FLOAT64) {
                continue;
            }
            for (int th : r.threadCounts()) {
                t.add(new Target("GEMM share " + r.label() + " " + BenchSettings.label(th) + "T",
                        r.median(th, EpochSample::gemmShare), gemmShareTarget(r.setup())));
            }
        }
        for (SetupResult r : epochs) {
            double best = bestFixed(r);
            if (r.threadCounts().contains(BenchSettings.AUTO) && !Double.isNaN(best)) {
                t.add(new Target("policy vs best fixed " + r.label(), best / r.median(BenchSettings.AUTO, EpochSample::seconds),
                        1 / POLICY_TARGET));
            }
        }
        return t;
    }

    /** The lowest median epoch of a forced thread count, NaN if none was run. */
    static double bestFixed(SetupResult r) {
        return r.threadCounts().stream().filter(th -> th != BenchSettings.AUTO)
                .mapToDouble(th -> r.median(th, EpochSample::seconds)).min().orElse(Double.NaN);
    }

    // ---- the table ----

    /** The whole report as aligned text for a terminal; ends with a newline. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("panama-mlp bench: ").append(machine.cpu()).append(", ").append(machine.processors()).append(" processors; ")
                .append(machine.openBlasConfig()).append("; JDK ").append(machine.jdk()).append('\n');
        if (!machine.environment().isEmpty()) {
            sb.append("environment: ").append(machine.environment()).append('\n');
        }
        if (!loadBefore.isEmpty()) {
            sb.append("load average (1, 5, 15 min) at start: ").append(loadBefore).append(", at end: ").append(loadAfter);
            // Before the run, anything above 1 is other work; at its end, the benchmark itself adds up to one per processor.
            if (loadOf(loadBefore) > 1.0 || loadOf(loadAfter) > machine.processors()) {
                sb.append(" (other work shared the CPU: the figures are noisier than on an idle machine)");
            }
            sb.append('\n');
        }
        if (gemm != null) {
            sb.append('\n');
            gemmTable(sb);
        }
        if (!epochs.isEmpty()) {
            sb.append('\n');
            epochTable(sb);
        }
        if (coretype != null) {
            sb.append('\n');
            coretypeTable(sb);
        }
        List<Target> targets = targets();
        if (!targets.isEmpty()) {
            sb.append("\nTargets (default OpenBLAS kernel):\n");
            List<String[]> t = new ArrayList<>();
            t.add(new String[]{"target", "", "measured", "needed", "met"});
            for (Target x : targets) {
                boolean share = x.name().startsWith("GEMM share");
                boolean policy = x.name().startsWith("policy");
                t.add(new String[]{x.name(), "", share ? fmt("%.1f%%", 100 * x.value()) : fmt("%.3f", x.value()),
                        share ? fmt("≥ %.0f%%", 100 * x.threshold()) : policy ? fmt("≥ 1/%.2f", 1 / x.threshold())
                                : fmt("≥ %.2f", x.threshold()),
                        x.met() ? "yes" : share ? fmt("no (%.1f points short)", 100 * (x.threshold() - x.value()))
                                : fmt("no (%.3f short)", x.threshold() - x.value())});
            }
            align(sb, t, 2);
        }
        sb.append(fmt("bench took %.1f s\n", elapsed.toMillis() / 1000.0));
        return sb.toString();
    }

    /** The 1-minute load average of a "1, 5, 15" excerpt of /proc/loadavg, or 0 when unreadable. */
    private static double loadOf(String load) {
        try {
            return Double.parseDouble(load.split(",")[0].trim());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private void gemmTable(StringBuilder sb) {
        GemmComparison.Options options = gemm.options();
        List<DType> dtypes = options.dtypes();
        sb.append("[1] GEMM: ").append(String.join(" and ", dtypes.stream().map(d -> Measurement.routine(d) + " (" + d + ")").toList()))
                .append(" from C vs Blas.openBlas().gemm through FFM on ").append(String.join(" and ", dtypes.stream().map(DType::label).toList()))
                .append(" matrices (row-major, α=1, β=0; median of ")
                .append(options.rounds()).append(" rounds × ").append(options.settings().repetitions()).append(" repetitions per side)\n");
        List<String[]> t = new ArrayList<>();
        t.add(new String[]{"shape", "M×N×K op", "type", "thr", "C GFLOPS", "FFM GFLOPS", "FFM/C", "C time/call", "FFM time/call", "C IQR",
                "FFM IQR", "calls/rep"});
        for (ComparisonRow r : gemm.rows()) {
            String thr = r.threadsAsAsked() ? Integer.toString(r.threads())
                    : r.threads() + " (C " + r.c().threads() + ", FFM " + r.ffm().threads() + ")";
            t.add(new String[]{r.shape().name(), r.shape().dims(), r.dtype().label(), thr, fmt("%.3f", r.cGflops()), fmt("%.3f", r.ffmGflops()),
                    fmt("%.3f", r.ratio()), time(r.c().medianSeconds()), time(r.ffm().medianSeconds()),
                    fmt("%.1f%%", 100 * r.c().relativeSpread()), fmt("%.1f%%", 100 * r.ffm().relativeSpread()),
                    Long.toString(r.c().callsPerRep())});
        }
        align(sb, t, 3);
        sb.append("(type: ").append(String.join(", ", dtypes.stream().map(d -> d + " runs " + Measurement.routine(d)).toList()))
                .append(", on both sides; IQR: interquartile range of a side's samples over its median; differences below it are noise)\n");

        List<Integer> threads = options.threadCounts();
        if (dtypes.containsAll(BenchSettings.BOTH_DTYPES)) {
            sb.append("\nfloat32 beside float64: GFLOPS (median) of cblas_sgemm and cblas_dgemm, sgemm/dgemm, and FFM/C in each type\n");
            List<String[]> b = new ArrayList<>();
            b.add(new String[]{"shape", "M×N×K op", "thr", "C f64", "C f32", "C f32/f64", "FFM f64", "FFM f32", "FFM f32/f64",
                    "FFM/C f64", "FFM/C f32"});
            for (int th : threads) {
                for (GemmShape shape : options.shapes()) {
                    ComparisonRow d = gemm.row(shape, DType.FLOAT64, th);
                    ComparisonRow f = gemm.row(shape, DType.FLOAT32, th);
                    if (d == null || f == null) {
                        continue;
                    }
                    b.add(new String[]{shape.name(), shape.dims(), Integer.toString(th), fmt("%.3f", d.cGflops()), fmt("%.3f", f.cGflops()),
                            fmt("%.2f×", f.cGflops() / d.cGflops()), fmt("%.3f", d.ffmGflops()), fmt("%.3f", f.ffmGflops()),
                            fmt("%.2f×", f.ffmGflops() / d.ffmGflops()), fmt("%.3f", d.ratio()), fmt("%.3f", f.ratio())});
                }
            }
            align(sb, b, 2);
            sb.append(fmt("float32 over float64 (sgemm/dgemm GFLOPS), geometric mean over %d shape × thread pairs (tiny shapes left out): C %.2f×, FFM %.2f×\n",
                    gemm.float32Speedups(true).size(), GemmComparison.geometricMean(doubles(gemm.float32Speedups(true))),
                    GemmComparison.geometricMean(doubles(gemm.float32Speedups(false)))));
        }

        if (threads.size() >= 2) {
            int first = threads.getFirst();
            int last = threads.getLast();
            sb.append("\nOpenBLAS threads: GFLOPS (median) and speed-up ").append(last).append(" vs ").append(first).append(" threads\n");
            List<String[]> u = new ArrayList<>();
            List<String> head = new ArrayList<>(List.of("shape", "M×N×K op", "type"));
            for (String side : List.of("C", "FFM")) {
                for (int th : threads) {
                    head.add(side + " " + th + "T");
                }
                head.add(side + " " + last + "T/" + first + "T");
            }
            u.add(head.toArray(String[]::new));
            for (GemmShape shape : options.shapes()) {
                for (DType dtype : dtypes) {
                    List<String> line = new ArrayList<>(List.of(shape.name(), shape.dims(), dtype.label()));
                    for (boolean cSide : new boolean[]{true, false}) {
                        for (int th : threads) {
                            ComparisonRow r = gemm.row(shape, dtype, th);
                            line.add(r == null ? "-" : fmt("%.3f", cSide ? r.cGflops() : r.ffmGflops()));
                        }
                        ComparisonRow a = gemm.row(shape, dtype, first);
                        ComparisonRow b = gemm.row(shape, dtype, last);
                        line.add(a == null || b == null ? "-"
                                : fmt("%.2f", cSide ? b.cGflops() / a.cGflops() : b.ffmGflops() / a.ffmGflops()));
                    }
                    u.add(line.toArray(String[]::new));
                }
            }
            align(sb, u, 3);
        }

        sb.append('\n');
        for (DType dtype : dtypes) {
            List<ComparisonRow> rows = gemm.rows(dtype);
            sb.append(fmt("FFM/C geometric mean over %d %s rows (%s): %.3f", rows.size(), dtype, Measurement.routine(dtype),
                    gemm.geometricMeanRatio(dtype)));
            sb.append(fmt(" (lowest %.3f, highest %.3f)",
                    rows.stream().mapToDouble(ComparisonRow::ratio).min().orElse(Double.NaN),
                    rows.stream().mapToDouble(ComparisonRow::ratio).max().orElse(Double.NaN)));
            long products = rows.stream().filter(r -> !r.shape().name().startsWith("tiny")).count();
            if (products > 0 && products < rows.size()) {
                sb.append(fmt("; without the tiny shapes (%d rows): %.3f", products, gemm.productGeometricMeanRatio(dtype)));
            }
            sb.append('\n');
        }
        GemmShape one = new GemmShape("1×1×1", 1, 1, 1, false, false);
        for (DType dtype : dtypes) {
            for (int th : threads) {
                ComparisonRow r = gemm.row(one, dtype, th);
                if (r != null) {
                    double cNs = r.c().nsPerCallMedian();
                    double fNs = r.ffm().nsPerCallMedian();
                    sb.append(fmt("one call (1×1×1, %s, %d thread%s): C %.1f ns, FFM %.1f ns (FFM %+.1f ns)\n",
                            dtype, th, th == 1 ? "" : "s", cNs, fNs, fNs - cNs));
                }
            }
        }
        if (Boolean.FALSE.equals(machine.sameLibrary())) {
            sb.append("WARNING: the C program loaded ").append(machine.cLibrary()).append(" but the JVM loaded ")
                    .append(machine.openBlasPath()).append(": the two sides ran different libraries\n");
        }
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The columns [2] and [4] share: setup, type, threads, and the medians of the epoch and its parts. */
    private static final String[] BREAKDOWN = {"setup", "type", "thr", "epoch", "IQR", "GEMM", "GEMM %", "element-wise", "update",
            "batch copy", "rest"};

    private static List<String> breakdown(SetupResult r, int th) {
        return new ArrayList<>(List.of(r.setup().name(), r.dtype().label(), BenchSettings.label(th), fmt("%.3f s", r.median(th, EpochSample::seconds)),
                fmt("%.1f%%", 100 * r.relativeSpread(th)), fmt("%.3f s", r.median(th, EpochSample::gemm)),
                fmt("%.1f%%", 100 * r.median(th, EpochSample::gemmShare)), fmt("%.3f s", r.median(th, EpochSample::elementwise)),
                fmt("%.3f s", r.median(th, EpochSample::update)), fmt("%.3f s", r.median(th, EpochSample::assembly)),
                fmt("%.3f s", r.median(th, EpochSample::rest))));
    }

    private static String[] header(String... more) {
        List<String> h = new ArrayList<>(List.of(BREAKDOWN));
        h.addAll(List.of(more));
        return h.toArray(String[]::new);
    }

    private void epochTable(StringBuilder sb) {
        EpochBenchmark.Options o = epochOptions;
        SetupResult first = epochs.getFirst();
        sb.append("[2] Training epochs on MNIST (").append(fmt("%,d", first.trainImages()))
                .append(" training images, no evaluation); native = OpenBLAS through FFM; median of ")
                .append(o.measuredEpochs()).append(" epochs per thread count after ").append(o.warmupEpochs())
                .append(" warm-up epoch(s), element types and thread counts interleaved; types: ")
                .append(String.join(", ", o.dtypes().stream().map(DType::label).toList())).append('\n');
        List<String> described = new ArrayList<>();
        for (SetupResult r : epochs) {
            if (!described.contains(r.setup().name())) {
                described.add(r.setup().name());
                sb.append("  ").append(r.setup().name()).append(": ").append(r.setup().describe(784, 10)).append(", ")
                        .append(fmt("%,d", r.batchesPerEpoch())).append(" batches\n");
            }
        }
        List<String[]> t = new ArrayList<>();
        t.add(header("reference*", "speed-up"));
        for (SetupResult r : epochs) {
            for (int th : r.threadCounts()) {
                double epoch = r.median(th, EpochSample::seconds);
                double ref = r.referenceEpochSeconds();
                List<String> row = breakdown(r, th);
                row.add(Double.isNaN(ref) ? "-" : fmt("%.3f s", ref));
                row.add(Double.isNaN(ref) ? "-" : fmt("%.2f×", ref / epoch));
                t.add(row.toArray(String[]::new));
            }
        }
        align(sb, t, 2);
        sb.append("""
                type: the element type of the model's matrices (float64: cblas_dgemm, float32: cblas_sgemm).
                GEMM: time inside Blas.gemm (checks + FFM downcall + OpenBLAS), from a timing decorator; GEMM % is its \
                share of the epoch.
                element-wise: forward+backward minus GEMM (bias, sigmoid, softmax, loss, accuracy count, column sums).
                update: the optimizer over all parameters (39,760 for the presets); batch copy: shuffled images → input
                matrix (pixel/255); rest: shuffle and loop. Each column is its own median; IQR: interquartile range of the
                epoch times / median. thr auto: no forced count, the thread policy decides per product (as train runs).
                """);
        if (o.reference()) {
            sb.append("""
                    * reference: the pure-Java ReferenceMlp (double[][], plain loops, one thread; float64 for both types), a whole
                      epoch per round from the same initial parameters over the same batches as the round's first native epoch
                      (converted to double[][], pixel/255, within the epoch); median of the rounds. speed-up = reference epoch /
                      native epoch. One step of each, with JMH's warm-up and forks: make jmh JMH_ARGS=StepBenchmark.
                    """);
        }
        if (o.dtypes().containsAll(BenchSettings.BOTH_DTYPES)) {
            sb.append("\nfloat32 beside float64: median epoch and GEMM time per thread setting, float64 over float32 (> 1: float32 is faster)\n");
            List<String[]> b = new ArrayList<>();
            b.add(new String[]{"setup", "thr", "epoch f64", "epoch f32", "f64/f32", "GEMM f64", "GEMM f32", "GEMM f64/f32"});
            for (SetupResult d : epochs) {
                SetupResult f = d.dtype() == DType.FLOAT64 ? result(epochs, d.setup(), DType.FLOAT32) : null;
                if (f == null) {
                    continue;
                }
                for (int th : d.threadCounts()) {
                    if (!f.threadCounts().contains(th)) {
                        continue;
                    }
                    double e64 = d.median(th, EpochSample::seconds);
                    double e32 = f.median(th, EpochSample::seconds);
                    double g64 = d.median(th, EpochSample::gemm);
                    double g32 = f.median(th, EpochSample::gemm);
                    b.add(new String[]{d.setup().name(), BenchSettings.label(th), fmt("%.3f s", e64), fmt("%.3f s", e32),
                            fmt("%.2f×", e64 / e32), fmt("%.3f s", g64), fmt("%.3f s", g32), fmt("%.2f×", g64 / g32)});
                }
            }
            align(sb, b, 1);
        }
        if (epochs.stream().anyMatch(r -> r.threadCounts().size() >= 2)) {
            sb.append("\n[3] OpenBLAS threads: median epoch per thread setting, and the best fixed count's epoch over the"
                    + " policy's (auto; ≥ 1: the policy is at least as fast)\n");
            List<String[]> u = new ArrayList<>();
            u.add(new String[]{"setup", "type", "threads", "epochs", "GEMM", "best fixed / auto"});
            for (SetupResult r : epochs) {
                List<Integer> th = r.threadCounts();
                if (th.size() < 2) {
                    continue;
                }
                StringBuilder e = new StringBuilder();
                StringBuilder g = new StringBuilder();
                for (int x : th) {
                    e.append(e.isEmpty() ? "" : " / ").append(fmt("%.3f", r.median(x, EpochSample::seconds)));
                    g.append(g.isEmpty() ? "" : " / ").append(fmt("%.3f", r.median(x, EpochSample::gemm)));
                }
                double best = bestFixed(r);
                String policy = th.contains(BenchSettings.AUTO) && !Double.isNaN(best)
                        ? fmt("%.2f×", best / r.median(BenchSettings.AUTO, EpochSample::seconds)) : "-";
                u.add(new String[]{r.setup().name(), r.dtype().label(), "[" + String.join(",", th.stream().map(BenchSettings::label).toList()) + "]",
                        e + " s", g + " s", policy});
            }
            align(sb, u, 3);
        }
    }

    private void coretypeTable(StringBuilder sb) {
        sb.append("[4] The same epochs with OPENBLAS_CORETYPE=").append(coretype.coretype())
                .append(" (child JVM; never set by default, tests or CI)\n");
        if (!coretype.ok()) {
            sb.append("  not measured: ").append(coretype.error()).append('\n');
            return;
        }
        sb.append("  child's OpenBLAS: ").append(coretype.openBlasConfig()).append('\n');
        List<String[]> t = new ArrayList<>();
        t.add(header("GEMM speed-up", "epoch speed-up"));
        for (SetupResult r : coretype.results()) {
            SetupResult base = result(epochs, r.setup(), r.dtype());
            for (int th : r.threadCounts()) {
                boolean comparable = base != null && base.threadCounts().contains(th);
                List<String> row = breakdown(r, th);
                row.add(comparable ? fmt("%.2f×", base.median(th, EpochSample::gemm) / r.median(th, EpochSample::gemm)) : "-");
                row.add(comparable ? fmt("%.2f×", base.median(th, EpochSample::seconds) / r.median(th, EpochSample::seconds)) : "-");
                t.add(row.toArray(String[]::new));
            }
        }
        align(sb, t, 1);
        sb.append("  speed-ups are against the default kernel's medians in [2] (measured minutes apart, not interleaved).\n")
                .append("  A faster GEMM lowers GEMM's share: the targets are judged on the default kernel.\n");
    }

    /** The result of {@code setup} (by name) in {@code dtype} among {@code results}, or null. */
    static SetupResult result(List<SetupResult> results, TrainingSetup setup, DType dtype) {
        return results.stream().filter(x -> x.setup().name().equals(setup.name()) && x.dtype() == dtype).findFirst().orElse(null);
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** A time with a unit that keeps 3–4 significant digits: ns, µs, ms or s. */
    static String time(double seconds) {
        if (seconds < 1e-6) {
            return fmt("%.1f ns", seconds * 1e9);
        }
        if (seconds < 1e-3) {
            return fmt("%.2f µs", seconds * 1e6);
        }
        if (seconds < 1) {
            return fmt("%.3f ms", seconds * 1e3);
        }
        return fmt("%.3f s", seconds);
    }

    /** Appends rows as columns: the first {@code textColumns} left-aligned (text), the rest right-aligned (numbers). */
    static void align(StringBuilder sb, List<String[]> table, int textColumns) {
        int cols = table.getFirst().length;
        int[] width = new int[cols];
        for (String[] row : table) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[i] - row[i].length());
                line.append(i < textColumns ? row[i] + pad : pad + row[i]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    // ---- JSON ----

    /** The report as indented JSON: every sample of every part, the settings, the machine and the targets. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("benchmark", "panama-mlp bench");
        root.put("started", started.toString());
        root.put("elapsed_s", elapsed.toMillis() / 1000.0);
        root.put("machine", machine.toJsonTree());
        root.put("load_average_start", loadBefore);
        root.put("load_average_end", loadAfter);
        root.put("gemm", gemm == null ? null : gemmTree());
        if (epochOptions != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("dtypes", epochOptions.dtypes().stream().map(DType::label).toList());
            e.put("thread_counts", epochOptions.threadCounts());
            e.put("warmup_epochs_per_thread_count", epochOptions.warmupEpochs());
            e.put("measured_epochs_per_thread_count", epochOptions.measuredEpochs());
            e.put("reference", epochOptions.reference());
            e.put("seed", epochOptions.seed());
            e.put("scheme", "one model per setup and element type; per round one epoch of each type at each thread count "
                    + "(types outermost; both orders reversed every other round), "
                    + "then one epoch of the reference over the batches of the round's first; epochs are Trainer.fit without "
                    + "evaluation; GEMM from a timing Blas decorator");
            e.put("results", epochs.stream().map(SetupResult::toJsonTree).toList());
            root.put("epochs", e);
        } else {
            root.put("epochs", null);
        }
        if (coretype != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("openblas_coretype", coretype.coretype());
            c.put("openblas_config", coretype.openBlasConfig());
            c.put("error", coretype.error());
            c.put("results", coretype.results().stream().map(SetupResult::toJsonTree).toList());
            root.put("coretype", c);
        } else {
            root.put("coretype", null);
        }
        List<Object> targets = new ArrayList<>();
        for (Target t : targets()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("value", finiteOrNull(t.value()));
            m.put("threshold", t.threshold());
            m.put("met", t.met());
            targets.add(m);
        }
        root.put("targets", targets);
        return Json.writeIndented(root);
    }

    private Map<String, Object> gemmTree() {
        GemmComparison.Options options = gemm.options();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("benchmark", "cblas_dgemm (float64) and cblas_sgemm (float32) called from C (native/gemm_bench) vs "
                + "Blas.openBlas().gemm through FFM on matrices of the same type");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dtypes", options.dtypes().stream().map(DType::label).toList());
        settings.put("thread_counts", options.threadCounts());
        settings.put("rounds", options.rounds());
        settings.put("repetitions_per_round", options.settings().repetitions());
        settings.put("warmup_ms", options.settings().warmupMillis());
        settings.put("min_rep_ms", options.settings().minRepMillis());
        settings.put("fixed_calls", options.settings().fixedCalls());
        settings.put("seed", options.settings().seed());
        settings.put("native_program", options.nativeProgram().toString());
        settings.put("scheme", "per thread count, shape and element type (the types of a shape one after the other), "
                + "rounds alternate C,FFM / FFM,C / FFM,C / C,FFM ...; "
                + "each C round is a fresh run of the C program; calls per repetition calibrated by C in round 1, "
                + "then fixed for both sides; statistics over all rounds' samples");
        root.put("settings", settings);
        List<Object> rows = new ArrayList<>();
        for (ComparisonRow r : gemm.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.shape().name());
            m.put("dtype", r.dtype().label());
            m.put("routine", Measurement.routine(r.dtype()));
            m.put("m", r.shape().m());
            m.put("n", r.shape().n());
            m.put("k", r.shape().k());
            m.put("trans_a", r.shape().transA());
            m.put("trans_b", r.shape().transB());
            m.put("flops", r.shape().flops());
            m.put("threads", r.threads());
            m.put("c", measurementTree(r.c()));
            m.put("ffm", measurementTree(r.ffm()));
            m.put("ratio_ffm_over_c", r.ratio());
            rows.add(m);
        }
        root.put("rows", rows);
        root.put("geometric_mean_ratio_ffm_over_c", finiteOrNull(gemm.geometricMeanRatio()));
        Map<String, Object> byType = new LinkedHashMap<>();
        for (DType d : options.dtypes()) {
            byType.put(d.label(), finiteOrNull(gemm.geometricMeanRatio(d)));
        }
        root.put("geometric_mean_ratio_ffm_over_c_by_dtype", byType);
        Map<String, Object> productsByType = new LinkedHashMap<>();
        for (DType d : options.dtypes()) {
            productsByType.put(d.label(), finiteOrNull(gemm.productGeometricMeanRatio(d)));
        }
        root.put("geometric_mean_ratio_ffm_over_c_by_dtype_without_tiny", productsByType);
        List<Object> pairs = new ArrayList<>();
        for (ComparisonRow f : gemm.rows(DType.FLOAT32)) {
            ComparisonRow d = gemm.row(f.shape(), DType.FLOAT64, f.threads());
            if (d != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", f.shape().name());
                m.put("threads", f.threads());
                m.put("c_gflops_float64", d.cGflops());
                m.put("c_gflops_float32", f.cGflops());
                m.put("c_float32_over_float64", f.cGflops() / d.cGflops());
                m.put("ffm_gflops_float64", d.ffmGflops());
                m.put("ffm_gflops_float32", f.ffmGflops());
                m.put("ffm_float32_over_float64", f.ffmGflops() / d.ffmGflops());
                pairs.add(m);
            }
        }
        root.put("float32_vs_float64", pairs);
        return root;
    }

    private static Map<String, Object> measurementTree(Measurement x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dtype", x.dtype().label());
        m.put("threads", x.threads());
        m.put("calls_per_rep", x.callsPerRep());
        m.put("median_s", x.medianSeconds());
        m.put("min_s", x.minSeconds());
        m.put("relative_iqr", x.relativeSpread());
        m.put("gflops_median", x.gflopsMedian());
        m.put("gflops_max", x.gflopsMax());
        m.put("ns_per_call_median", x.nsPerCallMedian());
        m.put("checksum", x.checksum());
        m.put("samples_s", x.secondsPerCall());
        return m;
    }

    /** {@code v}, or null where it is NaN or infinite: JSON has no such numbers, and null says "no value". */
    static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * Writes {@link #toJson()} to {@code file} (creating its directory) with {@link AtomicFile}: readers see the
     * old file or the whole new one, never a part.
     */
    public void writeJson(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        AtomicFile.writeString(file, toJson());
    }
}
