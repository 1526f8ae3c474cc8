package io.github.panamamlp.cli;

import io.github.panamamlp.data.ArrayDataset;
import io.github.panamamlp.data.Dataset;
import io.github.panamamlp.data.GrayImage;
import io.github.panamamlp.nn.Model;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"The class probabilities and predicted class for one test image or one 28×28 grayscale PNG/PGM file.",
                "With --data FILE.csv: the predicted class name of every row of the file, one per line. The model's feature"
                        + " columns are taken by name when its file names them (other columns, a label column included, are"
                        + " ignored), else every column but --label."})
final class PredictCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file (.npz).")
    Path modelFile;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Input input = new Input();

    static final class Input {
        @Option(names = "--index", paramLabel = "N", description = "Index of an image of the dataset's test set.")
        Integer index;

        @Option(names = "--image", paramLabel = "FILE", description = "A 28×28 grayscale PNG or binary PGM, white digit on black (as MNIST).")
        Path image;
    }

    @Option(names = "--data", paramLabel = "DIR|FILE.csv", description = "Dataset directory for --index, or a CSV file to predict every row of. Default: data/mnist.")
    Path data = Path.of("data/mnist");

    @Option(names = "--label", paramLabel = "COLUMN", description = "CSV: a column to leave out (the label), by header or 0-based index.")
    String label;

    @Mixin
    Main.Common common = new Main.Common();

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        boolean csv = input.index == null && input.image == null;
        if (csv && !CsvData.isCsv(data)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Give --index N or --image FILE, or --data FILE.csv to predict every row of a CSV file");
        }
        if (!csv && label != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--label is for --data FILE.csv");
        }
        try (Model model = Model.load(modelFile)) {
            if (csv) {
                List<String> columns = CsvData.modelColumns(model, ArrayDataset.readCsvHeader(data), label);
                List<String> names = model.classNames();
                for (int c : model.predictClasses(ArrayDataset.readCsvFeatures(data, columns))) {
                    o.println(names.get(c));
                }
                return 0;
            }
            double[] x;
            String what;
            Integer trueLabel = null;
            if (input.index != null) {
                Dataset ds = Dataset.load(data);
                int n = ds.test().count();
                if (input.index < 0 || input.index >= n) {
                    throw new IllegalArgumentException("--index " + input.index + " is outside the test set (0.." + (n - 1) + ")");
                }
                x = ds.test().images().imageAsDoubles(input.index);
                trueLabel = ds.test().labels().label(input.index);
                what = "test image " + input.index;
            } else {
                x = GrayImage.read(input.image);
                what = input.image.toString();
            }
            if (x.length != model.inputSize()) {
                throw new IllegalArgumentException(what + " has " + x.length + " pixels but the model takes " + model.inputSize());
            }
            double[] p = model.predict(x);
            int best = 0;
            for (int i = 1; i < p.length; i++) {
                if (p[i] > p[best]) {
                    best = i;
                }
            }
            o.println(what + (trueLabel != null ? " (label " + trueLabel + ")" : ""));
            for (int i = 0; i < p.length; i++) {
                o.printf(Locale.ROOT, "  %d  %.6f%s%n", i, p[i], i == best ? "  <" : "");
            }
            o.println("predicted: " + best);
        }
        return 0;
    }
}
