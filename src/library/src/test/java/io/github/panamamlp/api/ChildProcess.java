package io.github.panamamlp.api;

import io.github.panamamlp.nn.Model;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs the JDK's {@code java} and {@code javac} of the test JVM as child processes, as a library user would. */
final class ChildProcess {
    private ChildProcess() {
    }

    /** What a finished child printed. */
    record Result(int exitCode, String out, String err) {
        /** Fails the test, showing both streams, unless the exit code is 0. */
        Result assertSuccess(String what) {
            if (exitCode != 0) {
                fail(what + " exited with " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err);
            }
            return this;
        }
    }

    /** A tool of the JDK running this test (surefire runs on the toolchain's JDK 22+, which has javac). */
    static Path tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name);
    }

    /** The directory or jar the library's classes were loaded from (target/classes in the build). */
    static Path libraryClasses() {
        return codeSource(Model.class);
    }

    /** The directory the given class was loaded from. */
    static Path codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository's root (the build sets {@code panamamlp.root}; the working directory otherwise). */
    static Path projectDir() {
        return Path.of(System.getProperty("panamamlp.root", "")).toAbsolutePath().normalize();
    }

    /** Runs {@code command}, waits at most {@code timeoutSeconds}, and returns its exit code and output. */
    static Result run(List<String> command, int timeoutSeconds, Path scratch) throws IOException, InterruptedException {
        Files.createDirectories(scratch);
        Path out = Files.createTempFile(scratch, "stdout", ".txt");
        Path err = Files.createTempFile(scratch, "stderr", ".txt");
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("timed out after " + timeoutSeconds + " s: " + String.join(" ", command)
                    + "\n--- stdout:\n" + Files.readString(out, StandardCharsets.UTF_8)
                    + "\n--- stderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
