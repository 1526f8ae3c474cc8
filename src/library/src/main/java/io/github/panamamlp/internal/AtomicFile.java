package io.github.panamamlp.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * The project's one way to write a file: all of it or nothing. The content goes to a temporary file in
 * the target's directory, named {@code .NAME.HEX.tmp} (NAME the target's file name, HEX 16 random hex
 * digits), which is forced to disk, renamed over the target in one atomic step, and the directory is
 * forced so the rename survives a power loss. A reader sees the old file or the new one, never a part;
 * a failed write leaves the old file as it was and removes its temporary file.
 *
 * <p>Model files, the training history and its chart, the benchmark report and the launcher all go
 * through here; nothing else in the project renames a file into place.
 */
public final class AtomicFile {
    private static final int BUFFER_BYTES = 1 << 16;

    private AtomicFile() {
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
            Path candidate = dir.resolve("." + file.getFileName() + "."
                    + String.format("%016x", ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                channel = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                temp = candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
        boolean moved = false;
        try {
            try (FileChannel ch = channel;
                 OutputStream out = new BufferedOutputStream(wrapStream.apply(Channels.newOutputStream(ch)), BUFFER_BYTES)) {
                content.writeTo(out);
                out.flush();
                ch.force(true); // the data must be on disk before the rename makes it the file
            }
            if (permissions != null) {
                Files.setPosixFilePermissions(temp, permissions);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(dir);
        } catch (IOException | RuntimeException | Error e) {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException | RuntimeException deleteFailure) {
                    e.addSuppressed(deleteFailure);
                }
            }
            throw e;
        }
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
