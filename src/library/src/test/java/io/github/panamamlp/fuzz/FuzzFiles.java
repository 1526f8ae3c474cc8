package io.github.panamamlp.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What every fuzz test here shares: fuzz input bytes written to a real file (the readers under test take
 * paths), the check that a rejection is a clear message about that file, and a bound on the memory one
 * input may make the reader allocate.
 *
 * <p>The allocation bound is what makes the regression inputs meaningful without a small {@code -Xmx}: the
 * normal suite runs with a large default heap, on which a header-driven allocation of a gigabyte would
 * succeed and pass unnoticed. The bytes allocated by the calling thread are measured instead
 * (HotSpot's per-thread allocation counter), so a lying header fails the test on any heap size. Off-heap
 * memory (the arenas of a {@link io.github.panamamlp.nn.Model}) is bounded neither by {@code -Xmx} nor by
 * that counter; on Linux the growth of the process's peak resident size is checked too.
 */
final class FuzzFiles {
    /** Allocation any input may cause, whatever its size: buffers, a small zip directory, a decoder. */
    static final long BASE_ALLOCATION_BUDGET = 64L << 20;
    /**
     * Allocation allowed per input byte: deflate expands at most about 1032:1, and a buffer that doubles
     * as data arrives allocates at most about twice its final size more; 4 KiB per byte covers both.
     */
    static final long ALLOCATION_PER_INPUT_BYTE = 4096;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Path DIR;

    static {
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocated bytes per thread; the fuzz tests need it");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);
        try {
            // A file per input: in memory where the system offers it (measured: ~2.5x the executions per second).
            Path shm = Path.of("/dev/shm");
            DIR = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "panamamlp-fuzz") : Files.createTempDirectory("panamamlp-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(FuzzFiles::deleteDir));
    }

    private FuzzFiles() {
    }

    /** What the code under test did with an input that kept the contract. */
    enum Outcome {
        /** Read, and the result is consistent. */
        ACCEPTED,
        /** Rejected with the project's exception and a clear message. */
        REJECTED
    }

    /** Code under test that may throw anything. */
    @FunctionalInterface
    interface Action {
        Outcome run() throws Exception;
    }

    /**
     * Writes {@code content} to a new file named {@code fileName} (in a fresh directory, so names never
     * clash), runs {@code action} on it within the allocation budget of {@code content}, deletes it and
     * returns what the action found.
     */
    static Outcome withFile(String fileName, byte[] content, FileAction action) throws Exception {
        Path dir = Files.createTempDirectory(DIR, "in");
        Path file = dir.resolve(fileName);
        try {
            Files.write(file, content);
            return withinAllocationBudget(content.length, () -> action.run(file));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** Code under test that reads a file. */
    @FunctionalInterface
    interface FileAction {
        Outcome run(Path file) throws Exception;
    }

    /**
     * Runs {@code action} and fails if it allocated more memory than an input of {@code inputBytes} may
     * cause: heap, counted exactly per thread, and, on Linux, any memory at all (off-heap arenas included),
     * seen as growth of the process's peak resident size.
     */
    static Outcome withinAllocationBudget(long inputBytes, Action action) throws Exception {
        long budget = BASE_ALLOCATION_BUDGET + ALLOCATION_PER_INPUT_BYTE * inputBytes;
        long residentBefore = PeakResident.reset();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Outcome outcome = action.run();
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (allocated > budget) {
            throw new AssertionError("an input of " + inputBytes + " bytes made the reader allocate " + allocated
                    + " bytes of heap, more than the budget of " + budget + " (does a header decide an allocation?)");
        }
        long residentGrowth = PeakResident.peak() - residentBefore;
        // Heap growth shows up here too (new heap pages are touched), hence the heap budget plus a margin.
        if (residentBefore >= 0 && residentGrowth > budget + RESIDENT_MARGIN) {
            throw new AssertionError("an input of " + inputBytes + " bytes made the process's resident memory grow by "
                    + residentGrowth + " bytes, more than " + (budget + RESIDENT_MARGIN)
                    + " (an off-heap allocation decided by the file's content?)");
        }
        return outcome;
    }

    /** What the resident size may grow by beyond the heap budget: JIT, class loading, GC bookkeeping. */
    static final long RESIDENT_MARGIN = 256L << 20;

    /**
     * The process's peak resident size (VmHWM) from Linux's /proc, reset before each input by writing 5
     * to /proc/self/clear_refs. Elsewhere (or if /proc refuses) {@link #reset} returns -1 and only the heap
     * is checked.
     */
    private static final class PeakResident {
        private static final Path STATUS = Path.of("/proc/self/status");
        private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
        private static final boolean AVAILABLE = Files.isReadable(STATUS) && Files.isWritable(CLEAR_REFS);

        /** Resets the peak to the current resident size and returns that size, or -1 if not available. */
        static long reset() {
            if (!AVAILABLE) {
                return -1;
            }
            try {
                Files.writeString(CLEAR_REFS, "5");
                return field("VmRSS:");
            } catch (IOException e) {
                return -1;
            }
        }

        static long peak() throws IOException {
            return AVAILABLE ? field("VmHWM:") : -1;
        }

        private static long field(String name) throws IOException {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) { // e.g. "VmHWM:     123456 kB"
                    return Long.parseLong(line.substring(name.length()).replace("kB", "").strip()) * 1024;
                }
            }
            throw new IOException(name + " missing from " + STATUS);
        }
    }

    /**
     * Checks that a rejection is a clear message about {@code file}: it starts with the file's path, is one
     * line of printable text (it is printed as is by the CLI, and it may quote the hostile file) and is short.
     */
    static void assertClearMessage(Throwable rejection, Path file) {
        String message = rejection.getMessage();
        if (message == null || !message.startsWith(file.toString())) {
            throw new AssertionError("the message does not start with the file's path " + file + ": " + message, rejection);
        }
        assertPrintableLine(message, rejection);
    }

    /** Checks that {@code message} is one short line without control characters. */
    static void assertPrintableLine(String message, Throwable rejection) {
        if (message.length() > 2000) {
            throw new AssertionError("the message is " + message.length() + " chars long, not a clear one-line message: "
                    + message.substring(0, 200) + "...", rejection);
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (Character.isISOControl(c)) {
                throw new AssertionError(String.format("the message holds the control character U+%04X at index %d: %s",
                        (int) c, i, message), rejection);
            }
        }
    }

    private static void deleteDir() {
        try (Stream<Path> paths = Files.walk(DIR)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort at exit
        }
    }
}
