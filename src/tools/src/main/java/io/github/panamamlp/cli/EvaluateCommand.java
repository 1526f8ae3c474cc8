package io.github.panamamlp.cli;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.data.Dataset;
import io.github.panamamlp.data.IdxLabels;
import io.github.panamamlp.data.LabeledImages;
import io.github.panamamlp.io.ModelFile;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.train.Evaluation;
import io.github.panamamlp.train.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Test loss, accuracy and the confusion matrix of a saved model on a dataset's test set.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file (.npz) written by train or by numpy.")
    Path modelFile;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory with the four IDX files. Default: data/mnist.")
    Path data = Path.of("data/mnist");

    @Mixin
    Main.Common common = new Main.Common();

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        try (Model model = ModelFile.load(modelFile, Blas.openBlas())) {
            // The test set only: the training files are not needed to evaluate.
            LabeledImages test = Dataset.loadTest(data, IdxLabels.DEFAULT_CLASSES);
            try (Evaluator ev = new Evaluator(model, 1000)) {
                Evaluation e = ev.evaluate(test);
                o.printf(Locale.ROOT, "Model %s on %s: %,d test images%n", modelFile, data, e.count());
                o.printf(Locale.ROOT, "test loss %.4f  test accuracy %.4f%n", e.loss(), e.accuracy());
                o.println("Confusion matrix (rows: true digit, columns: predicted):");
                o.print(e.confusionTable());
            }
        }
        return 0;
    }
}
