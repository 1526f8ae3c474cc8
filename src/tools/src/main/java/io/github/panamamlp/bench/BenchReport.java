package io.github.panamamlp.bench;

import io.github.panamamlp.internal.Json;
import io.github.panamamlp.preset.Preset;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.panamamlp.bench.ComparisonReport.align;
import static io.github.panamamlp.bench.ComparisonReport.fmt;

/**
 * Everything {@code panama-mlp bench} measured in one run: the GEMM comparison, the training epochs with
 * their breakdown and the reference, the epochs with another OpenBLAS kernel, and the targets.
 *
 * @param started     when the run began
 * @param elapsed     how long it took
 * @param machine     the machine, JDK and OpenBLAS of this JVM
 * @param loadBefore  /proc/loadavg when the run began ("" where unknown): how busy the machine was
 * @param loadAfter   /proc/loadavg when it ended
 * @param gemm        the GEMM comparison, or null when skipped
 * @param epochOptions how the epochs were run, or null when skipped
 * @param epochs      one result per setup (empty when skipped)
 * @param coretype    the epochs with {@code OPENBLAS_CORETYPE} set, or null when skipped
 */
public record BenchReport(Instant started, Duration elapsed, MachineInfo machine, String loadBefore, String loadAfter,
                          ComparisonReport gemm, EpochBenchmark.Options epochOptions, List<SetupResult> epochs,
                          CoretypeRun.Result coretype) {
    /** FFM/C must reach this on every shape of the network. */
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

    /** GEMM's least share of an epoch for a setup: 80% for the tutorial preset, 70% for the default (Adam, batch 32). */
    public static double gemmShareTarget(TrainingSetup setup) {
        return setup.name().equals(Preset.TUTORIAL.label()) ? 0.80 : 0.70;
    }

    /**
     * The targets this run can judge: FFM/C on every measured shape but the tiny ones (where only the call
     * overhead is timed), and GEMM's share of the epoch for every setup and thread count (default kernel).
     */
    public List<Target> targets() {
        List<Target> t = new ArrayList<>();
        if (gemm != null) {
            for (ComparisonRow r : gemm.rows()) {
                if (!r.shape().name().startsWith("tiny")) {
                    t.add(new Target("FFM/C " + r.shape().name() + " " + r.threads() + "T", r.ratio(), FFM_RATIO_TARGET));
                }
            }
        }
        for (SetupResult r : epochs) {
            for (int th : r.threadCounts()) {
                t.add(new Target("GEMM share " + r.setup().name() + " " + th + "T", r.median(th, EpochSample::gemmShare),
                        gemmShareTarget(r.setup())));
            }
        }
        return t;
    }

    /** The whole report as aligned text for a terminal; ends with a newline. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("panama-mlp bench: ").append(machine.cpu()).append(", ").append(machine.processors()).append(" processors; ")
                .append(machine.openBlasConfig()).append("; JDK ").append(machine.jdk()).append('\n');
        if (!loadBefore.isEmpty()) {
            sb.append("load average (1, 5, 15 min) at start: ").append(loadBefore).append(", at end: ").append(loadAfter);
            // Before the run, anything above 1 is other work; at its end, the benchmark itself adds up to one per processor.
            if (loadOf(loadBefore) > 1.0 || loadOf(loadAfter) > machine.processors()) {
                sb.append(" (other work shared the CPU: the figures are noisier than on an idle machine)");
            }
            sb.append('\n');
        }
        if (gemm != null) {
            sb.append("\n[1] ");
            sb.append(gemm.table());
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
                t.add(new String[]{x.name(), "", share ? fmt("%.1f%%", 100 * x.value()) : fmt("%.3f", x.value()),
                        share ? fmt("≥ %.0f%%", 100 * x.threshold()) : fmt("≥ %.2f", x.threshold()),
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

    private void epochTable(StringBuilder sb) {
        EpochBenchmark.Options o = epochOptions;
        SetupResult first = epochs.getFirst();
        sb.append("[2] Training epochs on MNIST (").append(fmt("%,d", first.trainImages()))
                .append(" training images, no evaluation); native = OpenBLAS through FFM; median of ")
                .append(o.measuredEpochs()).append(" epochs per thread count after ").append(o.warmupEpochs())
                .append(" warm-up epoch(s), thread counts interleaved\n");
        for (SetupResult r : epochs) {
            sb.append("  ").append(r.setup().name()).append(": ").append(r.setup().describe(784, 10)).append(", ")
                    .append(fmt("%,d", r.batchesPerEpoch())).append(" batches\n");
        }
        List<String[]> t = new ArrayList<>();
        t.add(new String[]{"setup", "thr", "epoch", "IQR", "GEMM", "GEMM %", "element-wise", "update", "batch copy", "rest",
                "reference*", "speed-up"});
        for (SetupResult r : epochs) {
            for (int th : r.threadCounts()) {
                double epoch = r.median(th, EpochSample::seconds);
                double ref = r.referenceEpochSeconds();
                t.add(new String[]{r.setup().name(), Integer.toString(th), fmt("%.3f s", epoch),
                        fmt("%.1f%%", 100 * r.relativeSpread(th)), fmt("%.3f s", r.median(th, EpochSample::gemm)),
                        fmt("%.1f%%", 100 * r.median(th, EpochSample::gemmShare)),
                        fmt("%.3f s", r.median(th, EpochSample::elementwise)), fmt("%.3f s", r.median(th, EpochSample::update)),
                        fmt("%.3f s", r.median(th, EpochSample::assembly)), fmt("%.3f s", r.median(th, EpochSample::rest)),
                        Double.isNaN(ref) ? "-" : fmt("%.2f s", ref), Double.isNaN(ref) ? "-" : fmt("%.2f×", ref / epoch)});
            }
        }
        align(sb, t, 1);
        sb.append("""
                GEMM: time inside Blas.gemm (checks + FFM downcall + OpenBLAS), from a timing decorator; GEMM % is its \
                share of the epoch.
                element-wise: forward+backward minus GEMM (bias, sigmoid, softmax, loss, accuracy count, column sums).
                update: the optimizer over all 39,760 parameters; batch copy: shuffled images → input matrix (pixel/255);
                rest: shuffle and loop. Each column is its own median; IQR: interquartile range of the epoch times / median.
                """);
        if (o.referenceImages() > 0) {
            sb.append("* reference: the pure-Java ReferenceMlp (double[][], plain loops) trained on ")
                    .append(fmt("%,d", o.referenceImages())).append(" images per round (")
                    .append(String.join(", ", epochs.stream().map(r -> r.referenceStepsPerRound() + " steps " + r.setup().name()).toList()))
                    .append("),\n  NOT a whole epoch: its median time per step × batches per epoch; steps only (its batches are\n")
                    .append("  converted to double[][] beforehand). speed-up = reference epoch / native epoch, both in this run.\n");
        }
        if (epochs.stream().anyMatch(r -> r.threadCounts().size() >= 2)) {
            sb.append("\n[3] OpenBLAS threads: epoch and GEMM time (medians), and speed-up of the last count over the first\n");
            List<String[]> u = new ArrayList<>();
            u.add(new String[]{"setup", "threads", "epochs", "GEMM", "epoch speed-up", "GEMM speed-up"});
            for (SetupResult r : epochs) {
                List<Integer> th = r.threadCounts();
                if (th.size() < 2) {
                    continue;
                }
                int a = th.getFirst();
                int b = th.getLast();
                StringBuilder e = new StringBuilder();
                StringBuilder g = new StringBuilder();
                for (int x : th) {
                    e.append(e.isEmpty() ? "" : " / ").append(fmt("%.3f", r.median(x, EpochSample::seconds)));
                    g.append(g.isEmpty() ? "" : " / ").append(fmt("%.3f", r.median(x, EpochSample::gemm)));
                }
                u.add(new String[]{r.setup().name(), th.toString().replace(" ", ""), e + " s", g + " s",
                        fmt("%.2f×", r.median(a, EpochSample::seconds) / r.median(b, EpochSample::seconds)),
                        fmt("%.2f×", r.median(a, EpochSample::gemm) / r.median(b, EpochSample::gemm))});
            }
            align(sb, u, 2);
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
        t.add(new String[]{"setup", "thr", "epoch", "IQR", "GEMM", "GEMM %", "element-wise", "update", "batch copy",
                "GEMM speed-up", "epoch speed-up"});
        for (SetupResult r : coretype.results()) {
            SetupResult base = epochs.stream().filter(x -> x.setup().name().equals(r.setup().name())).findFirst().orElse(null);
            for (int th : r.threadCounts()) {
                double epoch = r.median(th, EpochSample::seconds);
                double g = r.median(th, EpochSample::gemm);
                boolean comparable = base != null && base.threadCounts().contains(th);
                t.add(new String[]{r.setup().name(), Integer.toString(th), fmt("%.3f s", epoch), fmt("%.1f%%", 100 * r.relativeSpread(th)),
                        fmt("%.3f s", g), fmt("%.1f%%", 100 * r.median(th, EpochSample::gemmShare)),
                        fmt("%.3f s", r.median(th, EpochSample::elementwise)), fmt("%.3f s", r.median(th, EpochSample::update)),
                        fmt("%.3f s", r.median(th, EpochSample::assembly)),
                        comparable ? fmt("%.2f×", base.median(th, EpochSample::gemm) / g) : "-",
                        comparable ? fmt("%.2f×", base.median(th, EpochSample::seconds) / epoch) : "-"});
            }
        }
        align(sb, t, 1);
        sb.append("  speed-ups are against the default kernel's medians in [2] (measured minutes apart, not interleaved).\n")
                .append("  A faster GEMM lowers GEMM's share: the targets are judged on the default kernel.\n");
    }

    /** The report as indented JSON. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("benchmark", "panama-mlp bench");
        root.put("started", started.toString());
        root.put("elapsed_s", elapsed.toMillis() / 1000.0);
        root.put("machine", machine.toJsonTree());
        root.put("load_average_start", loadBefore);
        root.put("load_average_end", loadAfter);
        root.put("gemm", gemm == null ? null : gemm.toJsonTree());
        if (epochOptions != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("thread_counts", new ArrayList<Object>(epochOptions.threadCounts()));
            e.put("warmup_epochs_per_thread_count", epochOptions.warmupEpochs());
            e.put("measured_epochs_per_thread_count", epochOptions.measuredEpochs());
            e.put("reference_images_per_round", epochOptions.referenceImages());
            e.put("seed", epochOptions.seed());
            e.put("scheme", "one model per setup; per round one epoch at each thread count (order reversed every other round), "
                    + "then the reference's steps; epochs are Trainer.fit without evaluation; GEMM from a timing Blas decorator; "
                    + "reference epoch = median seconds per step x batches per epoch (steps only)");
            List<Object> list = new ArrayList<>();
            for (SetupResult r : epochs) {
                list.add(r.toJsonTree());
            }
            e.put("results", list);
            root.put("epochs", e);
        } else {
            root.put("epochs", null);
        }
        if (coretype != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("openblas_coretype", coretype.coretype());
            c.put("openblas_config", coretype.openBlasConfig());
            c.put("error", coretype.error());
            List<Object> list = new ArrayList<>();
            for (SetupResult r : coretype.results()) {
                list.add(r.toJsonTree());
            }
            c.put("results", list);
            root.put("coretype", c);
        } else {
            root.put("coretype", null);
        }
        List<Object> targets = new ArrayList<>();
        for (Target t : targets()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("value", t.value());
            m.put("threshold", t.threshold());
            m.put("met", t.met());
            targets.add(m);
        }
        root.put("targets", targets);
        return Json.writeIndented(root);
    }

    /** {@code v}, or null where it is NaN or infinite: JSON has no such numbers, and null says "no value". */
    static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Writes {@link #toJson()} atomically (temporary file in the same directory, then rename). */
    public void writeJson(Path file) throws IOException {
        ComparisonReport.writeAtomically(file, toJson());
    }
}
