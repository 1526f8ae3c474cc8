package io.github.panamamlp.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes — image files (magic {@code 0x00000803}: count, rows, cols, then
 * count·rows·cols pixels) and label files (magic {@code 0x00000801}: count, then count labels) — raw or
 * gzip-compressed. Compression is recognized by the content (the gzip bytes {@code 1f 8b}), never by the
 * file name.
 *
 * <p>The header is checked before any payload is allocated: the magic number, the number of dimensions,
 * each dimension (count ≥ 1, 1 ≤ rows, cols ≤ {@value #MAX_SIDE}, payload ≤ {@value #MAX_PAYLOAD_BYTES} bytes)
 * and, for a raw file, that its length is exactly header + payload. A gzip file's uncompressed length is
 * not known up front, so its payload buffer starts small and grows only as data actually arrives (never
 * beyond what the header promises): a lying header cannot cause a large allocation. Data that ends early,
 * data beyond what the header promises and corrupt gzip streams are all errors. Bytes after a complete
 * gzip member are ignored, as {@code gunzip} does (the JDK's reader skips them); the member's own data is
 * still checked for its exact length and CRC.
 *
 * <p>Every failure is a {@link DatasetException} whose one-line message names the file and the problem.
 *
 * <p>Not part of the API: users read IDX files through {@link Dataset#load}, {@link IdxImages#read} and
 * {@link IdxLabels#read}.
 */
final class IdxReader {
    /** Magic number of an IDX file of unsigned-byte images (3 dimensions). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned-byte labels (1 dimension). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Largest accepted image side; far above any IDX image dataset, small enough to catch garbage. */
    public static final int MAX_SIDE = 4096;
    /** Largest accepted payload: the largest Java array. */
    public static final int MAX_PAYLOAD_BYTES = Integer.MAX_VALUE - 8;

    /** IDX type byte for unsigned bytes. */
    private static final int TYPE_UNSIGNED_BYTE = 0x08;
    /** First buffer of a gzip payload; it doubles as data arrives. */
    private static final int GZIP_INITIAL_BUFFER = 1 << 16;
    private static final int IO_BUFFER = 1 << 16;

    private IdxReader() {
    }

    /**
     * Reads an IDX image file (raw or gzip).
     *
     * @param file the file
     * @return its images
     *
     * @throws DatasetException if the file is missing, unreadable, or not a well-formed IDX image file
     */
    public static IdxImages readImages(Path file) {
        return read(file, Kind.IMAGES, 0, -1, (payload, dims) -> new IdxImages(dims[0], dims[1], dims[2], payload));
    }

    /**
     * Reads {@code count} images from image {@code from} on, and only those: the header is checked as by
     * {@link #readImages(Path)} (and a raw file's length), the images before {@code from} are skipped (a seek
     * in a raw file), and nothing after the last one is read. For a command that needs one image of a set,
     * e.g. {@code predict --index}. A gzip file's checksum is not verified, since its end is never read.
     *
     * @param file  the file
     * @param from  the first image, ≥ 0
     * @param count how many, ≥ 1, with {@code from + count} at most the file's image count
     * @return those images
     * @throws DatasetException if the file is missing, unreadable, malformed or holds fewer than
     *                          {@code from + count} images
     */
    public static IdxImages readImages(Path file, int from, int count) {
        checkRange(from, count);
        return read(file, Kind.IMAGES, from, count, (payload, dims) -> new IdxImages(count, dims[1], dims[2], payload));
    }

    /**
     * The number of images of an IDX image file, from its header alone (checked as by {@link #readImages(Path)},
     * with a raw file's length).
     *
     * @param file the file
     * @return the count in the header
     * @throws DatasetException if the file is missing, unreadable or not a well-formed IDX image file
     */
    public static int imageCount(Path file) {
        return read(file, Kind.IMAGES, 0, 0, (payload, dims) -> dims[0]);
    }

    /**
     * Reads only the header of an IDX image file (raw or gzip): what the file declares, without reading
     * or allocating its pixels. For sizing a run before the data is loaded; {@link #readImages} still
     * checks that the pixels are there.
     *
     * @param file the file
     * @return {count, rows, cols}
     * @throws DatasetException if the file is missing, unreadable or its header is not that of an IDX image file
     */
    public static int[] readImagesHeader(Path file) {
        return read(file, Kind.IMAGES, 0, 0, null);
    }

    /**
     * Reads an IDX label file (raw or gzip) of MNIST-like data: every label must be in 0–9.
     *
     * @param file the file
     * @return its labels
     *
     * @throws DatasetException if the file is missing, unreadable, malformed or holds a label outside 0–9
     */
    public static IdxLabels readLabels(Path file) {
        return readLabels(file, IdxLabels.DEFAULT_CLASSES);
    }

    /**
     * Reads an IDX label file (raw or gzip) whose labels must be in {@code 0 … numClasses-1}.
     *
     * @param file       the file
     * @param numClasses 1…256
     * @return its labels
     * @throws DatasetException if the file is missing, unreadable, malformed or holds a label out of range
     */
    public static IdxLabels readLabels(Path file, int numClasses) {
        IdxLabels.checkClasses(numClasses);
        return read(file, Kind.LABELS, 0, -1, (payload, dims) -> {
            int bad = IdxLabels.firstOutOfRange(payload, numClasses);
            if (bad >= 0) {
                throw new DatasetException(file, IdxLabels.outOfRangeMessage(payload, bad, numClasses));
            }
            return new IdxLabels(numClasses, payload);
        });
    }

    /**
     * Reads {@code count} labels from label {@code from} on, and only those (see
     * {@link #readImages(Path, int, int)}); each must be in {@code 0 … numClasses-1}.
     *
     * @param file       the file
     * @param numClasses 1…256
     * @param from       the first label, ≥ 0
     * @param count      how many, ≥ 1
     * @return those labels
     * @throws DatasetException if the file is missing, unreadable, malformed, holds fewer than
     *                          {@code from + count} labels, or one of those is out of range
     */
    public static IdxLabels readLabels(Path file, int numClasses, int from, int count) {
        IdxLabels.checkClasses(numClasses);
        checkRange(from, count);
        return read(file, Kind.LABELS, from, count, (payload, dims) -> {
            int bad = IdxLabels.firstOutOfRange(payload, numClasses);
            if (bad >= 0) {
                throw new DatasetException(file, IdxLabels.outOfRangeMessage(payload, bad, numClasses).replace(
                        "at index " + bad, "at index " + (from + bad)));
            }
            return new IdxLabels(numClasses, payload);
        });
    }

    private static void checkRange(int from, int count) {
        if (from < 0 || count < 1) {
            throw new IllegalArgumentException("a range of at least one item from index ≥ 0, got " + count + " from " + from);
        }
    }

    private enum Kind {
        IMAGES(IMAGES_MAGIC, "images", "an image file"),
        LABELS(LABELS_MAGIC, "labels", "a label file");

        final int magic;
        final String noun;
        final String description;

        Kind(int magic, String noun, String description) {
            this.magic = magic;
            this.noun = noun;
            this.description = description;
        }

        int dimensions() {
            return magic & 0xFF;
        }

        int headerBytes() {
            return 4 + 4 * dimensions();
        }
    }

    @FunctionalInterface
    private interface Builder<T> {
        T build(byte[] payload, int[] dims);
    }

    /**
     * Reads the header, checks it, and reads items [from, from + count) (count −1: all of them, checked to the
     * end of the data; 0: none, the header alone). dims[0] given to the builder is the header's count.
     */
    private static <T> T read(Path file, Kind kind, int from, int count, Builder<T> builder) {
        boolean gzip = false;
        try (InputStream fileIn = Files.newInputStream(file)) {
            BufferedInputStream buffered = new BufferedInputStream(fileIn, IO_BUFFER);
            buffered.mark(2);
            gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            InputStream in = gzip ? new GZIPInputStream(buffered, IO_BUFFER) : buffered;
            String data = gzip ? "the uncompressed data" : "the file";

            int[] dims = readHeader(in, file, kind, data);
            long payload = checkDimensions(file, kind, dims);
            if (builder == null) { // the header only
                @SuppressWarnings("unchecked")
                T header = (T) dims;
                return header;
            }
            String promise = promise(kind, dims);
            if (!gzip) {
                // The length is known: check it before allocating anything.
                long expected = kind.headerBytes() + payload;
                long actual = Files.size(file);
                if (actual < expected) {
                    throw new DatasetException(file, "truncated: the header promises " + promise + " (" + expected
                            + " bytes with the header) but the file is " + actual + " bytes");
                }
                if (actual > expected) {
                    throw new DatasetException(file, (actual - expected) + " unexpected trailing bytes after the "
                            + promise + " the header promises (the file is " + actual + " bytes, expected " + expected + ")");
                }
            }
            if (count < 0) {
                byte[] bytes = readPayload(in, (int) payload, gzip, file, promise, data);
                return builder.build(bytes, dims);
            }
            long total = Integer.toUnsignedLong(dims[0]);
            if (from + (long) count > total) {
                throw new DatasetException(file, "holds " + total + " " + kind.noun + ", so there is none at index "
                        + (from + (long) count - 1));
            }
            long itemBytes = payload / total;
            in.skipNBytes(from * itemBytes);
            byte[] bytes = new byte[(int) (count * itemBytes)];
            int got = in.readNBytes(bytes, 0, bytes.length);
            if (got < bytes.length) {
                throw new DatasetException(file, "truncated: the header promises " + promise + " but " + data + " ends early");
            }
            return builder.build(bytes, dims);
        } catch (NoSuchFileException e) {
            throw new DatasetException(file, "file does not exist", e);
        } catch (AccessDeniedException e) {
            throw new DatasetException(file, "permission denied", e);
        } catch (EOFException e) {
            // Only a gzip stream reports EOF this way: the raw path checks lengths itself.
            throw new DatasetException(file, gzip ? "corrupt gzip: the compressed data ends early (truncated file?)"
                    : "unexpected end of file", e);
        } catch (ZipException e) {
            throw new DatasetException(file, "corrupt gzip: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot read: " + e, e);
        }
    }

    /** Reads and checks the magic number, then reads the dimensions. */
    private static int[] readHeader(InputStream in, Path file, Kind kind, String data) throws IOException {
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, 4);
        if (got < 4) {
            throw new DatasetException(file, "too short for an IDX header: " + data + " is " + got + " bytes");
        }
        int value = bigEndian(magic, 0);
        if (magic[0] != 0 || magic[1] != 0 || (magic[2] & 0xFF) != TYPE_UNSIGNED_BYTE) {
            throw new DatasetException(file, String.format(
                    "bad magic number 0x%08X: not an IDX file of unsigned bytes (expected 0x%08X for %s)",
                    value, kind.magic, kind.noun));
        }
        int dimensions = magic[3] & 0xFF;
        if (dimensions != kind.dimensions()) {
            String hint = dimensions == Kind.LABELS.dimensions() ? " (this looks like " + Kind.LABELS.description + ")"
                    : dimensions == Kind.IMAGES.dimensions() ? " (this looks like " + Kind.IMAGES.description + ")" : "";
            throw new DatasetException(file, String.format(
                    "wrong number of dimensions: magic number 0x%08X gives %d, expected %d for %s (0x%08X)%s",
                    value, dimensions, kind.dimensions(), kind.noun, kind.magic, hint));
        }
        byte[] rest = new byte[4 * dimensions];
        got = in.readNBytes(rest, 0, rest.length);
        if (got < rest.length) {
            throw new DatasetException(file, "truncated header: " + data + " ends after " + (4 + got)
                    + " bytes, the IDX header of " + kind.noun + " is " + kind.headerBytes() + " bytes");
        }
        int[] dims = new int[dimensions];
        for (int d = 0; d < dimensions; d++) {
            dims[d] = bigEndian(rest, 4 * d);
        }
        return dims;
    }

    /** Checks each dimension (read as unsigned) and returns the payload size in bytes. */
    private static long checkDimensions(Path file, Kind kind, int[] dims) {
        long count = Integer.toUnsignedLong(dims[0]);
        if (count < 1 || count > MAX_PAYLOAD_BYTES) {
            throw new DatasetException(file, "count " + count + " in the header is outside 1…" + MAX_PAYLOAD_BYTES);
        }
        long payload = count;
        if (kind == Kind.IMAGES) {
            String[] names = {"rows", "cols"};
            for (int d = 1; d <= 2; d++) {
                long side = Integer.toUnsignedLong(dims[d]);
                if (side < 1 || side > MAX_SIDE) {
                    throw new DatasetException(file, names[d - 1] + " " + side + " in the header is outside 1…" + MAX_SIDE);
                }
                payload *= side; // ≤ 2^31 · 2^12 · 2^12: no overflow
            }
            if (payload > MAX_PAYLOAD_BYTES) {
                throw new DatasetException(file, "the header promises " + promise(kind, dims) + " = " + payload
                        + " bytes, more than the limit of " + MAX_PAYLOAD_BYTES);
            }
        }
        return payload;
    }

    private static String promise(Kind kind, int[] dims) {
        return kind == Kind.IMAGES
                ? Integer.toUnsignedString(dims[0]) + " images of " + Integer.toUnsignedString(dims[1]) + "×"
                + Integer.toUnsignedString(dims[2])
                : Integer.toUnsignedString(dims[0]) + " labels";
    }

    /**
     * Reads exactly {@code promised} bytes and then requires the end of the data. A raw file's length has
     * been checked, so its buffer is allocated at once; a gzip buffer grows only as data arrives.
     */
    private static byte[] readPayload(InputStream in, int promised, boolean gzip, Path file, String promise,
                                      String data) throws IOException {
        byte[] buffer = new byte[gzip ? Math.min(promised, GZIP_INITIAL_BUFFER) : promised];
        int filled = 0;
        while (filled < promised) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(promised, 2L * buffer.length));
            }
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw new DatasetException(file, "truncated: the header promises " + promise + " (" + promised
                        + " payload bytes) but " + data + " holds only " + filled);
            }
            filled += n;
        }
        // Reading to the end also makes GZIPInputStream verify the CRC and length in the gzip trailer.
        if (in.read() >= 0) {
            throw new DatasetException(file, "unexpected trailing bytes: " + data + " holds more than the "
                    + promise + " the header promises");
        }
        return buffer;
    }

    private static int bigEndian(byte[] b, int offset) {
        return (b[offset] & 0xFF) << 24 | (b[offset + 1] & 0xFF) << 16 | (b[offset + 2] & 0xFF) << 8 | (b[offset + 3] & 0xFF);
    }
}
