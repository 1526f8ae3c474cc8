package io.github.panamamlp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.panamamlp.fuzz.FuzzFiles.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Makes the fuzz tests' committed inputs mean something. Jazzer runs every fuzz test over its inputs in
 * the normal suite, but a fuzz test passes whether an input is accepted or rejected; here each input's
 * name says which it must be: {@code good-*} must be read, {@code bad-*} rejected with the project's clear
 * exception. Inputs the fuzzer found are committed as {@code bad-found-*} (or {@code good-found-*}), so
 * they stay regression tests with a stated outcome. A {@code crash-*} file that Jazzer wrote and nobody
 * renamed fails {@link #everyInputIsNamedForItsOutcome}.
 */
class FuzzSeedsTest {
    /** Runs one fuzz target's contract check on an input. */
    @FunctionalInterface
    interface Target {
        Outcome run(byte[] input) throws Exception;
    }

    /** Each fuzz test method, by its inputs directory (relative to this package). */
    private static final Map<String, Target> TARGETS = new LinkedHashMap<>();

    static {
        TARGETS.put("IdxReaderFuzzTestInputs/images", IdxReaderFuzzTest::readImages);
        TARGETS.put("IdxReaderFuzzTestInputs/labels", IdxReaderFuzzTest::readLabels);
        TARGETS.put("IdxReaderFuzzTestInputs/imagesGzip", in -> IdxReaderFuzzTest.readImages(IdxReaderFuzzTest.gzip(in)));
        TARGETS.put("IdxReaderFuzzTestInputs/labelsGzip", in -> IdxReaderFuzzTest.readLabels(IdxReaderFuzzTest.gzip(in)));
        TARGETS.put("ModelFileFuzzTestInputs/npzFile", ModelFileFuzzTest::load);
        TARGETS.put("ModelFileFuzzTestInputs/npzEntries", in -> ModelFileFuzzTest.load(ModelFileFuzzTest.zipOf(in)));
        TARGETS.put("JsonFuzzTestInputs/parse", JsonFuzzTest::parseText);
        TARGETS.put("GrayImageFuzzTestInputs/read", GrayImageFuzzTest::readImage);
        TARGETS.put("CsvFuzzTestInputs/read", CsvFuzzTest::readCsv);
    }

    static Stream<Arguments> inputs() {
        List<Arguments> all = new ArrayList<>();
        TARGETS.forEach((dir, target) -> {
            for (Path file : files(dir)) {
                all.add(Arguments.of(dir + "/" + file.getFileName(), target, file));
            }
        });
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void inputHasTheOutcomeItsNameStates(String input, Target target, Path file) throws Exception {
        String name = file.getFileName().toString();
        if (!name.startsWith("good-") && !name.startsWith("bad-")) {
            return; // reported by everyInputIsNamedForItsOutcome
        }
        Outcome expected = name.startsWith("good-") ? Outcome.ACCEPTED : Outcome.REJECTED;
        assertEquals(expected, target.run(Files.readAllBytes(file)), input);
    }

    @Test
    void everyInputIsNamedForItsOutcome() {
        List<String> unnamed = new ArrayList<>();
        for (String dir : TARGETS.keySet()) {
            for (Path file : files(dir)) {
                String name = file.getFileName().toString();
                if (!name.startsWith("good-") && !name.startsWith("bad-")) {
                    unnamed.add(dir + "/" + name);
                }
            }
        }
        assertTrue(unnamed.isEmpty(), "inputs must be named good-* or bad-* (a fuzzer finding: bad-found-<what>);"
                + " rename these after fixing what they found: " + unnamed);
    }

    @Test
    void everyFuzzTestHasGoodAndBadInputs() {
        for (String dir : TARGETS.keySet()) {
            List<Path> files = files(dir);
            long good = files.stream().filter(f -> f.getFileName().toString().startsWith("good-")).count();
            long bad = files.stream().filter(f -> f.getFileName().toString().startsWith("bad-")).count();
            assertTrue(good >= 1 && bad >= 3, dir + " has " + good + " good and " + bad + " bad inputs");
        }
    }

    /** Guards the table above: a new fuzz test method without an entry would have unchecked inputs. */
    @Test
    void everyFuzzTestMethodIsListed() {
        TreeSet<String> methods = new TreeSet<>();
        for (Class<?> c : List.of(IdxReaderFuzzTest.class, ModelFileFuzzTest.class, JsonFuzzTest.class,
                GrayImageFuzzTest.class, CsvFuzzTest.class)) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(FuzzTest.class)) {
                    methods.add(c.getSimpleName() + "Inputs/" + m.getName());
                }
            }
        }
        assertEquals(methods, new TreeSet<>(TARGETS.keySet()));
    }

    private static List<Path> files(String dir) {
        URL url = FuzzSeedsTest.class.getResource(dir);
        assertNotNull(url, "no inputs directory " + dir);
        try (Stream<Path> list = Files.list(Path.of(url.toURI()))) {
            return list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            fail(e);
            return List.of();
        }
    }
}
