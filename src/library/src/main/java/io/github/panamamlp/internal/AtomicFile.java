package io.github.panamamlp.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The project's one way to write a file: all of it or nothing. The content goes to a temporary file in
 * the target's directory, named {@code .NAME.HEX.tmp} (NAME the target's file name, HEX 16 random hex
 * digits), which is forced to disk, renamed over the target in one atomic step, and the directory is
 * forced so the rename survives a power loss. A reader sees the old file or the new one, never a part;
 * a failed write leaves the old file as it was and removes its temporary file.
 *
 * <p>The same holds for the two other things renamed into place: a directory staged under a temporary
 * name ({@link #createStagingDirectory}, {@link #publishDirectory}), and a symbolic link switched to a new
 * target ({@link #switchLink}). Every temporary name this class makes matches {@link #TEMP_NAME}; one
 * left behind by a killed process is safe to delete.
 *
 * <p>Model files, the training history and its chart, the command line's output sets, the benchmark
 * report and the launcher all go through here; nothing else in the project renames a file into place.
 *
 * <p>An I/O error that does not name a file (a full disk, a file size limit) is rethrown with the
 * target's path in front of its message.
 */
public final class AtomicFile {
    private static final int BUFFER_BYTES = 1 << 16;
    /** Every temporary name this class makes: {@code .NAME.HEX.tmp}, HEX being 16 lower-case hex digits. */
    public static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.[0-9a-f]{16}\\.tmp");

    private AtomicFile() {
    }

    /**
     * Whether {@code file}'s name is one this class gives its temporary files, directories and links.
     *
     * @param file a path
     * @return true if its last element matches {@link #TEMP_NAME}
     */
    public static boolean isTemporary(Path file) {
        Path name = file.getFileName();
        return name != null && TEMP_NAME.matcher(name.toString()).matches();
    }

    /** A fresh temporary name beside {@code target} (not created). */
    private static Path temporarySibling(Path target) {
        return target.getParent().resolve("." + target.getFileName() + "."
                + String.format("%016x", ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    /** Writes a file's content to a stream (buffered by the caller of this method). */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the whole content.
         *
         * @param out the temporary file's stream; do not close it
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code content} to {@code target} atomically, replacing any existing file. The new file gets
     * the process's default permissions (as {@code Files.newOutputStream} would give it).
     *
     * @param target  the file to write
     * @param content what to write
     * @throws IOException if writing fails; the target is then unchanged and no temporary file remains
     */
    public static void write(Path target, Content content) throws IOException {
        write(target, null, content, UnaryOperator.identity());
    }

    /**
     * {@link #write(Path, Content)} for text, encoded as UTF-8.
     *
     * @param target the file to write
     * @param text   the text
     * @throws IOException if writing fails; the target is then unchanged and no temporary file remains
     */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /**
     * {@link #write(Path, Content)} with the given permissions set on the file before it takes the
     * target's place (e.g. an executable script), and {@code wrapStream} applied to the temporary file's
     * stream (tests inject failures through it).
     *
     * @param target      the file to write
     * @param permissions POSIX permissions for the new file, or null for the default
     * @param content     what to write
     * @param wrapStream  wraps the stream the content is written to
     * @throws IOException if writing fails; the target is then unchanged and no temporary file remains
     */
    public static void write(Path target, Set<PosixFilePermission> permissions, Content content,
                             UnaryOperator<OutputStream> wrapStream) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        Path temp = null;
        FileChannel channel = null;
        for (int attempt = 0; channel == null; attempt++) {
            // Not Files.createTempFile: its 0600 permissions would stick to the file after the rename.
            Path candidate = temporarySibling(file);
            try {
                channel = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                temp = candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            } catch (IOException e) {
                throw naming(file, e);
            }
        }
        boolean moved = false;
        try {
            try (FileChannel ch = channel;
                 OutputStream out = new BufferedOutputStream(wrapStream.apply(Channels.newOutputStream(ch)), BUFFER_BYTES)) {
                content.writeTo(out);
                out.flush();
                FaultPoint.reach(file.getFileName().toString());
                ch.force(true); // the data must be on disk before the rename makes it the file
            }
            if (permissions != null) {
                Files.setPosixFilePermissions(temp, permissions);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(dir);
        } catch (IOException | RuntimeException | Error e) {
            cleanUp(e, moved ? null : temp, file);
            throw e;
        }
    }

    /**
     * After step failed with {@code e}: deletes the temporary {@code temp} (if not null; a failure to delete
     * is suppressed into {@code e}), and throws an I/O error {@linkplain #naming named} after {@code file};
     * returns for anything else, which the caller rethrows as it is.
     */
    private static void cleanUp(Throwable e, Path temp, Path file) throws IOException {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException | RuntimeException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
        }
        if (e instanceof IOException io) {
            throw naming(file, io);
        }
    }

    /**
     * {@code e} if its message names a file already ({@link FileSystemException}), else an IOException
     * of the same meaning whose message starts with {@code file}: "No space left on device" or "File too
     * large" alone do not say which file could not be written.
     */
    private static IOException naming(Path file, IOException e) {
        if (e instanceof FileSystemException || (e.getMessage() != null && e.getMessage().contains(file.toString()))) {
            return e;
        }
        return new IOException(file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }

    /**
     * Creates an empty directory beside {@code target} under a temporary name ({@link #TEMP_NAME}), to be
     * filled and then {@linkplain #publishDirectory published} as {@code target} in one step.
     *
     * @param target the directory the staged one will become
     * @return the new, empty directory
     * @throws IOException if it cannot be created (the message names the path)
     */
    public static Path createStagingDirectory(Path target) throws IOException {
        Path file = target.toAbsolutePath();
        for (int attempt = 0; ; attempt++) {
            Path candidate = temporarySibling(file);
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            } catch (IOException e) {
                throw naming(candidate, e);
            }
        }
    }

    /**
     * Makes a staged directory's files and the directory itself durable, then renames it to
     * {@code target} in one atomic step (which must not exist) and forces the parent directory: a reader
     * finds either no {@code target} or all of it.
     *
     * @param staged the directory from {@link #createStagingDirectory}, filled
     * @param target its final name, in the same directory
     * @throws IOException if it cannot be renamed; the staged directory is then left as it is
     */
    public static void publishDirectory(Path staged, Path target) throws IOException {
        syncDirectory(staged);
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw naming(target, e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Points the symbolic link {@code link} at {@code target} in one atomic step, whether or not it
     * existed and whatever it pointed at: a temporary link is made beside it and renamed over it. A reader
     * following {@code link} reaches the old target or the new one, never nothing.
     *
     * @param link   the link to create or replace (a regular file there is replaced too)
     * @param target what it points at, usually a relative path such as {@code current/model.npz}
     * @throws IOException if the link cannot be made; then {@code link} is unchanged and no temporary link
     *                     remains
     */
    public static void switchLink(Path link, Path target) throws IOException {
        Path file = link.toAbsolutePath();
        Path temp = null;
        for (int attempt = 0; temp == null; attempt++) {
            Path candidate = temporarySibling(file);
            try {
                temp = Files.createSymbolicLink(candidate, target);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            } catch (IOException e) {
                throw naming(file, e);
            }
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            cleanUp(e, temp, file);
            throw e;
        }
        syncDirectory(file.getParent());
    }

    /** Makes the rename durable where the platform allows syncing a directory (not on Windows). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // The rename is already atomic; only its durability across a power loss is at stake.
        }
    }
}
