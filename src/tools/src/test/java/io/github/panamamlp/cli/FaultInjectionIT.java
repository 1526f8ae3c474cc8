package io.github.panamamlp.cli;

import io.github.panamamlp.data.Dataset;
import io.github.panamamlp.data.LabeledImages;
import io.github.panamamlp.internal.AtomicFile;
import io.github.panamamlp.internal.FaultPoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The launcher ({@code target/panama-mlp}, written by {@code package}) as a child process, put through
 * faults the way Git and SQLite test crash safety: SIGKILL at every step of a run, SIGINT and SIGTERM, a
 * read-only and a full {@code --out}, two runs on one {@code --out}, a library that is not OpenBLAS, an
 * Error deep in training, {@code LANG=C} with non-ASCII paths, the launcher called through symbolic links
 * from another directory, and a 20-million-parameter model with the launcher's default heap.
 *
 * <p>Runs in the integration-test phase (failsafe), after {@code package} has written the launcher. The
 * steps of a run are reached with {@link FaultPoint}: the child pauses there, the test kills it.
 */
class FaultInjectionIT {
    private static final Path LAUNCHER = Path.of(System.getProperty("panamamlp.launcher", "target/panama-mlp")).toAbsolutePath();
    private static final Path MNIST = Path.of(System.getProperty("panamamlp.data", "data/mnist"));

    @TempDir
    static Path shared;
    /** 1,000 training and 300 test images of MNIST: a run takes about a second. */
    static Path small;

    @TempDir
    Path dir;

    @BeforeAll
    static void smallDataSet() throws IOException {
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " is missing: the build's package phase writes it");
        small = writeDataSet(shared.resolve("small"), 1000, 300);
    }

    /** The first {@code train} training and {@code test} test images of MNIST, as raw IDX files. */
    static Path writeDataSet(Path into, int train, int test) throws IOException {
        Dataset mnist = Dataset.load(MNIST);
        Files.createDirectories(into);
        writeSet(mnist.train(), train, into.resolve(Dataset.TRAIN_IMAGES), into.resolve(Dataset.TRAIN_LABELS));
        writeSet(mnist.test(), test, into.resolve(Dataset.TEST_IMAGES), into.resolve(Dataset.TEST_LABELS));
        return into;
    }

    private static void writeSet(LabeledImages set, int n, Path images, Path labels) throws IOException {
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        img.writeBytes(ByteBuffer.allocate(16).putInt(0x803).putInt(n).putInt(set.images().rows()).putInt(set.images().cols()).array());
        ByteArrayOutputStream lab = new ByteArrayOutputStream();
        lab.writeBytes(ByteBuffer.allocate(8).putInt(0x801).putInt(n).array());
        for (int i = 0; i < n; i++) {
            img.writeBytes(set.images().imageBytes(i));
            lab.write(set.labels().label(i));
        }
        Files.write(images, img.toByteArray());
        Files.write(labels, lab.toByteArray());
    }

    // ------------------------------------------------------------------------------------ child processes

    /** A started child and the files its output goes to. */
    record Child(Process process, Path stdout, Path stderr) {
        String out() throws IOException {
            return Files.readString(stdout, StandardCharsets.UTF_8);
        }

        String err() throws IOException {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }

        /** Waits until standard error or output holds {@code text}, failing after {@code seconds}. */
        void awaitOutput(String text, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!(err().contains(text) || out().contains(text))) {
                if (!process.isAlive()) {
                    fail("the child ended (exit " + process.exitValue() + ") before printing '" + text + "'\n" + report());
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly().waitFor();
                    fail("no '" + text + "' after " + seconds + " s\n" + report());
                }
                Thread.sleep(20);
            }
        }

        int await(int seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail("did not finish within " + seconds + " s\n" + report());
            }
            return process.exitValue();
        }

        void kill(String signal) throws Exception {
            Process k = new ProcessBuilder("sh", "-c", "kill -" + signal + " \"$0\"", String.valueOf(process.pid())).inheritIO().start();
            assertEquals(0, k.waitFor(), "kill -" + signal);
        }

        String report() throws IOException {
            return "--- stdout:\n" + out() + "\n--- stderr:\n" + err();
        }
    }

    private int serial;

    /** Starts {@code command} in {@code cwd} with extra environment ({@code null} values remove a variable). */
    Child start(List<String> command, Map<String, String> env, Path cwd) throws IOException {
        int n = ++serial;
        Path out = dir.resolve("child" + n + ".out");
        Path err = dir.resolve("child" + n + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() == null) {
                pb.environment().remove(e.getKey());
            } else {
                pb.environment().put(e.getKey(), e.getValue());
            }
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        return new Child(pb.start(), out, err);
    }

    Child launcher(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return start(command, env, dir);
    }

    /** {@code train} on the small data set into {@code out}; {@code pauseAt} names a {@link FaultPoint} or is null. */
    Child train(Path out, String pauseAt, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", "--data", small.toString(), "--out", out.toString(), "--no-progress"));
        args.addAll(List.of(extra));
        Map<String, String> env = new HashMap<>();
        if (pauseAt != null) {
            env.put("PANAMA_MLP_OPTS", "-D" + FaultPoint.PROPERTY + "=" + pauseAt);
        }
        return launcher(env, args.toArray(String[]::new));
    }

    /** Runs {@code train} to its end and requires exit 0. */
    void trainOk(Path out, String... extra) throws Exception {
        Child c = train(out, null, extra);
        assertEquals(0, c.await(120), c.report());
    }

    /** {@code evaluate} of {@code model} on the small data set, through the launcher: requires exit 0. */
    void evaluates(Path model) throws Exception {
        Child c = launcher(Map.of(), "evaluate", "--model", model.toString(), "--data", small.toString());
        assertEquals(0, c.await(60), c.report());
        assertTrue(c.out().contains("test accuracy"), c.report());
    }

    /** Every leftover of a run under {@code out}: temporary names and sets that are not current. */
    static List<Path> leftovers(Path out) throws IOException {
        Path current = Files.isSymbolicLink(out.resolve("current")) ? out.resolve(Files.readSymbolicLink(out.resolve("current"))) : null;
        try (Stream<Path> walk = Files.walk(out)) {
            return walk.filter(p -> AtomicFile.isTemporary(p)
                    || OutputSet.SET_NAME.matcher(p.getFileName().toString()).matches() && !p.equals(current)).toList();
        }
    }

    static int epochsOfCurrentSet(Path out) throws IOException {
        return Files.readAllLines(out.resolve("history.csv")).size() - 1;
    }

    // ------------------------------------------------------------------------------------------- the tests

    /**
     * SIGKILL during an epoch, while each output is written, and at each step of publishing: --out always
     * holds a complete set (the old one until the switch, the new one after it) that evaluate loads, and the
     * next run removes what the kill left.
     */
    @Test
    void aKillAtAnyStepLeavesACompleteOldOrNewSet() throws Exception {
        Path out = dir.resolve("out");
        trainOk(out, "--epochs", "1");
        TrainOutputsTest.assertCompleteSet(out, 1);
        int epochs = 1;

        // During an epoch: many epochs, killed once the first has ended.
        Child during = train(out, null, "--epochs", "500");
        during.awaitOutput("epoch 1/500", 60);
        during.process().destroyForcibly().waitFor();
        assertFalse(during.out().contains("Final test accuracy"), "the kill came during training\n" + during.report());
        TrainOutputsTest.assertCompleteSet(out, epochs);
        assertFalse(leftovers(out).isEmpty(), "the killed run left its staging directory");

        List<String> points = List.of("model.npz", "history.csv", "history.json", "history.png", "staged", "switch", "published");
        for (int i = 0; i < points.size(); i++) {
            String point = points.get(i);
            int newEpochs = 2 + i % 2 == epochs ? 3 : 2 + i % 2; // differs from the current set's
            Path previousSet = out.resolve(Files.readSymbolicLink(out.resolve("current")));
            Child c = train(out, point, "--epochs", String.valueOf(newEpochs));
            c.awaitOutput("paused at " + point, 120);
            List<Path> beforeKill = leftovers(out);
            c.process().destroyForcibly().waitFor(); // SIGKILL
            boolean published = point.equals("published");
            TrainOutputsTest.assertCompleteSet(out, published ? newEpochs : epochs);
            if (published) {
                epochs = newEpochs;
            }
            evaluates(out.resolve("model.npz"));
            // What the kill interrupted is visible, and the leftovers of earlier kills are gone: this run
            // removed them when it started.
            List<Path> staging = beforeKill.stream().filter(p -> p.getParent().equals(out) && AtomicFile.isTemporary(p)).toList();
            List<Path> unpublished = beforeKill.stream().filter(p -> p.getParent().equals(out) && !AtomicFile.isTemporary(p)).toList();
            switch (point) {
                case "staged" -> {
                    assertEquals(1, staging.size(), beforeKill.toString());
                    assertEquals(OutputSet.FILES.stream().sorted().toList(), TrainOutputsTest.names(staging.getFirst()), "all four staged");
                }
                case "switch" -> {
                    assertEquals(List.of(), staging, "renamed into place");
                    assertEquals(1, unpublished.size(), "one set published but not current: " + beforeKill);
                }
                case "published" -> {
                    assertEquals(List.of(), staging);
                    assertEquals(List.of(previousSet), unpublished, "only the previous set, not yet removed");
                }
                default -> {
                    assertEquals(1, staging.size(), "one staging directory, this run's: " + beforeKill);
                    assertEquals(List.of(), unpublished, beforeKill.toString());
                    assertTrue(beforeKill.stream().anyMatch(p -> p.getParent().equals(staging.getFirst())
                                    && p.getFileName().toString().startsWith("." + point + ".")),
                            "the kill came while " + point + " was being written: " + beforeKill);
                }
            }
        }
        // The next run removes what the kills left, and only that.
        Files.writeString(out.resolve("notes.txt"), "mine");
        trainOk(out, "--epochs", "1");
        TrainOutputsTest.assertCompleteSet(out, 1);
        assertEquals(List.of(), leftovers(out));
        assertTrue(Files.exists(out.resolve("notes.txt")));
    }

    /** SIGINT and SIGTERM while the chart is written: exit 130 and 143, the old set stays, nothing staged remains. */
    @Test
    void sigintAndSigtermRemoveTheStagedOutputs() throws Exception {
        Path out = dir.resolve("out");
        trainOk(out, "--epochs", "1");
        Path set = TrainOutputsTest.assertCompleteSet(out, 1);
        for (String[] signal : new String[][]{{"INT", "130"}, {"TERM", "143"}}) {
            Child c = train(out, "history.png", "--epochs", "2");
            c.awaitOutput("paused at history.png", 120);
            assertFalse(leftovers(out).isEmpty(), "the chart is being written");
            c.kill(signal[0]);
            assertEquals(Integer.parseInt(signal[1]), c.await(30), "SIG" + signal[0] + "\n" + c.report());
            assertEquals(set, TrainOutputsTest.assertCompleteSet(out, 1), "the old set is still current");
            assertEquals(List.of(), leftovers(out), "the shutdown hook removed the staged outputs");
        }
        // A signal after the switch: the new set is out, and the exit code says so.
        Child late = train(out, "published", "--epochs", "2");
        late.awaitOutput("paused at published", 120);
        late.kill("TERM");
        assertEquals(0, late.await(30), late.report());
        TrainOutputsTest.assertCompleteSet(out, 2);
    }

    /** A second run on an --out in use fails at once; the first is unaffected. */
    @Test
    void oneRunPerOut() throws Exception {
        Path out = dir.resolve("out");
        Child first = train(out, "history.csv", "--epochs", "1");
        first.awaitOutput("paused at history.csv", 120);
        long start = System.nanoTime();
        Child second = train(out, null, "--epochs", "1");
        assertEquals(1, second.await(60), second.report());
        assertTrue(second.err().startsWith("panama-mlp: --out " + out + ": another panama-mlp run is writing to this directory"), second.report());
        assertFalse(second.out().contains("epoch"), second.report());
        assertTrue(System.nanoTime() - start < 15_000_000_000L, "refused at once");
        first.process().destroyForcibly().waitFor();
        trainOk(out, "--epochs", "1"); // the OS released the dead run's lock
        TrainOutputsTest.assertCompleteSet(out, 1);
    }

    /** Whether this process runs as root (which ignores file permissions). */
    private static boolean root() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        p.waitFor();
        return uid.equals("0");
    }

    /**
     * Whether {@code unshare} can give a child its own user and mount namespace in which it may mount a
     * tmpfs and bind-mount a directory read-only (not in every container).
     */
    private boolean canMount() throws Exception {
        Path probe = Files.createDirectories(dir.resolve("mount-probe"));
        try {
            Child c = start(List.of("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$0\""
                    + " && mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\"", probe.toString()), Map.of(), dir);
            return c.await(30) == 0;
        } catch (IOException notInstalled) {
            return false;
        }
    }

    /**
     * A read-only --out fails before training with one line, and the old set stays. As root, permissions
     * do not stop writes, so the directory is bind-mounted read-only in a mount namespace of its own; where
     * that is impossible, an existing read-only file system serves.
     */
    @Test
    void aReadOnlyOutFailsBeforeTraining() throws Exception {
        Path out = dir.resolve("out");
        trainOk(out, "--epochs", "1");
        Path set = TrainOutputsTest.assertCompleteSet(out, 1);
        List<String> train = List.of(LAUNCHER.toString(), "train", "--data", small.toString(), "--out", out.toString(),
                "--epochs", "1", "--no-progress");
        Child c;
        if (!root()) {
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));
            try {
                c = start(train, Map.of(), dir);
                assertEquals(1, c.await(60), c.report());
            } finally {
                Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } else if (canMount()) {
            String script = "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && shift && exec \"$@\"";
            List<String> cmd = new ArrayList<>(List.of("unshare", "-rm", "sh", "-c", script, "sh", out.toString()));
            cmd.addAll(train);
            c = start(cmd, Map.of(), dir);
            assertEquals(1, c.await(60), c.report());
        } else {
            Path readOnly = readOnlyMount();
            Path under = readOnly.resolve("panama-mlp-out");
            c = launcher(Map.of(), "train", "--data", small.toString(), "--out", under.toString(), "--epochs", "1", "--no-progress");
            assertEquals(1, c.await(60), c.report());
            assertTrue(c.err().startsWith("panama-mlp: --out " + under + ": "), c.report());
            return;
        }
        String line = c.err().lines().findFirst().orElse("");
        assertTrue(line.startsWith("panama-mlp: --out " + out + ": not writable: "), c.report());
        assertTrue(line.contains("Read-only file system") || line.contains("permission denied"), line);
        assertEquals(1, c.err().lines().count(), c.report());
        assertFalse(c.out().contains("epoch"), "refused before training\n" + c.report());
        assertEquals(set, TrainOutputsTest.assertCompleteSet(out, 1));
        assertEquals(List.of(), leftovers(out));
    }

    private static Path readOnlyMount() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 3 && List.of(f[3].split(",")).contains("ro") && Files.isDirectory(Path.of(f[1]))) {
                return Path.of(f[1]);
            }
        }
        fail("no way to give the test a read-only directory: not root, no mount namespace, no read-only mount");
        return null;
    }

    /**
     * A full file system: with too little room the run is refused before training; when the disk fills up
     * during the run, writing the outputs fails with the file named, and the old set stays. On a small
     * tmpfs in a mount namespace of its own where possible, else with a file size limit ({@code ulimit -f})
     * standing in for the full disk.
     */
    @Test
    void aFullFileSystemLeavesTheOldSet() throws Exception {
        if (canMount()) {
            fullTmpfs();
        } else {
            fileSizeLimit();
        }
    }

    private void fullTmpfs() throws Exception {
        Path mount = Files.createDirectory(dir.resolve("tmpfs"));
        Path out = mount.resolve("out");
        Path copy = dir.resolve("copy");
        String train = "\"$LAUNCHER\" train --data \"$DATA\" --out \"$OUT\" --no-progress";
        // All in one namespace: the tmpfs exists only while its processes run, so the result is copied out.
        String script = String.join("\n",
                "set -u",
                "mount -t tmpfs -o size=4m tmpfs \"$MNT\" || exit 90",
                train + " --epochs 1 > \"$LOG/1.out\" 2> \"$LOG/1.err\"; echo $? > \"$LOG/1.code\"",
                "dd if=/dev/zero of=\"$MNT/filler\" bs=64k 2> /dev/null", // fills it up
                train + " --epochs 2 > \"$LOG/2.out\" 2> \"$LOG/2.err\"; echo $? > \"$LOG/2.code\"",
                "rm \"$MNT/filler\"",
                // Room for the check at the start, then the disk fills up while the run trains.
                "dd if=/dev/zero of=\"$MNT/filler\" bs=64k count=24 2> /dev/null",
                train + " --epochs 400 > \"$LOG/3.out\" 2> \"$LOG/3.err\" & pid=$!",
                "while ! grep -q 'epoch 1/' \"$LOG/3.out\"; do sleep 0.05; kill -0 $pid 2> /dev/null || break; done",
                "dd if=/dev/zero of=\"$MNT/filler2\" bs=4k 2> /dev/null",
                "wait $pid; echo $? > \"$LOG/3.code\"",
                "rm -f \"$MNT/filler\" \"$MNT/filler2\"",
                "cp -a \"$OUT\" \"$COPY\"");
        Child c = start(List.of("unshare", "-rm", "sh", "-c", script), Map.of("LAUNCHER", LAUNCHER.toString(),
                "DATA", small.toString(), "MNT", mount.toString(), "OUT", out.toString(), "LOG", dir.toString(),
                "COPY", copy.toString()), dir);
        assertEquals(0, c.await(300), c.report());
        assertEquals("0", Files.readString(dir.resolve("1.code")).trim(), Files.readString(dir.resolve("1.err")));

        String refused = Files.readString(dir.resolve("2.err"));
        assertEquals("1", Files.readString(dir.resolve("2.code")).trim(), refused);
        assertTrue(refused.startsWith("panama-mlp: --out " + out + ": "), refused);
        assertTrue(refused.contains("free on its file system, the outputs need about"), refused);
        assertFalse(Files.readString(dir.resolve("2.out")).contains("epoch"), "refused before training");

        String failed = Files.readString(dir.resolve("3.err"));
        assertTrue(Files.readString(dir.resolve("3.out")).contains("epoch 400/400"), "the disk filled up during training");
        assertEquals("1", Files.readString(dir.resolve("3.code")).trim(), failed);
        assertTrue(failed.matches("(?s)panama-mlp: " + java.util.regex.Pattern.quote(out.toString()) + "/\\.run-[0-9a-f]{16}\\.[0-9a-f]{16}\\.tmp/"
                + "(model\\.npz|history\\.(csv|json|png)): No space left on device\\s*"), failed);
        TrainOutputsTest.assertCompleteSet(copy, 1);
        assertEquals(List.of(), leftovers(copy), "the failed run removed its staged outputs");
    }

    private void fileSizeLimit() throws Exception {
        Path out = dir.resolve("out");
        trainOk(out, "--epochs", "1");
        Path set = TrainOutputsTest.assertCompleteSet(out, 1);
        // 200 blocks of 512 bytes: the history fits, the 318 KB model does not (the JVM ignores SIGXFSZ).
        Child c = start(List.of("sh", "-c", "ulimit -f 200 && exec \"$0\" \"$@\"", LAUNCHER.toString(), "train",
                "--data", small.toString(), "--out", out.toString(), "--epochs", "2", "--no-progress"), Map.of(), dir);
        assertEquals(1, c.await(120), c.report());
        assertTrue(c.err().matches("(?s)panama-mlp: .*/model\\.npz: File too large\\s*"), c.report());
        assertEquals(set, TrainOutputsTest.assertCompleteSet(out, 1));
        assertEquals(List.of(), leftovers(out));
    }

    /** Whatever the file system, a write that fails mid-way (here a file size limit) keeps the old set. */
    @Test
    void aWriteThatFailsMidwayKeepsTheOldSet() throws Exception {
        fileSizeLimit();
    }

    /** A library that is not OpenBLAS, and an Error during a run: one line each, exit 1, old set intact. */
    @Test
    void errorsAreOneLine() throws Exception {
        Path out = dir.resolve("out");
        trainOk(out, "--epochs", "1");
        Path set = TrainOutputsTest.assertCompleteSet(out, 1);
        Path libjava = Path.of(System.getProperty("java.home"), "lib", "libjava.so");
        Child notBlas = launcher(Map.of("PANAMA_MLP_OPENBLAS", libjava.toString()), "train", "--data", small.toString(),
                "--out", out.toString(), "--epochs", "1", "--no-progress");
        assertEquals(1, notBlas.await(60), notBlas.report());
        assertEquals(1, notBlas.err().lines().count(), notBlas.report());
        assertTrue(notBlas.err().startsWith("panama-mlp: not OpenBLAS: symbol cblas_dgemm not found in " + libjava), notBlas.report());

        // A heap too small for MNIST's 47 MB of training images: an OutOfMemoryError while the data is read.
        for (boolean verbose : new boolean[]{false, true}) {
            List<String> args = new ArrayList<>(List.of("train", "--data", MNIST.toAbsolutePath().toString(), "--out", out.toString(),
                    "--epochs", "1", "--no-progress"));
            if (verbose) {
                args.add("--verbose");
            }
            Child oom = launcher(Map.of("PANAMA_MLP_OPTS", "-Xms8m -Xmx24m"), args.toArray(String[]::new));
            assertEquals(1, oom.await(60), oom.report());
            assertTrue(oom.err().startsWith("panama-mlp: out of memory ("), oom.report());
            assertEquals(verbose, oom.err().contains("\tat "), "a stack trace only with --verbose\n" + oom.report());
            if (!verbose) {
                assertEquals(1, oom.err().lines().count(), oom.report());
            }
        }
        assertEquals(set, TrainOutputsTest.assertCompleteSet(out, 1));
        assertEquals(List.of(), leftovers(out));
    }

    /** Under LANG=C, non-ASCII --data, --out and --model paths work, and summary draws ASCII lines. */
    @Test
    void nonAsciiPathsUnderLangC() throws Exception {
        Path data = writeDataSet(dir.resolve("dätä-ü"), 300, 100);
        Path out = dir.resolve("öut-€");
        Map<String, String> posix = new HashMap<>();
        posix.put("LANG", "C");
        posix.put("LC_ALL", null);
        posix.put("LC_CTYPE", null);
        Child train = launcher(posix, "train", "--data", data.toString(), "--out", out.toString(), "--epochs", "1", "--no-progress");
        assertEquals(0, train.await(120), train.report());
        TrainOutputsTest.assertCompleteSet(out, 1);
        Child eval = launcher(posix, "evaluate", "--model", out.resolve("model.npz").toString(), "--data", data.toString());
        assertEquals(0, eval.await(60), eval.report());
        Child summary = launcher(posix, "summary", "--model", out.resolve("model.npz").toString());
        assertEquals(0, summary.await(60), summary.report());
        byte[] bytes = Files.readAllBytes(summary.stdout());
        String text = new String(bytes, StandardCharsets.US_ASCII);
        assertTrue(text.contains("-".repeat(54)), text);
        assertFalse(text.contains("?"), "no unencodable characters: " + text);
        for (byte b : bytes) {
            assertTrue(b >= 0, "ASCII only: " + text);
        }
        // And with posix also set by LC_ALL, the strongest of the locale variables.
        posix.put("LC_ALL", "POSIX");
        Child again = launcher(posix, "summary", "--model", out.resolve("model.npz").toString());
        assertEquals(0, again.await(60), again.report());
        assertEquals(text, again.out());
    }

    /** The launcher called through a chain of relative symbolic links, from another directory. */
    @Test
    void theLauncherWorksThroughSymlinksFromAnyDirectory() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path other = Files.createDirectories(dir.resolve("elsewhere/deeper"));
        Path first = Files.createSymbolicLink(dir.resolve("pm-real"), LAUNCHER);
        Files.createSymbolicLink(bin.resolve("panama-mlp"), Path.of("..", "pm-real"));
        assertTrue(Files.isSymbolicLink(first));
        for (String how : new String[]{bin.resolve("panama-mlp").toString(), "../../bin/panama-mlp"}) {
            Child c = start(List.of(how, "summary"), Map.of(), other);
            assertEquals(0, c.await(60), how + "\n" + c.report());
            assertTrue(c.out().contains("Total params: 39,760"), c.report());
        }
        Map<String, String> path = Map.of("PATH", bin + ":" + System.getenv("PATH"));
        Child viaPath = start(List.of("sh", "-c", "cd / && panama-mlp --version"), path, other);
        assertEquals(0, viaPath.await(60), viaPath.report());
        assertTrue(viaPath.out().startsWith("panama-mlp "), viaPath.report());
    }

    /** A model of 20 million parameters trains, is saved and loads, with the launcher's default 256 MB heap. */
    @Test
    void twentyMillionParametersWithTheDefaultHeap() throws Exception {
        Path data = writeDataSet(dir.resolve("two-thousand"), 2000, 200);
        Path out = dir.resolve("out");
        Child c = launcher(Map.of(), "train", "--data", data.toString(), "--out", out.toString(), "--hidden", "25200",
                "--epochs", "1", "--no-progress");
        assertEquals(0, c.await(300), c.report());
        assertTrue(c.out().contains("Total params: 20,034,010"), c.report());
        assertTrue(Files.size(out.resolve("model.npz")) > 160_000_000L);
        Child eval = launcher(Map.of(), "evaluate", "--model", out.resolve("model.npz").toString(), "--data", data.toString());
        assertEquals(0, eval.await(120), eval.report());
        assertTrue(eval.out().contains("200 test images"), eval.report());
    }
}
