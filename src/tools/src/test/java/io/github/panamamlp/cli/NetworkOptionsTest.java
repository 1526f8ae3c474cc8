package io.github.panamamlp.cli;

import io.github.panamamlp.nn.Init;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Momentum;
import io.github.panamamlp.train.Sgd;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training flags take their defaults from {@link Preset}, and the help says what those are. */
class NetworkOptionsTest {
    private static NetworkOptions parse(String... args) {
        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs(args);
        return train.net;
    }

    @Test
    void eachPresetSetsInitOptimizerAndBatchSize() {
        for (Preset p : Preset.values()) {
            for (String name : new String[]{p.label(), p.alias(), p.label().toUpperCase(java.util.Locale.ROOT)}) {
                NetworkOptions o = parse("--preset", name);
                assertEquals(p, o.preset());
                assertEquals(p.init(), o.init());
                assertEquals(p.optimizer(), o.optimizer());
                assertEquals(p.batchSize(), o.batchSize());
            }
        }
        assertEquals(Preset.DEFAULT, parse().preset());
        assertEquals(new Adam(1e-3), Preset.DEFAULT.optimizer());
        assertEquals(32, Preset.DEFAULT.batchSize());
        assertEquals(new Sgd(0.1), Preset.TUTORIAL.optimizer());
        assertEquals(Init.normal(0.01), Preset.TUTORIAL.init());
        assertEquals(100, Preset.TUTORIAL.batchSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--preset", "fast").preset());
        assertEquals("unknown preset 'fast' (expected default or tutorial)", e.getMessage());
    }

    @Test
    void flagsOverrideThePreset() {
        assertEquals(new Sgd(0.5), parse("--preset", "tutorial", "--lr", "0.5").optimizer());
        assertEquals(new Adam(0.01), parse("--lr", "0.01").optimizer());
        assertEquals(new Momentum(0.01, 0.9), parse("--optimizer", "momentum").optimizer());
        assertEquals(new Sgd(0.1), parse("--optimizer", "sgd").optimizer());
        assertEquals(new Adam(1e-3), parse("--preset", "tutorial", "--optimizer", "adam").optimizer());
        assertEquals(64, parse("--preset", "tutorial", "--batch-size", "64").batchSize());
        assertEquals(Init.glorotUniform(), parse("--preset", "tutorial", "--init", "glorot").init());
        assertEquals(Init.normal(0.5), parse("--init", "normal:0.5").init());
    }

    @Test
    void theHelpStatesThePresetsValues() {
        StringWriter help = new StringWriter();
        new CommandLine(new TrainCommand()).usage(new PrintWriter(help));
        String text = help.toString().replaceAll("\\s+", " ");
        assertTrue(text.contains("default (keras, the tutorial's Keras cell: --init glorot --optimizer adam --lr 0.001 --batch-size 32)"), text);
        assertTrue(text.contains("tutorial (numpy, the tutorial's numpy loop: --init normal:0.01 --optimizer sgd --lr 0.1 --batch-size 100)"), text);
        assertTrue(text.contains("Mini-batch size. Default: the preset's (default: 32, tutorial: 100)."), text);
    }
}
