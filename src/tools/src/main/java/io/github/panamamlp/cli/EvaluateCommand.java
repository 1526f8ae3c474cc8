package io.github.panamamlp.cli;

import io.github.panamamlp.data.ArrayDataset;
import io.github.panamamlp.data.BatchSource;
import io.github.panamamlp.data.Dataset;
import io.github.panamamlp.data.IdxLabels;
import io.github.panamamlp.nn.Evaluation;
import io.github.panamamlp.nn.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Loss, accuracy and the confusion matrix of a saved model on an IDX dataset's test set.",
                "With --data FILE.csv: on every row of the file, its label column named by --label (default: the last"
                        + " column), the model's feature columns taken by name when its file names them."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file (.npz) written by train or by numpy.")
    Path modelFile;

    @Option(names = "--data", paramLabel = "DIR|FILE.csv", description = "Directory with the four IDX files, or a CSV file. Default: data/mnist.")
    Path data = Path.of("data/mnist");

    @Option(names = "--label", paramLabel = "COLUMN", description = "CSV: the label column, by header or 0-based index. Default: the last column.")
    String label;

    @Mixin
    Main.Common common = new Main.Common();

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        boolean csv = CsvData.isCsv(data);
        if (!csv && label != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--label is for a CSV file; --data " + data + " is not one");
        }
        try (Model model = Model.load(modelFile)) {
            // IDX: the test set only, the training files are not needed to evaluate.
            BatchSource set = csv ? CsvData.forModel(model, data, label) : Dataset.loadTest(data, IdxLabels.DEFAULT_CLASSES);
            Evaluation e = model.evaluate(set);
            o.printf(Locale.ROOT, "Model %s on %s: %,d %s%n", modelFile, data, e.count(), csv ? "rows" : "test images");
            o.printf(Locale.ROOT, "test loss %.4f  test accuracy %.4f%n", e.loss(), e.accuracy());
            o.println("Confusion matrix (rows: true class, columns: predicted):");
            o.print(e.confusionTable(model.classNames()));
            if (set instanceof ArrayDataset a && a.classes() < model.outputSize()) {
                o.printf(Locale.ROOT, "(the file's labels cover %d of the model's %d classes)%n", a.classes(), model.outputSize());
            }
        }
        return 0;
    }
}
