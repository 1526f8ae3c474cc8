package io.github.panamamlp.bench;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builds the C baseline once per test run with {@code make native}, as a user would. */
final class NativeBuild {
    private static Path built;

    private NativeBuild() {
    }

    /**
     * The built program. {@code make test} installs a C compiler first, so a missing one fails the tests that
     * need it (never skips them), and so does a failing build.
     */
    static synchronized Path program() throws Exception {
        if (built != null) {
            return built;
        }
        Path project = Path.of("").toAbsolutePath();
        assertTrue(Files.isRegularFile(project.resolve("Makefile")), "tests run from the project directory: " + project);
        assertTrue(onPath("make"), "make is not installed: run the suite with `make test`, which installs what it needs");
        assertTrue(onPath("cc") || onPath("gcc"), "no C compiler: run the suite with `make test`, which installs one (make ccompiler)");
        Process p = new ProcessBuilder("make", "native").directory(project.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "make native did not finish");
        assertEquals(0, p.exitValue(), "make native failed:\n" + output);
        Path program = project.resolve(NativeGemmBench.DEFAULT_PATH);
        assertTrue(Files.isExecutable(program), "make native did not produce " + program);
        built = program;
        return built;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
