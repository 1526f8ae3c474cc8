package io.github.panamamlp.io;

import io.github.panamamlp.internal.AtomicFile;
import io.github.panamamlp.internal.Json;
import io.github.panamamlp.internal.Untrusted;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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
 * much memory is allocated: memory grows only with data actually read, and the limits below hold.
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
    /** Elements allocated up front when the file gives no evidence of the real size (deflated entries). */
    private static final int INITIAL_ELEMENTS = 1 << 16;
    private static final int CHUNK_BYTES = 1 << 16;
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

    private static List<EntryToWrite> prepareEntries(List<NpyArray> arrays, String jsonEntryName, String json) {
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
        for (NpyArray a : arrays) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("two entries are named '" + a.name() + "'");
            }
            total += a.data().length;
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

    private static void writeArray(NpyArray a, OutputStream out) throws IOException {
        int[] shape = a.shape();
        out.write(NpyFormat.header("<f8", shape));
        double[] data = a.data();
        byte[] buf = new byte[(int) Math.min(CHUNK_BYTES, Math.max(8, 8L * data.length))];
        DoubleBuffer view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        for (int from = 0; from < data.length; ) {
            int n = Math.min(buf.length / 8, data.length - from);
            view.put(0, data, from, n); // a bit copy: NaN payloads and -0.0 survive
            out.write(buf, 0, n * 8);
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
        long fileSize = Files.size(file);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException | EOFException e) {
            // EOFException: the zip directory points beyond the end of the file (found by fuzzing).
            throw new ModelFormatException(file + ": not a valid zip archive ("
                    + (e instanceof EOFException ? "its directory points beyond the end of the file" : e.getMessage())
                    + ")", e);
        }
        try (zip) {
            return readEntries(file, zip, fileSize, maxTotalElements);
        }
    }

    private static NpzContents readEntries(Path file, ZipFile zip, long fileSize, long maxTotalElements)
            throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        String jsonName = null;
        String json = null;
        Object jsonValue = null;
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
                    // Evidence of the real size: a stored entry's bytes lie within the file.
                    long sizeHint = entry.getMethod() == ZipEntry.STORED && entry.getCompressedSize() >= 0
                            ? Math.min(entry.getCompressedSize(), fileSize) - pre.length() : 0;
                    double[] data = readNumbers(in, pre.header(), type, elements, sizeHint, where);
                    checkCrc(in, entry, where);
                    elementBudget -= elements;
                    arrays.put(key, new NpyArray(key, intShape(pre.header().shape()), data));
                }
            } catch (ZipException | EOFException e) { // the zip layer found the entry's bytes corrupt
                throw new ModelFormatException(where + ": corrupt zip entry (" + e.getMessage() + ")", e);
            }
        }
        return new NpzContents(file, arrays, jsonName, json, jsonValue);
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

    /**
     * Reads exactly {@code elements} values and checks that the entry ends there. The array starts at
     * the size the file proves possible and grows only as data actually arrives, so a header claiming a
     * huge shape over a tiny payload costs no memory.
     */
    private static double[] readNumbers(InputStream in, NpyFormat.Header header, DType type, long elements,
                                        long sizeHint, String where) throws IOException {
        int itemSize = type.itemSize();
        long expectedBytes = elements * itemSize;
        int capacity = (int) Math.min(elements, Math.max(INITIAL_ELEMENTS, sizeHint / itemSize));
        double[] data = new double[capacity];
        byte[] buf = new byte[(int) Math.min(CHUNK_BYTES, Math.max(itemSize, expectedBytes))];
        DoubleBuffer doubles = ByteBuffer.wrap(buf).order(type.order()).asDoubleBuffer();
        FloatBuffer floats = ByteBuffer.wrap(buf).order(type.order()).asFloatBuffer();
        int filled = 0;
        while (filled < elements) {
            int want = (int) Math.min(buf.length / itemSize, elements - filled) * itemSize;
            int got = in.readNBytes(buf, 0, want);
            int n = got / itemSize;
            if (filled + n > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(elements, Math.max(filled + n, 2L * data.length)));
            }
            if (itemSize == 8) {
                doubles.get(0, data, filled, n); // a bit copy: NaN payloads and -0.0 survive
            } else {
                for (int i = 0; i < n; i++) {
                    data[filled + i] = floats.get(i); // float to double is exact
                }
            }
            filled += n;
            if (got < want) {
                throw lengthMismatch(where, header, type, expectedBytes,
                        String.valueOf((long) filled * itemSize + got % itemSize));
            }
        }
        checkNothingMore(in, where, header, type, expectedBytes);
        if (header.fortranOrder() && header.shape().length == 2) {
            data = fortranToC(data, (int) header.shape()[0], (int) header.shape()[1]);
        }
        return data;
    }

    /** Column-major to row-major: element (i, j) is at {@code j·rows + i} in the file. */
    private static double[] fortranToC(double[] columnMajor, int rows, int cols) {
        double[] rowMajor = new double[columnMajor.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                rowMajor[i * cols + j] = columnMajor[j * rows + i];
            }
        }
        return rowMajor;
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
        long extra = countRemaining(in, EXTRA_COUNT_LIMIT);
        if (extra > 0) {
            throw lengthMismatch(where, header, type, expectedBytes, extra >= EXTRA_COUNT_LIMIT
                    ? "more than " + (expectedBytes + EXTRA_COUNT_LIMIT) : String.valueOf(expectedBytes + extra));
        }
    }

    /** Reads and counts what is left of {@code in}, up to {@code limit} bytes (a zip bomb may hold gigabytes). */
    private static long countRemaining(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[8192];
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
