package io.github.panamamlp.cli;

import io.github.panamamlp.internal.AtomicFile;
import io.github.panamamlp.internal.FaultPoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The output directory of a training run ({@code --out}), which always holds one complete set of outputs:
 * <pre>
 *   current        -> run-HEX            the one thing switched, atomically, to publish a new set
 *   run-HEX/       model.npz history.csv history.json history.png
 *   model.npz      -> current/model.npz  (and so for the other three): stable paths to the current set
 *   .panama-mlp.lock                     held by the run writing here
 * </pre>
 * A run checks the directory before any data is loaded ({@link #open}): it is created, or must be a
 * writable directory with room for the outputs; no other run may hold it (a lock the operating system
 * releases when a process dies); whatever a killed run left (names matching {@link AtomicFile#TEMP_NAME},
 * and {@code run-HEX} directories that are not current) is removed, and nothing else. The new outputs are
 * written into a staging directory {@code .run-HEX.<16 hex>.tmp}; {@link #publish} renames it to
 * {@code run-HEX} and switches {@code current} to it, so a reader sees either the complete old set or the
 * complete new one. On SIGINT or SIGTERM a shutdown hook removes the staging directory: the process then
 * exits with 130 or 143 and the old set stays current; a signal after the switch changes nothing and the
 * exit code is 0, the new set being published.
 */
final class OutputSet implements AutoCloseable {
    static final String LOCK_FILE = ".panama-mlp.lock";
    static final String CURRENT = "current";
    static final List<String> FILES = List.of("model.npz", "history.csv", "history.json", "history.png");
    static final Pattern SET_NAME = Pattern.compile("run-[0-9a-f]{16}");
    /** Room kept for the history and the chart beside the model file. */
    private static final long HISTORY_BYTES = 1L << 20;

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String setName;
    private final Path staged;
    private final Thread hook;
    /** Guards the switch against the shutdown hook: one of them runs at a time. */
    private final Object publishing = new Object();
    private boolean published;
    private boolean interrupted;
    private boolean closed;

    private OutputSet(Path dir, FileChannel lockChannel, FileLock lock, String setName, Path staged) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.setName = setName;
        this.staged = staged;
        this.hook = new Thread(this::onSignal, "panama-mlp output cleanup");
    }

    /**
     * Checks {@code out} and takes it for this run, before any data is loaded.
     *
     * @param out         the {@code --out} directory
     * @param modelBytes  the size of the model file to come
     * @return the output set, holding the lock and an empty staging directory; close it when done
     * @throws OutputException one line saying what is wrong with which path
     */
    static OutputSet open(Path out, long modelBytes) {
        Path dir = out.toAbsolutePath().normalize();
        String where = "--out " + out;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new OutputException(where + ": not a directory (" + describe(dir) + ")");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OutputException(where + ": cannot create the directory: " + reason(e));
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new OutputException(where + ": not writable: " + reason(e));
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        } catch (IOException e) {
            closeQuietly(channel);
            throw new OutputException(where + ": cannot lock " + dir.resolve(LOCK_FILE) + ": " + reason(e));
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new OutputException(where + ": another panama-mlp run is writing to this directory (it holds "
                    + dir.resolve(LOCK_FILE) + "); wait for it to finish or choose another --out");
        }
        try {
            removeLeftovers(dir);
            long need = modelBytes + HISTORY_BYTES;
            FileStore store = Files.getFileStore(dir);
            long free = store.getUsableSpace();
            if (free < need) {
                throw new OutputException(where + ": only " + MemoryCheck.size(free) + " free on its file system, the"
                        + " outputs need about " + MemoryCheck.size(need));
            }
            String setName = "run-" + String.format("%016x", ThreadLocalRandom.current().nextLong());
            Path staged;
            try {
                staged = AtomicFile.createStagingDirectory(dir.resolve(setName));
            } catch (IOException e) {
                throw new OutputException(where + ": not writable: " + reason(e));
            }
            OutputSet set = new OutputSet(dir, channel, lock, setName, staged);
            Runtime.getRuntime().addShutdownHook(set.hook);
            return set;
        } catch (IOException e) {
            closeQuietly(channel); // releases the lock
            throw new OutputException(where + ": " + reason(e));
        } catch (RuntimeException | Error e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** {@return the directory to write the new outputs into (the staging directory)} */
    Path staging() {
        return staged;
    }

    /** {@return the published set's directory, e.g. out/run-0123456789abcdef} */
    Path setDirectory() {
        return dir.resolve(setName);
    }

    /**
     * Publishes the staged outputs as the current set: renames the staging directory to its final name,
     * switches {@code current} to it, and makes sure the stable links exist; then removes the previous
     * set. Afterwards the run must exit with 0, whatever happens.
     *
     * @throws IOException if the set cannot be published; the old set then stays current
     */
    void publish() throws IOException {
        for (String f : FILES) {
            if (!Files.isRegularFile(staged.resolve(f), LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(staged.resolve(f) + ": missing from the staged outputs");
            }
        }
        FaultPoint.reach("staged");
        Path target = setDirectory();
        synchronized (publishing) {
            if (interrupted) {
                throw new IOException("interrupted before the outputs were published");
            }
            AtomicFile.publishDirectory(staged, target);
        }
        FaultPoint.reach("switch");
        Path previous = currentSet();
        synchronized (publishing) {
            if (interrupted) {
                throw new IOException("interrupted before the outputs were published");
            }
            // Stable paths: out/model.npz and its siblings lead through 'current' to the current set. Made
            // before the switch, so that nothing after it can fail; a missing one dangles until the switch
            // only when there was no set at all.
            for (String f : FILES) {
                Path link = dir.resolve(f);
                if (Files.isSymbolicLink(link) || !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    ensureLink(link, Path.of(CURRENT, f));
                }
            }
            AtomicFile.switchLink(dir.resolve(CURRENT), Path.of(setName)); // the commit point
            published = true;
            // A regular file from before sets existed is replaced only now, each in one step, so that it
            // stays readable until the new set is current; failing here changes nothing that was promised.
            for (String f : FILES) {
                Path link = dir.resolve(f);
                if (!Files.isSymbolicLink(link)) {
                    try {
                        ensureLink(link, Path.of(CURRENT, f));
                    } catch (IOException | RuntimeException stays) {
                        // The old file stays where it was; current/ holds the new set.
                    }
                }
            }
        }
        FaultPoint.reach("published");
        if (previous != null && !previous.equals(target)) {
            deleteTreeQuietly(previous);
        }
    }

    private static void ensureLink(Path link, Path to) throws IOException {
        if (!(Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(to))) {
            AtomicFile.switchLink(link, to);
        }
    }

    /** {@return the directory 'current' points at, or null} */
    private Path currentSet() {
        Path link = dir.resolve(CURRENT);
        try {
            if (Files.isSymbolicLink(link)) {
                Path to = Files.readSymbolicLink(link);
                return to.getNameCount() == 1 && SET_NAME.matcher(to.toString()).matches() ? dir.resolve(to) : null;
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /**
     * Removes what killed runs left: temporary names of {@link AtomicFile} (files, links, staging
     * directories) and {@code run-HEX} directories that 'current' does not point at. Only those patterns.
     */
    private static void removeLeftovers(Path dir) throws IOException {
        Path link = dir.resolve(CURRENT);
        Path current = null;
        if (Files.isSymbolicLink(link)) {
            current = dir.resolve(Files.readSymbolicLink(link)).normalize();
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                boolean staleSet = SET_NAME.matcher(name).matches() && !p.equals(current)
                        && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                if (AtomicFile.isTemporary(p) || staleSet) {
                    deleteTree(p);
                }
            }
        }
    }

    /** The shutdown hook: on SIGINT or SIGTERM before the switch, the staged outputs go. */
    private void onSignal() {
        synchronized (publishing) {
            interrupted = true;
            if (closed) {
                return;
            }
            if (published) {
                // The new set is out: report success, whatever signal arrived after it.
                Runtime.getRuntime().halt(0);
            }
            deleteTreeQuietly(staged);
            deleteTreeQuietly(setDirectory()); // renamed but never made current
        }
    }

    /** Removes the staging directory if the set was not published, and releases the directory. */
    @Override
    public void close() {
        synchronized (publishing) {
            if (closed) {
                return;
            }
            closed = true;
            if (!published) {
                deleteTreeQuietly(staged);
                deleteTreeQuietly(setDirectory());
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs or has run; it sees 'closed'.
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel releases it too.
        }
        closeQuietly(lockChannel);
    }

    private static void deleteTree(Path root) throws IOException {
        // Files may still appear while another thread writes into a staging directory: retry a few times.
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (NoSuchFileException gone) {
                if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                    return;
                }
                if (attempt >= 10) {
                    throw gone;
                }
            } catch (DirectoryNotEmptyException busy) {
                if (attempt >= 10) {
                    throw busy;
                }
            }
        }
    }

    private static void deleteTreeQuietly(Path root) {
        try {
            deleteTree(root);
        } catch (IOException | RuntimeException ignored) {
            // Left for the next run, which removes it by its name.
        }
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Nothing to do.
        }
    }

    private static String describe(Path p) {
        return Files.isRegularFile(p) ? "it is a file" : "it is not a directory";
    }

    /** What went wrong, without repeating the path the caller already names. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied (" + e.getMessage() + ")";
        }
        if (e instanceof FileSystemException fs) {
            String r = fs.getReason();
            return (r == null ? e.getClass().getSimpleName().replace("Exception", "") : r) + " (" + fs.getFile() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A problem with --out, in one line. */
    static final class OutputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutputException(String message) {
            super(message);
        }
    }
}
