package io.github.panamamlp.nn;

import io.github.panamamlp.nn.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model files stream between the file and the model's off-heap memory: a JVM with a 32 MB heap saves and
 * loads a model of about 100 MB ({@link LargeModelRoundTrip} in a child JVM), and loads a numpy-style
 * float32, big-endian, Fortran-order file of the same network. Before streaming, both ran out of heap
 * ({@code Matrix.toArray} on save, a {@code double[]} per array on load).
 */
class LargeModelFileTest {
    private static final String HEAP = "-Xmx32m";
    private static final int INPUT = 1000;
    private static final int HIDDEN = 12_500; // 12.6 million parameters: 100 MB of doubles

    @Test
    void aModelLargerThanTheHeapIsSavedAndLoaded(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = codeSource(Model.class) + File.pathSeparator + codeSource(LargeModelRoundTrip.class);
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(List.of(java, HEAP, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", classpath, LargeModelRoundTrip.class.getName(), dir.toString(), String.valueOf(INPUT),
                String.valueOf(HIDDEN))).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor();
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String report = "exit " + (finished ? p.exitValue() : "timeout") + "\n--- stdout:\n" + stdout
                + "\n--- stderr:\n" + Files.readString(err, StandardCharsets.UTF_8);
        assertTrue(finished, report);
        assertEquals(0, p.exitValue(), report);
        Matcher m = Pattern.compile("roundtrip ok parameters=(\\d+) fileBytes=(\\d+) maxHeap=(\\d+)").matcher(stdout);
        assertTrue(m.find(), report);
        long fileBytes = Long.parseLong(m.group(2));
        long maxHeap = Long.parseLong(m.group(3));
        assertTrue(fileBytes > 2 * maxHeap, "the model file (" + fileBytes + " B) is over twice the heap (" + maxHeap + " B)");
        assertEquals((long) INPUT * HIDDEN + HIDDEN + HIDDEN * 10L + 10, Long.parseLong(m.group(1)));
        assertTrue(stdout.contains("float32 ok"), report);
    }

    private static Path codeSource(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
