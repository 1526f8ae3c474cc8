package io.github.panamamlp.bench;

import io.github.panamamlp.internal.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of {@link GemmComparison#run}: one row per shape and thread count, and where it ran.
 *
 * @param started  when the run began
 * @param elapsed  how long it took
 * @param machine  the machine, JDK and OpenBLAS
 * @param options  what was run
 * @param rows     in the order shapes × thread counts were run (thread count outermost)
 */
public record ComparisonReport(Instant started, Duration elapsed, MachineInfo machine, GemmComparison.Options options,
                               List<ComparisonRow> rows) {
    /** Copies the rows. */
    public ComparisonReport {
        rows = List.copyOf(rows);
    }

    /** The row for {@code shape} (same product) at {@code threads}, or null. */
    public ComparisonRow row(GemmShape shape, int threads) {
        for (ComparisonRow r : rows) {
            if (r.shape().sameProduct(shape) && r.threads() == threads) {
                return r;
            }
        }
        return null;
    }

    /** {@return the geometric mean of FFM/C over all rows} */
    public double geometricMeanRatio() {
        return Math.exp(rows.stream().mapToDouble(r -> Math.log(r.ratio())).average().orElse(Double.NaN));
    }

    /** {@return the tables and summary lines, aligned for a terminal; ends with a newline} */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("GEMM: cblas_dgemm from C vs Blas.openBlas().gemm through FFM (row-major, α=1, β=0; median of ")
                .append(options.rounds()).append(" rounds × ").append(options.settings().repetitions()).append(" repetitions per side)\n");
        sb.append(machine.cpu()).append(", ").append(machine.processors()).append(" processors; ")
                .append(machine.openBlasConfig()).append("; JDK ").append(machine.jdk()).append('\n');
        if (!machine.environment().isEmpty()) {
            sb.append("environment: ").append(machine.environment()).append('\n');
        }
        sb.append('\n');

        List<String[]> t = new ArrayList<>();
        t.add(new String[]{"shape", "M×N×K op", "thr", "C GFLOPS", "FFM GFLOPS", "FFM/C", "C time/call", "FFM time/call", "C IQR", "FFM IQR", "calls/rep"});
        for (ComparisonRow r : rows) {
            String thr = r.threadsAsAsked() ? Integer.toString(r.threads())
                    : r.threads() + " (C " + r.c().threads() + ", FFM " + r.ffm().threads() + ")";
            t.add(new String[]{r.shape().name(), r.shape().dims(), thr, fmt("%.3f", r.cGflops()), fmt("%.3f", r.ffmGflops()),
                    fmt("%.3f", r.ratio()), time(r.c().medianSeconds()), time(r.ffm().medianSeconds()),
                    fmt("%.1f%%", 100 * r.c().relativeSpread()), fmt("%.1f%%", 100 * r.ffm().relativeSpread()),
                    Long.toString(r.c().callsPerRep())});
        }
        align(sb, t, 2);
        sb.append("(IQR: interquartile range of a side's samples over its median; differences below it are noise)\n");

        List<Integer> threads = options.threadCounts();
        if (threads.size() >= 2) {
            int first = threads.getFirst();
            int last = threads.getLast();
            sb.append("\nOpenBLAS threads: GFLOPS (median) and speed-up ").append(last).append(" vs ").append(first).append(" threads\n");
            List<String[]> u = new ArrayList<>();
            List<String> head = new ArrayList<>(List.of("shape", "M×N×K op"));
            for (String side : List.of("C", "FFM")) {
                for (int th : threads) {
                    head.add(side + " " + th + "T");
                }
                head.add(side + " " + last + "T/" + first + "T");
            }
            u.add(head.toArray(String[]::new));
            for (GemmShape shape : options.shapes()) {
                List<String> line = new ArrayList<>(List.of(shape.name(), shape.dims()));
                for (boolean cSide : new boolean[]{true, false}) {
                    for (int th : threads) {
                        ComparisonRow r = row(shape, th);
                        line.add(r == null ? "-" : fmt("%.3f", cSide ? r.cGflops() : r.ffmGflops()));
                    }
                    ComparisonRow a = row(shape, first);
                    ComparisonRow b = row(shape, last);
                    line.add(a == null || b == null ? "-"
                            : fmt("%.2f", cSide ? b.cGflops() / a.cGflops() : b.ffmGflops() / a.ffmGflops()));
                }
                u.add(line.toArray(String[]::new));
            }
            align(sb, u, 2);
        }

        sb.append('\n').append(fmt("FFM/C geometric mean over %d rows: %.3f", rows.size(), geometricMeanRatio()));
        sb.append(fmt(" (lowest %.3f, highest %.3f)\n",
                rows.stream().mapToDouble(ComparisonRow::ratio).min().orElse(Double.NaN),
                rows.stream().mapToDouble(ComparisonRow::ratio).max().orElse(Double.NaN)));
        GemmShape one = new GemmShape("1×1×1", 1, 1, 1, false, false);
        for (int th : threads) {
            ComparisonRow r = row(one, th);
            if (r != null) {
                double cNs = r.c().nsPerCallMedian();
                double fNs = r.ffm().nsPerCallMedian();
                sb.append(fmt("one call (1×1×1, %d thread%s): C %.1f ns, FFM %.1f ns (FFM %+.1f ns)\n",
                        th, th == 1 ? "" : "s", cNs, fNs, fNs - cNs));
            }
        }
        if (Boolean.FALSE.equals(machine.sameLibrary())) {
            sb.append("WARNING: the C program loaded ").append(machine.cLibrary()).append(" but the JVM loaded ")
                    .append(machine.openBlasPath()).append(": the two sides ran different libraries\n");
        }
        sb.append(fmt("took %.1f s\n", elapsed.toMillis() / 1000.0));
        return sb.toString();
    }

    /** {@return the report as indented JSON: settings, machine, and every row with both sides' samples} */
    public String toJson() {
        return Json.writeIndented(toJsonTree());
    }

    /** The report as a JSON-ready tree, for embedding in a larger report. */
    Map<String, Object> toJsonTree() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("benchmark", "gemm: cblas_dgemm called from C (native/gemm_bench) vs Blas.openBlas().gemm through FFM");
        root.put("started", started.toString());
        root.put("elapsed_s", elapsed.toMillis() / 1000.0);
        root.put("machine", machine.toJsonTree());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("thread_counts", new ArrayList<Object>(options.threadCounts()));
        settings.put("rounds", options.rounds());
        settings.put("repetitions_per_round", options.settings().repetitions());
        settings.put("warmup_ms", options.settings().warmupMillis());
        settings.put("min_rep_ms", options.settings().minRepMillis());
        settings.put("fixed_calls", options.settings().fixedCalls());
        settings.put("seed", options.settings().seed());
        settings.put("native_program", options.nativeProgram().toString());
        settings.put("scheme", "per shape and thread count, rounds alternate C,FFM / FFM,C / FFM,C / C,FFM ...; "
                + "each C round is a fresh run of the C program; calls per repetition calibrated by C in round 1, "
                + "then fixed for both sides; statistics over all rounds' samples");
        root.put("settings", settings);
        List<Object> rowList = new ArrayList<>();
        for (ComparisonRow r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.shape().name());
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
            rowList.add(m);
        }
        root.put("rows", rowList);
        root.put("geometric_mean_ratio_ffm_over_c", BenchReport.finiteOrNull(geometricMeanRatio()));
        return root;
    }

    private static Map<String, Object> measurementTree(Measurement x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threads", x.threads());
        m.put("calls_per_rep", x.callsPerRep());
        m.put("median_s", x.medianSeconds());
        m.put("min_s", x.minSeconds());
        m.put("relative_iqr", x.relativeSpread());
        m.put("gflops_median", x.gflopsMedian());
        m.put("gflops_max", x.gflopsMax());
        m.put("ns_per_call_median", x.nsPerCallMedian());
        m.put("checksum", x.checksum());
        m.put("samples_s", new ArrayList<Object>(x.secondsPerCall()));
        return m;
    }

    /**
     * Writes {@link #toJson()} to {@code file} atomically: a temporary file in the same directory, flushed to
     * disk, then renamed over the target; readers see the old file or the whole new one, never a part.
     */
    public void writeJson(Path file) throws IOException {
        writeAtomically(file, toJson());
    }

    static void writeAtomically(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        io.github.panamamlp.internal.AtomicFile.writeString(file, content);
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

    /** Appends rows as columns: the first two columns left-aligned (text), the rest right-aligned (numbers). */
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
}
