package io.github.panamamlp.internal.npz;

import io.github.panamamlp.io.ModelFormatException;
import io.github.panamamlp.internal.AtomicFile;
import io.github.panamamlp.internal.Json;
import io.github.panamamlp.internal.Untrusted;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes numpy {@code .npz} files of float64 arrays plus one JSON text entry: the model
 * file format. See the {@linkplain io.github.panamamlp.io package documentation} for the layout and
 * how numpy reads it.
 *
 * <p>Writing is atomic ({@link AtomicFile}): a reader never sees a partial file, and a failed write
 * leaves the previous file (if any) as it was and no temporary file behind.
 *
 * <p>Reading checks everything before trusting it and never lets a header or zip directory decide how
 * much memory is allocated: the whole file is checked first in a fixed-size buffer (every entry's length
 * against its header, every CRC), so memory for an array is allocated only for data the file really holds,
 * and the limits below hold. Arrays move between memory and the file in chunks of {@value #CHUNK_BYTES}
 * bytes, on or off the heap: a model's parameters are written from, and read into, its off-heap memory.
 * Any malformed content throws {@link ModelFormatException} naming the file, the entry and the problem.
 */
public final class Npz {
    /** The most float elements a file may hold, all arrays together (400 MB of doubles). */
    public static final long MAX_TOTAL_ELEMENTS = 50_000_000;
    /** The most entries a file may hold. */
    public static final int MAX_ENTRIES = 10_000;
    /** The longest NPY header dictionary accepted (numpy's own default limit). */
    public static final int MAX_HEADER_BYTES = 10_000;
    /** The largest text (JSON) entry payload accepted, in bytes. */
    public static final int MAX_TEXT_BYTES = 16 * 1024 * 1024;

    /**
     * A fixed entry time, so equal models give equal files. Not the DOS epoch 1980-01-01 00:00 itself:
     * for that the JDK adds an extended timestamp that depends on the time zone.
     */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 2, 0, 0);
    /** Bytes per chunk when arrays are copied between memory and the file. */
    public static final int CHUNK_BYTES = 1 << 16;
    private static final ValueLayout.OfDouble LITTLE_ENDIAN_DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LITTLE_ENDIAN_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** How far past the expected end trailing data is counted, for the error message. */
    private static final long EXTRA_COUNT_LIMIT = 16L * 1024 * 1024;

    private Npz() {
    }

    /**
     * Writes {@code arrays} and the JSON text to {@code file} atomically, replacing any existing file.
     * Each array becomes the stored (uncompressed, as {@code np.savez} writes) entry {@code NAME.npy}
     * in NPY format 1.0 with dtype {@code <f8}; the JSON becomes the 0-d unicode array
     * {@code JSONNAME.npy} (dtype {@code <U}n), which numpy reads as {@code str(np.load(file)[JSONNAME])}.
     * The JSON entry comes first, then the arrays in list order. Equal arguments give byte-identical files.
     * The arrays' data must not change while this runs (each entry is encoded twice: for its CRC, then
     * for the file; a change in between would give a file that {@link #read} rejects as corrupt).
     *
     * @param file          the file to write
     * @param arrays        the arrays, written in order
     * @param jsonEntryName the JSON entry's name without {@code .npy} (e.g. {@code "model_json"}), or
     *                      {@code null} together with {@code json} for a file of arrays only
     * @param json          the JSON text; must be valid JSON ({@link Json#parse})
     * @throws IllegalArgumentException before anything is written, if names are invalid or repeated,
     *         the JSON is invalid, or the file would exceed the reading limits ({@link #MAX_TOTAL_ELEMENTS},
     *         {@link #MAX_TEXT_BYTES}, {@link #MAX_ENTRIES})
     * @throws IOException if writing fails; then neither a partial target nor a temporary file remains
     */
    public static void write(Path file, List<NpyArray> arrays, String jsonEntryName, String json)
            throws IOException {
        write(file, arrays, jsonEntryName, json, UnaryOperator.identity());
    }

    /**
     * {@link #write(Path, List, String, String)} with {@code wrapFileStream} applied to the stream
     * that writes the temporary file, so tests can inject failures mid-write.
     */
    static void write(Path file, List<NpyArray> arrays, String jsonEntryName, String json,
                      UnaryOperator<OutputStream> wrapFileStream) throws IOException {
        List<ArrayView> views = new ArrayList<>(arrays.size());
        for (NpyArray a : arrays) {
            views.add(new ArrayView(a.name(), a.shape(), MemorySegment.ofArray(a.data())));
        }
        writeViews(file, views, jsonEntryName, json, wrapFileStream);
    }

    /**
     * A named array whose elements are read from memory while the file is written, on or off the heap:
     * {@code data} holds exactly the shape's product of doubles ({@code itemSize} 8, written as {@code <f8})
     * or floats ({@code itemSize} 4, written as {@code <f4}) in the platform's byte order, row-major.
     * A model's parameters are written this way straight from its off-heap memory, in chunks, so saving
     * needs no heap in proportion to the model.
     */
    public record ArrayView(String name, int[] shape, MemorySegment data, int itemSize) {
        public ArrayView {
            NpyArray.checkNameAndShape(name, shape);
            if (itemSize != 4 && itemSize != 8) {
                throw new IllegalArgumentException(name + ": item size must be 4 (float32) or 8 (float64), got " + itemSize);
            }
            shape = shape.clone();
            long count = 1;
            for (int dim : shape) {
                count *= dim;
            }
            if (data.byteSize() != count * itemSize) {
                throw new IllegalArgumentException(name + ": shape " + NpyArray.shapeString(shape) + " needs " + count
                        + " elements but the memory holds " + data.byteSize() + " bytes");
            }
        }

        /** A float64 array. */
        public ArrayView(String name, int[] shape, MemorySegment data) {
            this(name, shape, data, Double.BYTES);
        }

        public long elements() {
            return data.byteSize() / itemSize;
        }
    }

    /**
     * {@link #write(Path, List, String, String)} for arrays read from memory in chunks of
     * {@value #CHUNK_BYTES} bytes: the same bytes for the same values, whether the memory is on the heap
     * or not.
     */
    public static void writeViews(Path file, List<ArrayView> arrays, String jsonEntryName, String json,
                                  UnaryOperator<OutputStream> wrapFileStream) throws IOException {
        List<EntryToWrite> entries = prepareEntries(arrays, jsonEntryName, json);
        AtomicFile.write(file, null, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (EntryToWrite entry : entries) {
                ZipEntry ze = new ZipEntry(entry.zipName());
                ze.setMethod(ZipEntry.STORED);
                ze.setSize(entry.size());
                ze.setCompressedSize(entry.size());
                ze.setCrc(entry.crc());
                ze.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(ze);
                entry.body().writeTo(zip);
                zip.closeEntry();
            }
            zip.finish(); // not close(): the atomic writer owns the file's stream
        }, wrapFileStream);
    }

    /** Writes one entry's bytes; called twice, once for the CRC and size and once for the zip. */
    @FunctionalInterface
    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private record EntryToWrite(String zipName, long size, long crc, Body body) {
    }

    private static List<EntryToWrite> prepareEntries(List<ArrayView> arrays, String jsonEntryName, String json) {
        if ((jsonEntryName == null) != (json == null)) {
            throw new IllegalArgumentException("jsonEntryName and json must both be null or both be set");
        }
        if (arrays.size() + 1 > MAX_ENTRIES) {
            throw new IllegalArgumentException(arrays.size() + " arrays: a file may hold at most " + MAX_ENTRIES
                    + " entries");
        }
        List<EntryToWrite> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (json != null) {
            if (!NpyArray.isValidName(jsonEntryName)) {
                throw new IllegalArgumentException("invalid JSON entry name " + Untrusted.quote(jsonEntryName));
            }
            try {
                Json.parse(json, "json");
            } catch (Json.SyntaxException e) {
                throw new IllegalArgumentException("the model description is not valid JSON: " + e.getMessage(), e);
            }
            int[] codePoints = json.codePoints().toArray();
            if ((long) codePoints.length * 4 > MAX_TEXT_BYTES) {
                throw new IllegalArgumentException("JSON text of " + codePoints.length + " code points exceeds the "
                        + MAX_TEXT_BYTES + "-byte limit of a text entry");
            }
            names.add(jsonEntryName);
            entries.add(entry(jsonEntryName, out -> writeText(codePoints, out)));
        }
        long total = 0;
        for (ArrayView a : arrays) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("two entries are named '" + a.name() + "'");
            }
            total += a.elements();
            if (total > MAX_TOTAL_ELEMENTS) {
                throw new IllegalArgumentException("the arrays hold more than " + MAX_TOTAL_ELEMENTS
                        + " elements, more than a file may hold");
            }
            entries.add(entry(a.name(), out -> writeArray(a, out)));
        }
        return entries;
    }

    private static EntryToWrite entry(String name, Body body) {
        CRC32 crc = new CRC32();
        long[] size = {0};
        OutputStream counter = new CheckedOutputStream(OutputStream.nullOutputStream(), crc) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                super.write(b, off, len);
                size[0] += len;
            }

            @Override
            public void write(int b) throws IOException {
                super.write(b);
                size[0]++;
            }
        };
        try {
            body.writeTo(counter);
        } catch (IOException e) {
            throw new IllegalStateException("the null stream cannot fail", e);
        }
        return new EntryToWrite(name + ".npy", size[0], crc.getValue(), body);
    }

    /** The NPY header, then the elements as little-endian doubles or floats, copied from memory a chunk at a time. */
    private static void writeArray(ArrayView a, OutputStream out) throws IOException {
        int size = a.itemSize();
        out.write(NpyFormat.header(size == 8 ? "<f8" : "<f4", a.shape()));
        long count = a.elements();
        byte[] buf = new byte[(int) Math.min(CHUNK_BYTES, Math.max(8, (long) size * count))];
        MemorySegment chunk = MemorySegment.ofArray(buf);
        for (long from = 0; from < count; ) {
            int n = (int) Math.min(buf.length / size, count - from);
            // A bit copy (NaN payloads and -0.0 survive), swapping bytes only on a big-endian platform.
            if (size == 8) {
                MemorySegment.copy(a.data(), ValueLayout.JAVA_DOUBLE_UNALIGNED, from * 8, chunk, LITTLE_ENDIAN_DOUBLE, 0, n);
            } else {
                MemorySegment.copy(a.data(), ValueLayout.JAVA_FLOAT_UNALIGNED, from * 4, chunk, LITTLE_ENDIAN_FLOAT, 0, n);
            }
            out.write(buf, 0, n * size);
            from += n;
        }
    }

    private static void writeText(int[] codePoints, OutputStream out) throws IOException {
        out.write(NpyFormat.header("<U" + codePoints.length, new int[0]));
        ByteBuffer buf = ByteBuffer.allocate(codePoints.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asIntBuffer().put(codePoints);
        out.write(buf.array());
    }

    // ---------------------------------------------------------------------------------------- reading

    /**
     * Reads an {@code .npz} file: every {@code .npy} entry of dtype float64 or float32 (either byte order;
     * float32 is widened exactly) becomes an {@link NpyArray}, and at most one 0-d text entry (dtype
     * {@code <U}n, as numpy stores a Python {@code str}, or {@code |S}n holding UTF-8) is the JSON text,
     * which must be valid JSON. Arrays in Fortran order are transposed into row-major order. Entries may
     * be stored or deflated ({@code np.savez} or {@code np.savez_compressed}); NPY versions 1.0, 2.0 and
     * 3.0 are accepted.
     *
     * @param file the {@code .npz} file
     * @return its arrays and JSON text
     * @throws ModelFormatException if the file is not a zip archive, holds an entry that is not a
     *         float array or the one text entry, an entry is malformed or corrupt, or a limit is exceeded
     * @throws IOException if the file cannot be read (e.g. {@link java.nio.file.NoSuchFileException})
     */
    public static NpzContents read(Path file) throws IOException {
        return read(file, MAX_TOTAL_ELEMENTS);
    }

    /** {@link #read(Path)} with a different element limit, so tests can reach it with small files. */
    static NpzContents read(Path file, long maxTotalElements) throws IOException {
        try (Archive archive = open(file, maxTotalElements)) {
            Map<String, NpyArray> arrays = new LinkedHashMap<>();
            for (String name : archive.arrayNames()) {
                // Every entry's length has been checked against its header: the allocation is the real size.
                double[] data = new double[Math.toIntExact(archive.elements(name))];
                archive.readInto(name, MemorySegment.ofArray(data));
                arrays.put(name, new NpyArray(name, archive.shape(name), data));
            }
            return new NpzContents(file, arrays, archive.jsonEntryName(), archive.json(), archive.jsonValue());
        }
    }

    /**
     * Opens {@code file} and checks all of it before anything is allocated for the data: the zip
     * directory, every entry's name, NPY header and dtype, the element limit, that every array entry holds
     * exactly the bytes its shape needs and that its CRC matches, and the JSON text (read and parsed here).
     * Checking costs one pass over the data in a fixed-size buffer; {@link Archive#readInto} then decodes an
     * array straight into memory the caller provides, such as a model's off-heap parameters.
     *
     * @param file             the {@code .npz} file
     * @param maxTotalElements the most float elements all arrays together may hold
     * @return the open archive, which the caller closes
     * @throws ModelFormatException as {@link #read(Path)}
     * @throws IOException          if the file cannot be read
     */
    public static Archive open(Path file, long maxTotalElements) throws IOException {
        Files.size(file); // a missing or unreadable file is an I/O error (NoSuchFileException, …), not a format error
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException | EOFException e) {
            // EOFException: the zip directory points beyond the end of the file (found by fuzzing).
            throw new ModelFormatException(file + ": not a valid zip archive ("
                    + (e instanceof EOFException ? "its directory points beyond the end of the file" : e.getMessage())
                    + ")", e);
        }
        try {
            return new Archive(file, zip, maxTotalElements);
        } catch (IOException | RuntimeException | Error e) {
            try {
                zip.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** An open {@code .npz} file whose entries have all been checked; see {@link #open}. */
    public static final class Archive implements java.io.Closeable {
        private final Path file;
        private final ZipFile zip;
        private final Map<String, ArrayEntry> arrays = new LinkedHashMap<>();
        private final byte[] buffer = new byte[CHUNK_BYTES];
        private String jsonName;
        private String json;
        private Object jsonValue;

        private record ArrayEntry(ZipEntry entry, Preamble preamble, DType type, long elements, String where) {
        }

        private Archive(Path file, ZipFile zip, long maxTotalElements) throws IOException {
            this.file = file;
            this.zip = zip;
            Set<String> seen = new HashSet<>();
            long elementBudget = maxTotalElements;
            int count = 0;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (true) {
                ZipEntry entry;
                String name;
                try {
                    if (!entries.hasMoreElements()) {
                        break;
                    }
                    entry = entries.nextElement();
                    name = entry.getName();
                } catch (IllegalArgumentException e) { // e.g. an entry name that is not valid in its charset
                    throw new ModelFormatException(file + ": corrupt zip directory (" + e.getMessage() + ")", e);
                }
                if (++count > MAX_ENTRIES) {
                    throw new ModelFormatException(file + ": more than " + MAX_ENTRIES + " entries");
                }
                if (entry.isDirectory() || !name.endsWith(".npy")) {
                    throw new ModelFormatException(file + ": entry '" + Untrusted.printable(name)
                            + "' is not a .npy array; a model file holds only .npy entries");
                }
                String key = name.substring(0, name.length() - ".npy".length());
                if (!NpyArray.isValidName(key)) {
                    throw new ModelFormatException(file + ": entry name '" + Untrusted.printable(name) + "' is not a plain"
                            + " array name (1 to " + NpyArray.MAX_NAME_LENGTH + " characters from [A-Za-z0-9_.-])");
                }
                if (!seen.add(key)) {
                    throw new ModelFormatException(file + ": duplicate entry '" + name + "'");
                }
                String where = file + ": " + name;
                try (InputStream raw = zip.getInputStream(entry)) {
                    CheckedInputStream in = new CheckedInputStream(raw, new CRC32());
                    Preamble pre = readPreamble(in, where);
                    DType type = DType.parse(pre.header().descr(), where);
                    if (type.text()) {
                        if (jsonName != null) {
                            throw new ModelFormatException(file + ": two text entries, '" + jsonName + ".npy' and '"
                                    + name + "'; a model file holds one JSON entry");
                        }
                        String text = readText(in, pre.header(), type, where);
                        checkCrc(in, entry, where);
                        try {
                            jsonValue = Json.parse(text, where);
                        } catch (Json.SyntaxException e) {
                            throw new ModelFormatException(e.getMessage(), e);
                        }
                        jsonName = key;
                        json = text;
                    } else {
                        long elements = elementCount(pre.header(), elementBudget, maxTotalElements, where);
                        // The payload is counted, not kept: nothing is allocated for what a header claims.
                        long expectedBytes = elements * type.itemSize();
                        long got = countRemaining(in, expectedBytes, buffer);
                        if (got < expectedBytes) {
                            throw lengthMismatch(where, pre.header(), type, expectedBytes, String.valueOf(got));
                        }
                        checkNothingMore(in, where, pre.header(), type, expectedBytes);
                        checkCrc(in, entry, where);
                        elementBudget -= elements;
                        arrays.put(key, new ArrayEntry(entry, pre, type, elements, where));
                    }
                } catch (ZipException | EOFException e) { // the zip layer found the entry's bytes corrupt
                    throw new ModelFormatException(where + ": corrupt zip entry (" + e.getMessage() + ")", e);
                }
            }
        }

        /** {@return the file} */
        public Path file() {
            return file;
        }

        /** {@return the names of the array entries (without {@code .npy}), in the order of the zip entries} */
        public List<String> arrayNames() {
            return List.copyOf(arrays.keySet());
        }

        /** {@return the name of the text entry holding JSON, or null if there is none} */
        public String jsonEntryName() {
            return jsonName;
        }

        /** {@return the JSON text, or null if there is none} */
        public String json() {
            return json;
        }

        /** {@return the JSON text as parsed once when opening, or null if there is none} */
        public Object jsonValue() {
            return jsonValue;
        }

        /**
         * The shape of array {@code name}.
         *
         * @throws ModelFormatException naming the file and the arrays it does hold, if there is no such array
         */
        public int[] shape(String name) throws ModelFormatException {
            return intShape(entry(name).preamble().header().shape());
        }

        /** {@return the number of elements of array {@code name}} */
        public long elements(String name) throws ModelFormatException {
            return entry(name).elements();
        }

        private ArrayEntry entry(String name) throws ModelFormatException {
            ArrayEntry e = arrays.get(name);
            if (e == null) {
                throw new ModelFormatException(file + ": no array '" + name + "' (the file holds "
                        + (arrays.isEmpty() ? "no arrays" : String.join(", ", arrays.keySet())) + ")");
            }
            return e;
        }

        /** {@return the bytes per element of array {@code name} in the file: 4 for float32, 8 for float64} */
        public int itemSize(String name) throws ModelFormatException {
            return entry(name).type().itemSize();
        }

        /**
         * Decodes array {@code name} into {@code dst}: doubles in the platform's byte order, row-major
         * (a Fortran-ordered array is transposed on the way), float32 widened exactly, bit patterns kept.
         * Reads in chunks of {@value #CHUNK_BYTES} bytes: no heap in proportion to the array.
         *
         * @param name the array
         * @param dst  exactly {@link #elements} doubles of memory
         * @throws ModelFormatException if the entry no longer matches what {@link #open} checked (the file
         *                              changed meanwhile)
         * @throws IOException          if the file cannot be read
         */
        public void readInto(String name, MemorySegment dst) throws IOException {
            readInto(name, dst, Double.BYTES);
        }

        /**
         * Decodes array {@code name} into {@code dst} as doubles ({@code dstItemSize} 8, as
         * {@link #readInto(String, MemorySegment)}) or floats (4): float32 bits are kept; a float64 value is
         * rounded to the nearest float (beyond float's range it becomes infinite, which the caller's
         * finiteness check reports).
         *
         * @param name        the array
         * @param dst         exactly {@link #elements} elements of memory
         * @param dstItemSize 8 for doubles, 4 for floats
         * @throws ModelFormatException if the entry no longer matches what {@link #open} checked
         * @throws IOException          if the file cannot be read
         */
        public void readInto(String name, MemorySegment dst, int dstItemSize) throws IOException {
            if (dstItemSize != 4 && dstItemSize != 8) {
                throw new IllegalArgumentException("item size must be 4 or 8, got " + dstItemSize);
            }
            ArrayEntry e = entry(name);
            if (dst.byteSize() != e.elements() * dstItemSize) {
                throw new IllegalArgumentException(name + " has " + e.elements() + " elements but the memory holds "
                        + dst.byteSize() + " bytes");
            }
            NpyFormat.Header header = e.preamble().header();
            try (InputStream raw = zip.getInputStream(e.entry())) {
                CheckedInputStream in = new CheckedInputStream(raw, new CRC32());
                Preamble again = readPreamble(in, e.where());
                if (again.length() != e.preamble().length() || !again.header().descr().equals(header.descr())
                        || again.header().fortranOrder() != header.fortranOrder()
                        || !Arrays.equals(again.header().shape(), header.shape())) {
                    throw new ModelFormatException(e.where() + ": the file changed while it was being read");
                }
                decode(in, e, dst, dstItemSize);
                checkNothingMore(in, e.where(), header, e.type(), e.elements() * e.type().itemSize());
                checkCrc(in, e.entry(), e.where());
            } catch (ZipException | EOFException ex) {
                throw new ModelFormatException(e.where() + ": corrupt zip entry (" + ex.getMessage() + ")", ex);
            }
        }

        private void decode(InputStream in, ArrayEntry e, MemorySegment dst, int dstItemSize) throws IOException {
            DType type = e.type();
            int itemSize = type.itemSize();
            ValueLayout element = itemSize == 8
                    ? ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(type.order())
                    : ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(type.order());
            long[] shape = e.preamble().header().shape();
            boolean transpose = e.preamble().header().fortranOrder() && shape.length == 2;
            long rows = transpose ? shape[0] : 0;
            long cols = transpose ? shape[1] : 0;
            MemorySegment chunk = MemorySegment.ofArray(buffer);
            long elements = e.elements();
            for (long done = 0; done < elements; ) {
                int n = (int) Math.min(buffer.length / itemSize, elements - done);
                int want = n * itemSize;
                if (in.readNBytes(buffer, 0, want) < want) {
                    throw new ModelFormatException(e.where() + ": the file changed while it was being read");
                }
                if (!transpose && itemSize == dstItemSize) {
                    // A bit copy: NaN payloads and -0.0 survive; bytes are swapped where the orders differ.
                    if (itemSize == 8) {
                        MemorySegment.copy(chunk, element, 0, dst, ValueLayout.JAVA_DOUBLE, done * 8, n);
                    } else {
                        MemorySegment.copy(chunk, element, 0, dst, ValueLayout.JAVA_FLOAT, done * 4, n);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        double v = itemSize == 8 ? chunk.get((ValueLayout.OfDouble) element, (long) i * 8)
                                : chunk.get((ValueLayout.OfFloat) element, (long) i * 4); // float to double is exact
                        long k = done + i;
                        // Column-major in the file: element k is (k mod rows, k div rows).
                        long index = transpose ? (k % rows) * cols + k / rows : k;
                        if (dstItemSize == 8) {
                            dst.setAtIndex(ValueLayout.JAVA_DOUBLE, index, v);
                        } else {
                            dst.setAtIndex(ValueLayout.JAVA_FLOAT, index, (float) v); // rounded to nearest
                        }
                    }
                }
                done += n;
            }
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    private record Preamble(NpyFormat.Header header, int length) {
    }

    private static Preamble readPreamble(InputStream in, String where) throws IOException {
        byte[] start = in.readNBytes(8);
        int magicSeen = Math.min(start.length, NpyFormat.MAGIC.length);
        if (!Arrays.equals(start, 0, magicSeen, NpyFormat.MAGIC, 0, magicSeen)) {
            throw new ModelFormatException(where + ": not an NPY array: it starts with bytes "
                    + hex(start, magicSeen) + " instead of the magic \\x93NUMPY");
        }
        if (start.length < 8) {
            throw new ModelFormatException(where + ": truncated NPY header: the entry holds only "
                    + start.length + " bytes");
        }
        int major = start[6] & 0xFF;
        int minor = start[7] & 0xFF;
        if ((major != 1 && major != 2 && major != 3) || minor != 0) {
            throw new ModelFormatException(where + ": unsupported NPY format version " + major + "." + minor
                    + " (1.0, 2.0 and 3.0 are supported)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lengthField = in.readNBytes(lengthBytes);
        if (lengthField.length < lengthBytes) {
            throw new ModelFormatException(where + ": truncated NPY header: the entry ends inside the"
                    + " header length field");
        }
        long headerLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) { // little-endian unsigned
            headerLength = headerLength << 8 | (lengthField[i] & 0xFF);
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new ModelFormatException(where + ": NPY header length " + headerLength
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new ModelFormatException(where + ": truncated NPY header: it declares " + headerLength
                    + " bytes but the entry ends after " + headerBytes.length + " of them");
        }
        String headerText;
        if (major == 3) { // version 3.0 exists only to allow UTF-8 in the header
            try {
                headerText = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(headerBytes)).toString();
            } catch (CharacterCodingException e) {
                throw new ModelFormatException(where + ": NPY 3.0 header is not valid UTF-8", e);
            }
        } else {
            headerText = new String(headerBytes, StandardCharsets.ISO_8859_1);
        }
        NpyFormat.Header header;
        try {
            header = NpyFormat.parseHeader(headerText);
        } catch (NpyFormat.BadHeader e) {
            // The message may quote a character of the header, which is untrusted bytes.
            throw new ModelFormatException(where + ": " + Untrusted.printable(e.getMessage(), 400), e);
        }
        return new Preamble(header, 8 + lengthBytes + (int) headerLength);
    }

    /** The dtypes a model file may hold. */
    private record DType(String descr, char kind, ByteOrder order, int itemSize, int textLength) {
        boolean text() {
            return kind == 'U' || kind == 'S';
        }

        static DType parse(String descr, String where) throws ModelFormatException {
            switch (descr) {
                case "<f8":
                    return new DType(descr, 'f', ByteOrder.LITTLE_ENDIAN, 8, 0);
                case ">f8":
                    return new DType(descr, 'f', ByteOrder.BIG_ENDIAN, 8, 0);
                case "<f4":
                    return new DType(descr, 'f', ByteOrder.LITTLE_ENDIAN, 4, 0);
                case ">f4":
                    return new DType(descr, 'f', ByteOrder.BIG_ENDIAN, 4, 0);
                default:
                    break;
            }
            // Strings: '<U17' is 17 UTF-32 code units, '|S17' is 17 bytes; the count is part of the dtype.
            if (descr.matches("[<>]U[0-9]{1,9}")) {
                return new DType(descr, 'U', descr.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN,
                        4, Integer.parseInt(descr.substring(2)));
            }
            if (descr.matches("\\|S[0-9]{1,9}")) {
                return new DType(descr, 'S', ByteOrder.LITTLE_ENDIAN, 1, Integer.parseInt(descr.substring(2)));
            }
            throw new ModelFormatException(where + ": unsupported dtype '" + Untrusted.printable(descr) + "': arrays must be"
                    + " float64 ('<f8', '>f8') or float32 ('<f4', '>f4'), and the JSON entry a 0-d unicode"
                    + " ('<U…') or bytes ('|S…') array");
        }
    }

    private static long elementCount(NpyFormat.Header header, long budget, long limit, String where)
            throws ModelFormatException {
        long[] shape = header.shape();
        String shapeText = NpyArray.shapeString(shape);
        if (shape.length > NpyArray.MAX_DIMENSIONS) {
            throw new ModelFormatException(where + ": shape " + shapeText + " has " + shape.length
                    + " dimensions; at most " + NpyArray.MAX_DIMENSIONS + " are supported");
        }
        long elements = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new ModelFormatException(where + ": negative dimension in shape " + shapeText);
            }
            if (dim > Integer.MAX_VALUE) {
                throw new ModelFormatException(where + ": dimension " + dim + " in shape " + shapeText
                        + " exceeds " + Integer.MAX_VALUE);
            }
            elements *= dim; // at most two dimensions below 2^31: no overflow
        }
        if (elements > budget) {
            throw new ModelFormatException(where + ": shape " + shapeText + " has " + elements + " elements, more"
                    + " than the " + (budget == limit ? "" : budget + " left of the ") + "limit of "
                    + limit + " elements per file");
        }
        return elements;
    }

    private static int[] intShape(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (int) shape[i]; // checked by elementCount
        }
        return s;
    }

    private static String readText(InputStream in, NpyFormat.Header header, DType type, String where)
            throws IOException {
        if (header.shape().length != 0) {
            throw new ModelFormatException(where + ": a text entry must be a 0-d array, as np.array(json_text)"
                    + " makes, but its shape is " + NpyArray.shapeString(header.shape()));
        }
        long expectedBytes = (long) type.textLength() * type.itemSize();
        if (expectedBytes > MAX_TEXT_BYTES) {
            throw new ModelFormatException(where + ": dtype '" + type.descr() + "' needs " + expectedBytes
                    + " bytes, more than the limit of " + MAX_TEXT_BYTES + " for a text entry");
        }
        byte[] payload = in.readNBytes((int) expectedBytes); // grows with the data read, not with the claim
        if (payload.length < expectedBytes) {
            throw lengthMismatch(where, header, type, expectedBytes, String.valueOf(payload.length));
        }
        checkNothingMore(in, where, header, type, expectedBytes);
        if (type.kind() == 'S') {
            int end = payload.length;
            while (end > 0 && payload[end - 1] == 0) { // numpy pads bytes strings with NULs
                end--;
            }
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(payload, 0, end)).toString();
            } catch (CharacterCodingException e) {
                throw new ModelFormatException(where + ": the text is not valid UTF-8", e);
            }
        }
        int[] codePoints = new int[type.textLength()];
        ByteBuffer.wrap(payload).order(type.order()).asIntBuffer().get(codePoints);
        int end = codePoints.length;
        while (end > 0 && codePoints[end - 1] == 0) { // numpy pads unicode strings with NULs
            end--;
        }
        StringBuilder sb = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            int cp = codePoints[i];
            if (cp < 0 || cp > Character.MAX_CODE_POINT || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
                throw new ModelFormatException(where + ": the text holds " + String.format("0x%08x", cp)
                        + " at index " + i + ", which is not a Unicode scalar value");
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static void checkNothingMore(InputStream in, String where, NpyFormat.Header header, DType type,
                                         long expectedBytes) throws IOException {
        long extra = countRemaining(in, EXTRA_COUNT_LIMIT, new byte[8192]);
        if (extra > 0) {
            throw lengthMismatch(where, header, type, expectedBytes, extra >= EXTRA_COUNT_LIMIT
                    ? "more than " + (expectedBytes + EXTRA_COUNT_LIMIT) : String.valueOf(expectedBytes + extra));
        }
    }

    /** Reads and counts what is left of {@code in}, up to {@code limit} bytes (a zip bomb may hold gigabytes). */
    private static long countRemaining(InputStream in, long limit, byte[] buf) throws IOException {
        long total = 0;
        while (total < limit) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    private static ModelFormatException lengthMismatch(String where, NpyFormat.Header header, DType type,
                                                       long expectedBytes, String actualBytes) {
        return new ModelFormatException(where + ": shape " + NpyArray.shapeString(header.shape()) + " of "
                + type.descr() + " needs " + expectedBytes + " data bytes but the entry holds " + actualBytes);
    }

    /** The zip layer of {@link ZipFile} does not check CRCs, so corruption would otherwise go unnoticed. */
    private static void checkCrc(CheckedInputStream in, ZipEntry entry, String where) throws ModelFormatException {
        long expected = entry.getCrc();
        long actual = in.getChecksum().getValue();
        if (expected != -1 && expected != actual) {
            throw new ModelFormatException(where + ": CRC mismatch (the data gives " + String.format("%08x", actual)
                    + ", the zip directory says " + String.format("%08x", expected) + "): the entry is corrupt");
        }
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xFF));
        }
        return sb.toString();
    }
}
