package io.github.panamamlp.cli;

import io.github.panamamlp.bench.BenchReport;
import io.github.panamamlp.bench.EpochBenchmark;
import io.github.panamamlp.bench.FullBench;
import io.github.panamamlp.bench.GemmComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures, in one run, and prints one table (also written as JSON):",
                "[1] GEMM through FFM against cblas_dgemm called from C (native/gemm_bench, built by 'make native'), "
                        + "including the cost of one downcall;",
                "[2] whole training epochs on MNIST for the default setup and --preset tutorial, with their breakdown "
                        + "(GEMM, element-wise, update, batch copy), against the pure-Java reference;",
                "[3] OpenBLAS with 1 thread against 2;",
                "[4] the epochs again with OPENBLAS_CORETYPE set (child JVM).",
                "Takes about 2–4 minutes."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", paramLabel = "FILE", description = "Where the results go as JSON. Default: out/bench.json.")
    Path json = Path.of("out", "bench.json");

    @Option(names = "--data", paramLabel = "DIR", description = "The MNIST IDX files. Default: data/mnist.")
    Path data = Path.of("data/mnist");

    @Option(names = "--rounds", paramLabel = "N", description = "Interleaved C/FFM rounds per GEMM shape. Default: 3.")
    Integer rounds;

    @Option(names = "--epochs", paramLabel = "N", description = "Timed epochs per setup and thread count. Default: 5.")
    Integer epochs;

    @Option(names = "--reference-images", paramLabel = "N",
            description = "Images the pure-Java reference trains on per round (0: skip it). Default: 3200.")
    Integer referenceImages;

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

    @Override
    public Integer call() throws Exception {
        FullBench.Options d = FullBench.Options.defaults(data);
        GemmComparison.Options g = d.gemm();
        if (rounds != null) {
            g = g.withRounds(rounds);
        }
        if (nativeProgram != null) {
            g = g.withNativeProgram(nativeProgram);
        }
        EpochBenchmark.Options e = d.epochs();
        if (epochs != null) {
            e = e.withMeasuredEpochs(epochs);
        }
        if (referenceImages != null) {
            e = e.withReferenceImages(referenceImages);
        }
        String core = coretype == null || coretype.toLowerCase(Locale.ROOT).equals("none") ? null : coretype;
        FullBench.Options o = new FullBench.Options(noGemm ? null : g, noEpochs ? null : e, data, limit, core, d.childTimeout());
        BenchReport report = FullBench.run(o, System.err);
        spec.commandLine().getOut().print(report.table());
        report.writeJson(json);
        spec.commandLine().getOut().println("Wrote " + json);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
