package io.github.panamamlp.cli;

import io.github.panamamlp.tensor.DType;

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
        DType dtype;
        try {
            dtype = net.dtype();
            if (modelFile == null) {
                if (inputs < 1 || classes < 1) {
                    throw new IllegalArgumentException("--inputs and --classes must be at least 1, got " + inputs + " and " + classes);
                }
                layers = net.layers(classes);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        // A model file has its own type; --dtype describes a network, or converts the file's as train would load it.
        boolean dtypeGiven = spec.commandLine().getParseResult().hasMatchedOption("--dtype");
        return run(spec.commandLine().getOut(), modelFile, inputs, layers, dtypeGiven || modelFile == null ? dtype : null);
    }

    /**
     * The command itself, also called by {@link FastPath}.
     *
     * @param layers the described network's layers when there is no model file
     * @param dtype  the element type: of the described network, or the model file's converted to it (null: the file's own)
     */
    static int run(PrintWriter out, Path modelFile, int inputs, List<Model.LayerSpec> layers, DType dtype) throws Exception {
        // The table needs no arithmetic, so the pure-Java GEMM is used: summary works without OpenBLAS.
        try (Model model = modelFile != null ? Model.load(modelFile, Blas.java(), dtype)
                : Model.zeros(inputs, layers, Blas.java(), dtype)) {
            out.print(model.summary());
        }
        return 0;
    }
}
