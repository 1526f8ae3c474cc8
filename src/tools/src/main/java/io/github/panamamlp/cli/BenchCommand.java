package io.github.panamamlp.cli;

import io.github.panamamlp.bench.BenchChart;
import io.github.panamamlp.bench.BenchReport;
import io.github.panamamlp.bench.BenchSettings;
import io.github.panamamlp.bench.CoretypeRun;
import io.github.panamamlp.bench.EpochBenchmark;
import io.github.panamamlp.bench.FullBench;
import io.github.panamamlp.bench.GemmComparison;
import io.github.panamamlp.bench.GemmShape;
import io.github.panamamlp.bench.TrainingSetup;
import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.internal.Untrusted;
import io.github.panamamlp.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures, in one run, and prints one table (also written as JSON):",
                "[1] GEMM through FFM against cblas_dgemm (float64) and cblas_sgemm (float32) called from C (native/gemm_bench, "
                        + "built by 'make native'), including the cost of one downcall, float32 beside float64;",
                "[2] whole training epochs on MNIST for each preset and a wide network (784→1024→1024→10), with their "
                        + "breakdown (GEMM, element-wise, update, batch copy), against the pure-Java reference;",
                "[3] the thread policy (auto: no --threads, as a user runs train) against 1 and 2 threads;",
                "[4] the epochs again with OPENBLAS_CORETYPE set (child JVM).",
                "Each part runs in float64 and float32 (--dtype): the types of a shape or setup alternate in one run.",
                "A PNG chart of the GEMM comparison and the epochs goes beside the JSON (out/bench.png).",
                "The kernels' own figures (element-wise ops, softmax, batch copy, updates, one step) are JMH's: make jmh.",
                "The whole run took 402 s on an AMD EPYC 2-vCPU VM shared with other work, load average 4-5 (target/panama-mlp "
                        + "bench, both types, 2026-11-30; 179 s for float64 alone, before float32 existed, at load 1.4-1.7)."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", paramLabel = "FILE", description = "Where the results go as JSON. Default: out/bench.json.")
    Path json = Path.of("out", "bench.json");

    @Option(names = "--data", paramLabel = "DIR", description = "The MNIST IDX files. Default: data/mnist.")
    Path data = Path.of("data/mnist");

    @Option(names = "--threads", paramLabel = "LIST", split = ",",
            description = "OpenBLAS thread counts, for the GEMM comparison and the epochs; 'auto' (epochs only): the thread "
                    + "policy, as train runs without --threads. Default: auto,1,2.")
    List<String> threads;

    @Option(names = "--dtype", paramLabel = "TYPE",
            description = "Element types measured, in the GEMM comparison and the epochs: float32, float64, or both (float64 "
                    + "and float32 side by side, interleaved). Default: both; the epochs of two types take twice as long as "
                    + "one, and --dtype float64 runs the bench as it was before float32.")
    String dtype = BOTH;

    @Option(names = "--shapes", paramLabel = "LIST", split = ",",
            description = "GEMM shapes to compare: tiny (1×1×1, 4×4×4), network (the products of training), square "
                    + "(1024³). Default: tiny,network,square.")
    List<String> shapes;

    @Option(names = "--rounds", paramLabel = "N", description = "Interleaved C/FFM rounds per GEMM shape. Default: 3.")
    Integer rounds;

    @Option(names = "--presets", paramLabel = "LIST", split = ",", converter = SetupName.class,
            description = "The training setups whose epochs are timed: the presets (default, tutorial) and wide "
                    + "(784→1024→1024→10 ReLU, Adam, batch 256, first 15,000 images). Default: default,tutorial,wide.")
    List<TrainingSetup> presets;

    @Option(names = "--epochs", paramLabel = "N", description = "Timed epochs per preset and thread count. Default: 5.")
    Integer epochs;

    @Option(names = "--no-reference", description = "Skip the epochs of the pure-Java reference.")
    boolean noReference;

    @Option(names = "--coretype", paramLabel = "NAME",
            description = "OPENBLAS_CORETYPE of the extra child-JVM run, or 'none' to skip it. Default: SkylakeX.")
    String coretype = "SkylakeX";

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N images only (quick checks; 0: all).")
    int limit;

    @Option(names = "--no-gemm", description = "Skip the GEMM comparison.")
    boolean noGemm;

    @Option(names = "--no-epochs", description = "Skip the training epochs (and the core-type run).")
    boolean noEpochs;

    @Option(names = "--native", paramLabel = "PATH", description = "The C baseline program. Default: native/gemm_bench.")
    Path nativeProgram;

    @Mixin
    Main.Common common = new Main.Common();

    /** {@code --presets} takes the names {@code --preset} takes, and "wide". */
    static final class SetupName implements ITypeConverter<TrainingSetup> {
        @Override
        public TrainingSetup convert(String value) {
            return TrainingSetup.named(value);
        }
    }

    private static final String BOTH = "both";

    /** The element types of {@code --dtype}: "both" (float64, then float32), or one type by any name {@link DType#parse} takes. */
    static List<DType> dtypes(String value) {
        if (value.trim().equalsIgnoreCase(BOTH)) {
            return BenchSettings.BOTH_DTYPES;
        }
        try {
            return List.of(DType.parse(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dtype takes float32, float64 or both, got " + Untrusted.quote(value));
        }
    }

    /** A thread count (at least 1), or "auto" ({@link BenchSettings#AUTO}) for the thread policy. */
    static int threadSetting(String value) {
        if (value.equalsIgnoreCase("auto")) {
            return BenchSettings.AUTO;
        }
        int t;
        try {
            t = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--threads takes counts and 'auto', got " + Untrusted.quote(value));
        }
        if (t < 1) {
            throw new IllegalArgumentException("thread counts must be at least 1 (or auto), got " + t);
        }
        return t;
    }

    /** What the options ask for: {@link FullBench.Options#defaults}, with what the options change. */
    FullBench.Options options() {
        FullBench.Options d = FullBench.Options.defaults(data);
        List<DType> types = dtypes(dtype);
        GemmComparison.Options g = d.gemm().withDTypes(types);
        EpochBenchmark.Options e = d.epochs().withDTypes(types);
        if (shapes != null) {
            List<GemmShape> s = new ArrayList<>();
            for (String group : shapes) {
                s.addAll(switch (group.toLowerCase(Locale.ROOT)) {
                    case "tiny" -> GemmShape.tiny();
                    case "network" -> GemmShape.network();
                    case "square" -> List.of(GemmShape.square1024());
                    default -> throw new IllegalArgumentException("unknown --shapes " + Untrusted.quote(group)
                            + " (expected tiny, network or square)");
                });
            }
            g = g.withShapes(s);
        }
        if (threads != null) {
            List<Integer> settings = threads.stream().map(BenchCommand::threadSetting).toList();
            // The C program runs a given count: the GEMM comparison takes the forced counts only.
            List<Integer> counts = settings.stream().filter(t -> t != BenchSettings.AUTO).toList();
            if (!counts.isEmpty()) {
                g = g.withThreadCounts(counts);
            } else {
                g = null;
            }
            e = e.withThreadCounts(settings);
        }
        if (rounds != null) {
            g = g.withRounds(rounds);
        }
        if (nativeProgram != null) {
            g = g.withNativeProgram(nativeProgram);
        }
        if (presets != null) {
            e = e.withSetups(presets);
        }
        if (epochs != null) {
            e = e.withMeasuredEpochs(epochs);
        }
        if (noReference) {
            e = e.withReference(false);
        }
        CoretypeRun.Request core = coretype.equalsIgnoreCase(NO_CORETYPE) ? null
                : new CoretypeRun.Request(coretype, child(e), CoretypeRun.DEFAULT_TIMEOUT);
        return new FullBench.Options(noGemm || g == null ? null : g, noEpochs ? null : e, data, limit, core);
    }

    private static final String NO_CORETYPE = "none";

    /** The command line of the core-type run's child: this command, with the epochs of {@code e} only. */
    private List<String> child(EpochBenchmark.Options e) {
        List<String> args = new ArrayList<>(List.of(Main.class.getName(), "bench", "--no-gemm", "--coretype", NO_CORETYPE,
                "--data", data.toAbsolutePath().toString(),
                "--dtype", e.dtypes().size() > 1 ? BOTH : e.dtypes().getFirst().label(),
                "--threads", String.join(",", e.threadCounts().stream().map(BenchSettings::label).toList()),
                "--presets", String.join(",", e.setups().stream().map(TrainingSetup::name).toList()),
                "--epochs", Integer.toString(e.measuredEpochs()), "--no-reference"));
        if (limit > 0) {
            args.addAll(List.of("--limit", Integer.toString(limit)));
        }
        return args;
    }

    @Override
    public Integer call() throws Exception {
        BenchReport report = FullBench.run(options(), System.err);
        spec.commandLine().getOut().print(report.table());
        report.writeJson(json);
        spec.commandLine().getOut().println("Wrote " + json);
        java.nio.file.Path chart = BenchChart.besideJson(json);
        if (BenchChart.writePng(report, OpenBlas.info().kernel(), chart)) {
            spec.commandLine().getOut().println("Wrote " + chart);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
