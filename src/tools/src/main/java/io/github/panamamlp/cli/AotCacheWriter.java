package io.github.panamamlp.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Build step after {@link LauncherWriter}: makes {@code lib/panama-mlp.aot}, the JDK's ahead-of-time cache of
 * the classes the commands load, already parsed and linked (JDK 25, JEP 483 and 514). The launcher passes it to the JVM when the file is there; a missing or stale cache
 * (the jars changed after it was made) is ignored in silence, so the launcher works either way.
 *
 * <p>The cache is made by a training run of {@link AotTraining} with the launcher's own JVM options and class
 * path, because the JVM uses a cache only with the options and class path it was made with. On a JDK before
 * 25 this step does nothing.
 */
public final class AotCacheWriter {
    /** The launcher's JVM options; LauncherWriter's script must pass the same ones. */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m", "--enable-native-access=ALL-UNNAMED");

    private AotCacheWriter() {
    }

    /** True when a JVM started as the launcher starts it can map the cache ({@code -XX:AOTMode=on} fails otherwise). */
    private static boolean usable(Path lib, Path cache) throws IOException, InterruptedException {
        if (Files.size(cache) == 0) {
            return false;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on", "-cp", lib + "/*", Main.class.getName(), "--version"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        return p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0;
    }

    /**
     * Writes the cache.
     *
     * @param args the launcher's path
     * @throws IOException          if the training run cannot be started
     * @throws InterruptedException if interrupted while waiting for it
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: AotCacheWriter <launcher path>");
        }
        // The launcher names the jars by its own directory with every symbolic link resolved (pwd -P), and the
        // JVM uses a cache only with the class path it was made with.
        Path lib = Path.of(args[0]).toAbsolutePath().normalize().resolveSibling("lib").toRealPath();
        Path cache = lib.resolve("panama-mlp.aot");
        Files.deleteIfExists(cache);
        if (Runtime.version().feature() < 25) {
            System.out.println("No AOT cache: JDK " + Runtime.version() + " has no -XX:AOTCacheOutput (JDK 25 and later)");
            return;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_OPTIONS);
        cmd.add("-XX:AOTCacheOutput=" + cache);
        // Classes only, no method profiles (JEP 515): the training run's profiles, from a few hundred steps on
        // synthetic data, made train's first epoch slower (1.26 s against 0.76 s without the cache and 0.84 s
        // with a cache of classes only: target/panama-mlp train --epochs 3, 2-vCPU AMD EPYC).
        cmd.add("-XX:+UnlockDiagnosticVMOptions");
        cmd.add("-XX:-AOTRecordTraining");
        cmd.add("-Xlog:aot=off");
        cmd.add("-Xlog:cds=off");
        cmd.addAll(List.of("-cp", lib + "/*", AotTraining.class.getName()));
        // The JVM reports each stage of making the cache; the output is shown only when it fails.
        Path log = Files.createTempFile("panama-mlp-aot", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // The training run must see the environment a user's run sees, minus what would change the classes it loads.
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                System.out.println("No AOT cache: the training run took more than 5 minutes");
            } else if (p.exitValue() != 0 || !Files.isRegularFile(cache) || !usable(lib, cache)) {
                Files.deleteIfExists(cache);
                System.out.print(Files.readString(log));
                System.out.println("No AOT cache: making it failed (exit " + p.exitValue() + "); the launcher works without it");
            } else {
                System.out.println("Wrote " + cache + " (" + Files.size(cache) / (1 << 20) + " MB)");
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
