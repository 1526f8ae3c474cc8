package io.github.panamamlp.cli;

import io.github.panamamlp.tensor.DType;

import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Init;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Momentum;
import io.github.panamamlp.train.Optimizer;
import io.github.panamamlp.train.Sgd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Locale;

/**
 * The setup of a training run: a {@link Preset} ({@code default} or {@code tutorial}, defined there), and
 * flags that override its values. The help texts that name the presets' values are written from the
 * presets themselves ({@link Help}), so they cannot drift from them.
 */
@Command(resourceBundle = "io.github.panamamlp.cli.NetworkOptions$Help")
final class NetworkOptions {
    @Option(names = "--preset", paramLabel = "NAME", descriptionKey = "preset", description = "default or tutorial.")
    String preset = Preset.DEFAULT.label();

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set. Default: 10.")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", descriptionKey = "batch-size", description = "Mini-batch size.")
    Integer batchSize;

    @Option(names = "--optimizer", paramLabel = "NAME", descriptionKey = "optimizer", description = "adam, sgd or momentum.")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", descriptionKey = "lr", description = "Learning rate.")
    Double learningRate;

    @Option(names = "--momentum", paramLabel = "MU", description = "Momentum for --optimizer momentum. Default: 0.9.")
    double momentum = 0.9;

    List<Integer> hidden;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--hidden", paramLabel = "SIZES", descriptionKey = "hidden",
            description = "Hidden layer sizes, comma-separated.")
    void hidden(String sizes) {
        // Parsed here, not with picocli's split: that drops empty items, so '--hidden ,' meant no hidden layer.
        List<Integer> parsed = new ArrayList<>();
        for (String item : sizes.split(",", -1)) {
            if (item.isBlank()) {
                throw new ParameterException(mixee.commandLine(), "--hidden '" + sizes + "' has an empty item:"
                        + " give one or more sizes separated by commas, e.g. --hidden 128,64");
            }
            try {
                parsed.add(Integer.parseInt(item.trim()));
            } catch (NumberFormatException e) {
                throw new ParameterException(mixee.commandLine(), "--hidden '" + sizes + "': '" + item + "' is not a whole number");
            }
        }
        hidden = parsed;
    }

    @Option(names = "--activation", paramLabel = "NAME", descriptionKey = "activation", description = "Hidden activation: sigmoid or relu.")
    String activation = Preset.HIDDEN_ACTIVATION.id();

    @Option(names = "--init", paramLabel = "INIT", descriptionKey = "init", description = "glorot, or normal:SIGMA.")
    String init;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the initialization and the batch order. Default: 1.")
    long seed = 1;

    @Option(names = "--dtype", paramLabel = "TYPE", description = {"Element type of the parameters and activations: float64 or"
            + " float32. Default: float64.", "float32 halves the memory per value and runs the products through sgemm."})
    String dtype = DType.FLOAT64.label();

    DType dtype() {
        return DType.parse(dtype);
    }

    Preset preset() {
        return Preset.named(preset);
    }

    int epochs() {
        int e = epochs != null ? epochs : 10;
        if (e < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + e);
        }
        return e;
    }

    int batchSize() {
        int b = batchSize != null ? batchSize : preset().batchSize();
        if (b < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + b);
        }
        return b;
    }

    /**
     * The preset's optimizer, or the one {@code --optimizer} names; its learning rate is {@code --lr}, else the
     * preset's when the optimizer is the preset's, else {@link #defaultLearningRate} of the named one.
     */
    Optimizer optimizer() {
        Optimizer fromPreset = preset().optimizer();
        String name = optimizer != null ? optimizer.toLowerCase(Locale.ROOT) : optimizerName(fromPreset);
        double lr = learningRate != null ? learningRate : optimizer == null ? fromPreset.learningRate() : defaultLearningRate(name);
        return switch (name) {
            case "adam" -> new Adam(lr);
            case "sgd" -> new Sgd(lr);
            case "momentum" -> new Momentum(lr, momentum);
            default -> throw new IllegalArgumentException("unknown optimizer '" + optimizer + "' (expected adam, sgd or momentum)");
        };
    }

    /** The learning rate of {@code --optimizer NAME} without {@code --lr}; 0 for an unknown name (rejected later). */
    static double defaultLearningRate(String name) {
        return switch (name) {
            case "adam" -> 1e-3;
            case "sgd" -> 0.1;
            case "momentum" -> 0.01;
            default -> 0;
        };
    }

    /** The {@code --optimizer} value that selects {@code o}'s rule. */
    static String optimizerName(Optimizer o) {
        return switch (o) {
            case Adam a -> "adam";
            case Sgd s -> "sgd";
            case Momentum m -> "momentum";
        };
    }

    /** The {@code --init} value that selects {@code i}. */
    static String initSpec(Init i) {
        return switch (i) {
            case Init.GlorotUniform g -> "glorot";
            case Init.Normal n -> "normal:" + n.sigma();
        };
    }

    Init init() {
        if (init == null) {
            return preset().init();
        }
        String s = init.toLowerCase(Locale.ROOT);
        if (s.equals("glorot") || s.equals("glorot-uniform")) {
            return Init.glorotUniform();
        }
        if (s.startsWith("normal:")) {
            try {
                return Init.normal(Double.parseDouble(s.substring("normal:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad --init '" + init + "': expected normal:SIGMA with a number");
            }
        }
        throw new IllegalArgumentException("unknown --init '" + init + "' (expected glorot or normal:SIGMA)");
    }

    List<Model.LayerSpec> layers(int classes) {
        // Only what a hidden layer may use is offered: softmax belongs to the last layer alone.
        Activation act = switch (activation.trim().toLowerCase(Locale.ROOT)) {
            case "sigmoid" -> Activation.SIGMOID;
            case "relu" -> Activation.RELU;
            default -> throw new IllegalArgumentException("unknown --activation '" + activation + "' (expected sigmoid or relu)");
        };
        List<Model.LayerSpec> specs = new ArrayList<>();
        for (int h : hidden != null ? hidden : List.of(Preset.HIDDEN_UNITS)) {
            if (h < 1) {
                throw new IllegalArgumentException("--hidden sizes must be at least 1, got " + h);
            }
            specs.add(new Model.LayerSpec(h, act));
        }
        specs.add(new Model.LayerSpec(classes, Activation.SOFTMAX));
        return specs;
    }

    /** The help texts that state the presets' values, written from {@link Preset} (picocli reads them by descriptionKey). */
    public static final class Help extends ListResourceBundle {
        /** Instantiated by {@link java.util.ResourceBundle#getBundle}. */
        public Help() {
        }

        @Override
        protected Object[][] getContents() {
            List<String> presets = new ArrayList<>();
            for (Preset p : Preset.values()) {
                Optimizer o = p.optimizer();
                presets.add(String.format(Locale.ROOT, "%s (%s, %s: --init %s --optimizer %s --lr %s --batch-size %d)", p.label(),
                        p.alias(), p.origin(), initSpec(p.init()), optimizerName(o), o.learningRate(), p.batchSize()));
            }
            return new Object[][]{
                    {"preset", String.join(" or ", presets) + ". Default: " + Preset.DEFAULT.label() + "."},
                    {"batch-size", "Mini-batch size. Default: the preset's" + perPreset(p -> Integer.toString(p.batchSize())) + "."},
                    {"optimizer", "adam, sgd or momentum. Default: the preset's" + perPreset(p -> optimizerName(p.optimizer())) + "."},
                    {"lr", "Learning rate. Default: the preset's" + perPreset(p -> Double.toString(p.optimizer().learningRate()))
                            + "; with --optimizer: " + defaultLearningRate("adam") + " for adam, " + defaultLearningRate("sgd")
                            + " for sgd, " + defaultLearningRate("momentum") + " for momentum."},
                    {"init", "glorot, or normal:SIGMA. Default: the preset's" + perPreset(p -> initSpec(p.init())) + "."},
                    {"hidden", "Hidden layer sizes, comma-separated. Default: " + Preset.HIDDEN_UNITS + "."},
                    {"activation", "Hidden activation: sigmoid or relu. Default: " + Preset.HIDDEN_ACTIVATION.id() + "."},
            };
        }

        /** e.g. " (default: 32, tutorial: 100)" */
        private static String perPreset(java.util.function.Function<Preset, String> value) {
            return " (" + String.join(", ", Arrays.stream(Preset.values()).map(p -> p.label() + ": " + value.apply(p)).toList()) + ")";
        }
    }
}
