package io.github.panamamlp.cli;

import io.github.panamamlp.bench.ComparisonReport;
import io.github.panamamlp.bench.GemmComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "GEMM through FFM against cblas_dgemm called from C (native/gemm_bench, built by 'make native'), side by side.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", paramLabel = "FILE", description = "Where the results go as JSON. Default: out/gemm-bench.json.")
    Path json = GemmComparison.DEFAULT_JSON;

    @Option(names = "--rounds", paramLabel = "N", description = "Interleaved C/FFM rounds per shape. Default: 5.")
    Integer rounds;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        GemmComparison.Options o = GemmComparison.Options.defaults();
        if (rounds != null) {
            o = o.withRounds(rounds);
        }
        PrintStream progress = System.err;
        ComparisonReport report = GemmComparison.run(o, progress);
        spec.commandLine().getOut().print(report.table());
        report.writeJson(json);
        spec.commandLine().getOut().println("Wrote " + json);
        return 0;
    }
}
