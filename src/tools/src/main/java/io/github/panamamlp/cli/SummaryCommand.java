package io.github.panamamlp.cli;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.nn.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
        List<Model.LayerSpec> layers = null;
        if (modelFile == null) {
            try {
                if (inputs < 1 || classes < 1) {
                    throw new IllegalArgumentException("--inputs and --classes must be at least 1, got " + inputs + " and " + classes);
                }
                layers = net.layers(classes);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return run(spec.commandLine().getOut(), modelFile, inputs, layers);
    }

    /**
     * The command itself, also called by {@link FastPath}.
     *
     * @param layers the described network's layers when there is no model file
     */
    static int run(PrintWriter out, Path modelFile, int inputs, List<Model.LayerSpec> layers) throws Exception {
        // The table needs no arithmetic, so the pure-Java GEMM is used: summary works without OpenBLAS.
        try (Model model = modelFile != null ? Model.load(modelFile, Blas.java())
                : Model.zeros(inputs, layers, Blas.java())) {
            out.print(model.summary());
        }
        return 0;
    }
}
