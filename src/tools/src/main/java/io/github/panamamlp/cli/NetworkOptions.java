package io.github.panamamlp.cli;

import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Init;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Momentum;
import io.github.panamamlp.train.Optimizer;
import io.github.panamamlp.train.Sgd;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The setup of a training run. Two presets: {@code default}, the tutorial's Keras cell (Glorot init,
 * Adam, batch 32, 10 epochs), and {@code tutorial}, the tutorial's numpy loop (normal init σ 0.01,
 * SGD lr 0.1, batch 100). Any flag overrides its preset's value.
 */
final class NetworkOptions {
    enum Preset { DEFAULT, TUTORIAL }

    @Option(names = "--preset", paramLabel = "NAME", description = "default (Keras: Glorot, Adam, batch 32) or tutorial (numpy: normal σ 0.01, SGD lr 0.1, batch 100). Default: default.")
    String preset = "default";

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set. Default: 10.")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Mini-batch size. Default: 32 (tutorial preset: 100).")
    Integer batchSize;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "adam, sgd or momentum. Default: adam (tutorial preset: sgd).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate. Default: 0.001 for adam, 0.1 for sgd, 0.01 for momentum.")
    Double learningRate;

    @Option(names = "--momentum", paramLabel = "MU", description = "Momentum for --optimizer momentum. Default: 0.9.")
    double momentum = 0.9;

    List<Integer> hidden;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--hidden", paramLabel = "SIZES", description = "Hidden layer sizes, comma-separated. Default: 50.")
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

    @Option(names = "--activation", paramLabel = "NAME", description = "Hidden activation: sigmoid or relu. Default: sigmoid.")
    String activation = "sigmoid";

    @Option(names = "--init", paramLabel = "INIT", description = "glorot, or normal:SIGMA. Default: glorot (tutorial preset: normal:0.01).")
    String init;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the initialization and the batch order. Default: 1.")
    long seed = 1;

    Preset preset() {
        return switch (preset.toLowerCase(Locale.ROOT)) {
            case "default", "keras" -> Preset.DEFAULT;
            case "tutorial", "numpy" -> Preset.TUTORIAL;
            default -> throw new IllegalArgumentException("unknown preset '" + preset + "' (expected default or tutorial)");
        };
    }

    int epochs() {
        int e = epochs != null ? epochs : 10;
        if (e < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + e);
        }
        return e;
    }

    int batchSize() {
        int b = batchSize != null ? batchSize : preset() == Preset.TUTORIAL ? 100 : 32;
        if (b < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + b);
        }
        return b;
    }

    Optimizer optimizer() {
        String name = optimizer != null ? optimizer.toLowerCase(Locale.ROOT) : preset() == Preset.TUTORIAL ? "sgd" : "adam";
        return switch (name) {
            case "adam" -> new Adam(learningRate != null ? learningRate : 1e-3);
            case "sgd" -> new Sgd(learningRate != null ? learningRate : 0.1);
            case "momentum" -> new Momentum(learningRate != null ? learningRate : 0.01, momentum);
            default -> throw new IllegalArgumentException("unknown optimizer '" + optimizer + "' (expected adam, sgd or momentum)");
        };
    }

    Init init() {
        String s = init != null ? init.toLowerCase(Locale.ROOT) : preset() == Preset.TUTORIAL ? "normal:0.01" : "glorot";
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
        for (int h : hidden != null ? hidden : List.of(50)) {
            if (h < 1) {
                throw new IllegalArgumentException("--hidden sizes must be at least 1, got " + h);
            }
            specs.add(new Model.LayerSpec(h, act));
        }
        specs.add(new Model.LayerSpec(classes, Activation.SOFTMAX));
        return specs;
    }
}
