package io.github.panamamlp.cli;

import io.github.panamamlp.bench.FullBench;
import io.github.panamamlp.bench.GemmShape;
import io.github.panamamlp.bench.TrainingSetup;
import io.github.panamamlp.preset.Preset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        assertEquals(List.of(TrainingSetup.of(Preset.DEFAULT), TrainingSetup.of(Preset.TUTORIAL)), o.epochs().setups());
        assertEquals(List.of(1, 2), o.epochs().threadCounts());
        assertEquals(5, o.epochs().measuredEpochs());
        assertEquals("SkylakeX", o.coretype());
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
        assertNull(parse("--no-epochs").epochs());
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
}
