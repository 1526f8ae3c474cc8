package io.github.panamamlp.cli;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.io.ModelFile;
import io.github.panamamlp.nn.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "The layer table of a model file, or of the network the train flags describe (default 784 → 50 sigmoid → 10 softmax).")
final class SummaryCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "A model file (.npz).")
    Path modelFile;

    @Option(names = "--inputs", paramLabel = "N", description = "Input features of the described network. Default: 784.")
    int inputs = 784;

    @Option(names = "--classes", paramLabel = "N", description = "Classes of the described network. Default: 10.")
    int classes = 10;

    @Mixin
    NetworkOptions net = new NetworkOptions();

    @Mixin
    Main.Common common = new Main.Common();

    @Override
    public Integer call() throws Exception {
        return run(spec.commandLine().getOut(), modelFile, inputs, classes, net);
    }

    /** The command itself, also called by {@link Main}'s fast path. */
    static int run(PrintWriter out, Path modelFile, int inputs, int classes, NetworkOptions net) throws Exception {
        // The table needs no arithmetic, so the pure-Java GEMM is used: summary works without OpenBLAS.
        try (Model model = modelFile != null ? ModelFile.load(modelFile, Blas.java())
                : Model.zeros(inputs, net.layers(classes), Blas.java())) {
            out.print(model.summary());
        }
        return 0;
    }
}
