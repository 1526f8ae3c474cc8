package io.github.panamamlp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.data.Standardization;
import io.github.panamamlp.fuzz.FuzzFiles.Outcome;
import io.github.panamamlp.internal.npz.NpyArray;
import io.github.panamamlp.internal.npz.Npz;
import io.github.panamamlp.internal.npz.NpzContents;
import io.github.panamamlp.internal.npz.NpzFiles;
import io.github.panamamlp.io.ModelFormatException;
import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Dense;
import io.github.panamamlp.nn.Model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipOutputStream;

import static io.github.panamamlp.fuzz.FuzzFiles.assertClearMessage;
import static io.github.panamamlp.fuzz.FuzzFiles.withFile;

/**
 * Fuzzes the {@code .npz} model loader: {@link Npz#read} and {@link Model#load(Path, Blas)}. Contract: every input
 * is either loaded into a consistent result or rejected with a {@link ModelFormatException} whose message
 * starts with the file's path; anything else (another exception, even another {@link IOException}, an
 * {@link OutOfMemoryError}, a {@link StackOverflowError}, an allocation beyond {@link FuzzFiles}' budget)
 * fails the test.
 *
 * <p>Two targets. {@link #npzFile} writes the fuzz input as the file itself, which mostly exercises the zip
 * layer: a mutated zip seldom has valid CRCs, so the fuzzer rarely gets past them. {@link #npzEntries}
 * therefore reads the input as a list of entries and builds a well-formed zip of them (correct CRCs and
 * sizes), so the fuzzer works on what is inside: NPY headers, dtypes, shapes, payload lengths, the JSON text
 * and the model description. Its input format (see {@link #zipOf}) is simple enough to write seeds by hand.
 */
class ModelFileFuzzTest {

    /*
     * One model saved and loaded before any input is measured: the classes on that path are loaded (and, while
     * fuzzing, instrumented by Jazzer's hooks, which takes tens of megabytes) here, once, and not during the
     * first input that happens to describe a valid model, whose allocation budget is meant for what the file
     * makes the loader allocate.
     */
    static {
        try {
            Path dir = Files.createTempDirectory("panamamlp-fuzz-warmup");
            Path file = dir.resolve("warm.npz");
            try (Model m = Model.builder(2).dense(2, Activation.SOFTMAX).classNames(List.of("a", "b"))
                    .standardize(Standardization.of(new double[2], new double[]{1, 1})).blas(Blas.java()).build()) {
                m.save(file);
            }
            try (Model back = Model.load(file, Blas.java())) {
                back.classNames();
            }
            Files.delete(file);
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void npzFile(byte[] content) throws Exception {
        load(content);
    }

    @FuzzTest
    void npzEntries(byte[] entries) throws Exception {
        load(zipOf(entries));
    }

    /** {@code content} as a model file through {@link Npz#read} and {@link Model#load(Path, Blas)}, checking the contract. */
    static Outcome load(byte[] content) throws Exception {
        return withFile("model.npz", content, ModelFileFuzzTest::check);
    }

    private static Outcome check(Path file) throws IOException {
        NpzContents contents;
        try {
            contents = Npz.read(file);
        } catch (ModelFormatException e) {
            assertClearMessage(e, file);
            return Outcome.REJECTED;
        }
        for (NpyArray a : contents.arrays().values()) {
            long elements = 1;
            for (int dim : a.shape()) {
                elements *= dim;
            }
            check(elements == a.data().length, a + " holds " + a.data().length + " values");
        }
        check((contents.json() == null) == (contents.jsonEntryName() == null), "JSON text without its entry name");

        Model model;
        try {
            model = Model.load(file, Blas.java());
        } catch (ModelFormatException e) {
            assertClearMessage(e, file);
            return Outcome.REJECTED;
        }
        try (model) {
            // Loaded: every parameter must come from the file's arrays, unchanged.
            int layer = 1;
            int in = model.inputSize();
            for (Dense d : model.denseLayers()) {
                NpyArray w = contents.array("W" + layer);
                NpyArray b = contents.array("b" + layer);
                check(Arrays.equals(w.shape(), new int[]{in, d.outputSize()}), "W" + layer + " has shape " + w.shapeString());
                check(Arrays.equals(w.data(), d.weights().toArray()), "W" + layer + " was not loaded as it is in the file");
                check(Arrays.equals(b.data(), d.bias().toArray()), "b" + layer + " was not loaded as it is in the file");
                in = d.outputSize();
                layer++;
            }
            int statistics = 0;
            if (model.standardization().isPresent()) {
                // A standardization is the file's mean.npy and std.npy, unchanged, every std positive.
                NpyArray mean = contents.array("mean");
                NpyArray std = contents.array("std");
                check(Arrays.equals(mean.data(), model.standardization().get().mean()), "mean was not loaded as it is in the file");
                check(Arrays.equals(std.data(), model.standardization().get().std()), "std was not loaded as it is in the file");
                check(Arrays.stream(std.data()).allMatch(v -> v > 0), "a std that is not positive was accepted");
                statistics = 2;
            }
            check(contents.arrays().size() == 2 * model.denseLayers().size() + statistics, "the file holds arrays the model does not use");
            check(model.classNames().size() == model.outputSize() && model.classNames().stream().distinct().count() == model.outputSize(),
                    "class names " + model.classNames() + " for " + model.outputSize() + " classes");
            check(model.featureNames().isEmpty() || model.featureNames().size() == model.inputSize(),
                    "feature names " + model.featureNames() + " for " + model.inputSize() + " inputs");
        }
        return Outcome.ACCEPTED;
    }

    /**
     * A zip archive of the entries described by {@code spec}, each:
     * <pre>
     *   flags      1 byte    bit 0 set: deflated, else stored
     *   nameLength 1 byte
     *   name       nameLength bytes, ISO-8859-1
     *   dataLength 2 bytes   little-endian
     *   data       dataLength bytes (fewer if the input ends first)
     * </pre>
     * An entry whose name repeats an earlier one is left out (the JDK's zip writer refuses duplicates;
     * {@link #npzFile} covers those).
     */
    static byte[] zipOf(byte[] spec) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Set<String> names = new HashSet<>();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            int pos = 0;
            while (pos + 4 <= spec.length) {
                boolean deflated = (spec[pos] & 1) != 0;
                int nameLength = spec[pos + 1] & 0xFF;
                pos += 2;
                String name = new String(spec, pos, Math.min(nameLength, spec.length - pos), StandardCharsets.ISO_8859_1);
                pos = Math.min(spec.length, pos + nameLength);
                if (pos + 2 > spec.length) {
                    break;
                }
                int dataLength = (spec[pos] & 0xFF) | (spec[pos + 1] & 0xFF) << 8;
                pos += 2;
                byte[] data = Arrays.copyOfRange(spec, pos, Math.min(spec.length, pos + dataLength));
                pos += data.length;
                if (name.isEmpty() || !names.add(name)) {
                    continue;
                }
                NpzFiles.putEntry(zip, name, data, deflated);
            }
        }
        return bytes.toByteArray();
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
