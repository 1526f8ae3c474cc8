package io.github.panamamlp.cli;

import io.github.panamamlp.bench.BenchSettings;
import io.github.panamamlp.bench.FullBench;
import io.github.panamamlp.bench.GemmShape;
import io.github.panamamlp.bench.TrainingSetup;
import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.internal.Json;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code panama-mlp bench}'s options, and what they ask of the benchmark. */
class BenchCommandTest {
    private static FullBench.Options parse(String... args) {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).parseArgs(args);
        return bench.options();
    }

    @Test
    void defaultsRunEverything() {
        FullBench.Options o = parse();
        assertEquals(GemmShape.defaults(), o.gemm().shapes());
        assertEquals(List.of(1, 2), o.gemm().threadCounts());
        assertEquals(3, o.gemm().rounds());
        assertEquals(List.of(TrainingSetup.of(Preset.DEFAULT), TrainingSetup.of(Preset.TUTORIAL), TrainingSetup.wide()),
                o.epochs().setups());
        assertEquals(List.of(BenchSettings.AUTO, 1, 2), o.epochs().threadCounts(), "the policy beside the fixed counts");
        assertEquals(5, o.epochs().measuredEpochs());
        assertEquals("SkylakeX", o.coretype().coretype());
        assertEquals(List.of(DType.FLOAT64, DType.FLOAT32), o.gemm().dtypes(), "float32 beside float64");
        assertEquals(List.of(DType.FLOAT64, DType.FLOAT32), o.epochs().dtypes());
        assertEquals(List.of(Main.class.getName(), "bench", "--no-gemm", "--coretype", "none", "--data", Path.of("data/mnist").toAbsolutePath().toString(),
                "--dtype", "both", "--threads", "auto,1,2", "--presets", "default,tutorial,wide", "--epochs", "5", "--no-reference"), o.coretype().mainAndArgs());
        assertTrue(o.epochs().reference());
        assertEquals(Path.of("data/mnist"), o.data());
        assertEquals(0, o.limit());
    }

    @Test
    void optionsReachTheBenchmark() {
        FullBench.Options o = parse("--threads", "2", "--shapes", "tiny,square", "--rounds", "7", "--presets", "numpy",
                "--epochs", "2", "--coretype", "none", "--limit", "500", "--native", "x/gemm_bench", "--data", "d");
        assertEquals(List.of(2), o.gemm().threadCounts());
        assertEquals(List.of(GemmShape.tiny().get(0), GemmShape.tiny().get(1), GemmShape.square1024()), o.gemm().shapes());
        assertEquals(7, o.gemm().rounds());
        assertEquals(Path.of("x/gemm_bench"), o.gemm().nativeProgram());
        assertEquals(List.of(TrainingSetup.of(Preset.TUTORIAL)), o.epochs().setups());
        assertEquals(List.of(2), o.epochs().threadCounts());
        assertEquals(2, o.epochs().measuredEpochs());
        assertNull(o.coretype());
        assertEquals(500, o.limit());
        assertEquals(Path.of("d"), o.data());
        assertNull(parse("--no-gemm").gemm());
        assertFalse(parse("--no-reference").epochs().reference());
        assertNull(parse("--no-epochs").epochs());
        FullBench.Options auto = parse("--threads", "auto,4", "--presets", "wide");
        assertEquals(List.of(BenchSettings.AUTO, 4), auto.epochs().threadCounts());
        assertEquals(List.of(4), auto.gemm().threadCounts(), "the C program needs a count: the GEMM comparison skips auto");
        assertEquals(List.of(TrainingSetup.wide()), auto.epochs().setups());
        assertNull(parse("--threads", "auto").gemm());
    }

    @Test
    void dtypeChoosesTheTypesOfBothPartsAndOfTheChild() {
        for (String name : List.of("float32", "f32", "FLOAT32")) {
            FullBench.Options o = parse("--dtype", name);
            assertEquals(List.of(DType.FLOAT32), o.gemm().dtypes(), name);
            assertEquals(List.of(DType.FLOAT32), o.epochs().dtypes(), name);
            List<String> child = o.coretype().mainAndArgs();
            assertEquals("float32", child.get(child.indexOf("--dtype") + 1), "the child JVM times the same type");
        }
        FullBench.Options f64 = parse("--dtype", "float64", "--no-epochs");
        assertEquals(List.of(DType.FLOAT64), f64.gemm().dtypes());
        assertNull(f64.epochs());
        FullBench.Options both = parse("--dtype", "both", "--no-gemm");
        assertEquals(List.of(DType.FLOAT64, DType.FLOAT32), both.epochs().dtypes());
        List<String> child = both.coretype().mainAndArgs();
        assertEquals("both", child.get(child.indexOf("--dtype") + 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--dtype", "float16"));
        assertEquals("--dtype takes float32, float64 or both, got 'float16'", e.getMessage());
    }

    @Test
    void badValuesAreRejected() {
        for (String[] bad : List.of(new String[]{"--rounds", "0"}, new String[]{"--threads", "0"}, new String[]{"--shapes", "huge"},
                new String[]{"--epochs", "0"}, new String[]{"--limit", "-1"}, new String[]{"--coretype", "Sky lake"},
                new String[]{"--no-gemm", "--no-epochs"})) {
            assertThrows(IllegalArgumentException.class, () -> parse(bad), String.join(" ", bad));
        }
        assertThrows(CommandLine.ParameterException.class, () -> parse("--presets", "fast"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--rounds", "x"));
    }

    /**
     * The whole command, reduced (this test took 0.8–4.2 s on an AMD EPYC 2-vCPU VM, 2026-11-30): the epochs of one
     * preset on 500 images here, and again in a child JVM with OPENBLAS_CORETYPE set to the kernel OpenBLAS picks here
     * anyway (so any x86-64 CPU can run it).
     */
    @Test
    void runsTheEpochsHereAndInAChildJvm(@TempDir Path dir) throws Exception {
        assertTrue(Files.isDirectory(CliTest.DATA), "MNIST is not in " + CliTest.DATA.toAbsolutePath() + ": run 'make data'");
        String config = OpenBlas.info().config();
        String kernel = Stream.of(config.split("\\s+")).filter(w -> w.matches("[A-Z][A-Za-z0-9]+") && !w.startsWith("MAX"))
                .filter(w -> !w.equals("NO_LAPACKE") && !w.equals("DYNAMIC_ARCH") && !w.equals("NO_AFFINITY") && !w.equals("OpenBLAS"))
                .findFirst().orElseThrow(() -> new AssertionError("no kernel name in " + config));
        Path json = dir.resolve("bench.json");
        CliTest.Run r = CliTest.run("bench", "--no-gemm", "--dtype", "both", "--data", CliTest.DATA.toString(), "--presets", "tutorial", "--threads", "1",
                "--epochs", "1", "--no-reference", "--limit", "500", "--coretype", kernel, "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[2] Training epochs on MNIST (500 training images"), r.out());
        assertTrue(r.out().contains("float32 beside float64: median epoch and GEMM time"), r.out());
        assertTrue(r.out().contains("[4] The same epochs with OPENBLAS_CORETYPE=" + kernel), r.out());
        assertFalse(r.out().contains("not measured"), r.out());

        Map<String, Object> root = Json.object(Json.parse(Files.readString(json), "bench.json"), "bench.json");
        assertNull(root.get("gemm"));
        Map<String, Object> coretype = Json.object(root.get("coretype"), "coretype");
        assertEquals(kernel, coretype.get("openblas_coretype"));
        assertEquals(List.of("float64", "float32"), Json.object(root.get("epochs"), "epochs").get("dtypes"));
        List<?> here = (List<?>) Json.object(root.get("epochs"), "epochs").get("results");
        List<?> results = (List<?>) coretype.get("results");
        assertEquals(2, results.size(), "the child ran both types too");
        assertEquals(2, here.size());
        for (int i = 0; i < 2; i++) {
            for (Object list : List.of(here, results)) {
                Map<String, Object> tutorial = Json.object(((List<?>) list).get(i), "result");
                assertEquals("tutorial", tutorial.get("setup"));
                assertEquals(i == 0 ? "float64" : "float32", tutorial.get("dtype"));
                assertEquals(500L, tutorial.get("train_images"));
                assertEquals(5L, tutorial.get("batches_per_epoch"));
                List<?> epochs = (List<?>) tutorial.get("epochs");
                assertEquals(1, epochs.size());
                assertEquals(5L * 5, Json.object(epochs.getFirst(), "epoch").get("gemm_calls"), "5 batches, 5 products each");
            }
        }
    }
}
