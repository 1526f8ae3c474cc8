package io.github.panamamlp.nn;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.internal.npz.NpyFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The child JVM of {@link LargeModelFileTest}, started with a heap far smaller than the model: saves a
 * model, loads it back, and loads a numpy-style float32 big-endian Fortran-order file of the same shapes.
 * Prints one line per check, {@code roundtrip ok …} and {@code float32 ok …}; any failure throws (exit 1).
 *
 * <p>Arguments: the directory to write into, the input width, the hidden width.
 */
public final class LargeModelRoundTrip {
    private LargeModelRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int input = Integer.parseInt(args[1]);
        int hidden = Integer.parseInt(args[2]);
        long heap = Runtime.getRuntime().maxMemory();
        Path file = dir.resolve("large.npz");
        try (Model m = Model.builder(input).dense(hidden, Activation.RELU).dense(10, Activation.SOFTMAX)
                .init(Init.glorotUniform()).seed(5).build()) {
            long bytes = m.parameterCount() * Double.BYTES;
            if (bytes <= 2 * heap) {
                throw new IllegalStateException("the model (" + bytes + " bytes) must be larger than twice the heap (" + heap + ")");
            }
            m.denseLayers().get(1).bias().set(0, 3, -0.0);
            ModelFile.save(m, file);
            try (Model back = ModelFile.load(file, Blas.java())) {
                long mismatch = m.parameters().mismatch(back.parameters());
                if (mismatch != -1) {
                    throw new IllegalStateException("the loaded parameters differ at byte " + mismatch);
                }
                if (!back.layerSpecs().equals(m.layerSpecs())) {
                    throw new IllegalStateException("layers differ: " + back.layerSpecs());
                }
            }
            System.out.printf(Locale.ROOT, "roundtrip ok parameters=%d fileBytes=%d maxHeap=%d%n",
                    m.parameterCount(), Files.size(file), heap);

            Path f32 = dir.resolve("numpy-float32.npz");
            writeFloat32FortranBigEndian(m, f32);
            try (Model back = ModelFile.load(f32, Blas.java())) {
                Dense d = m.denseLayers().get(0);
                Dense e = back.denseLayers().get(0);
                for (int[] rc : new int[][]{{0, 0}, {input - 1, hidden - 1}, {input / 2, hidden / 3}, {1, 0}, {0, 1}}) {
                    float expected = (float) d.weights().get(rc[0], rc[1]);
                    if (e.weights().get(rc[0], rc[1]) != expected) {
                        throw new IllegalStateException("W1" + java.util.Arrays.toString(rc) + " is " + e.weights().get(rc[0], rc[1])
                                + ", expected " + expected);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "float32 ok fileBytes=%d%n", Files.size(f32));
        }
    }

    /**
     * What {@code np.savez(f, W1=W1.astype('>f4', order='F'), …)} writes, streamed from the model: W1 as
     * big-endian float32 in column-major order, the other arrays as little-endian float32.
     */
    private static void writeFloat32FortranBigEndian(Model m, Path file) throws IOException {
        String json = "{\"format\": \"panama-mlp\", \"version\": 1, \"input\": " + m.inputSize()
                + ", \"layers\": [{\"type\": \"dense\", \"units\": " + m.layerSpecs().get(0).units()
                + ", \"activation\": \"relu\"}, {\"type\": \"dense\", \"units\": 10, \"activation\": \"softmax\"}]}";
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            int[] cps = json.codePoints().toArray();
            byte[] text = new byte[cps.length * 4];
            java.nio.ByteBuffer.wrap(text).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(cps);
            stored(zip, "model_json.npy", NpyFormat.header("<U" + cps.length, new int[0]), out -> out.write(text));
            for (int i = 0; i < m.denseLayers().size(); i++) {
                Dense d = m.denseLayers().get(i);
                int rows = d.inputSize();
                int cols = d.outputSize();
                boolean fortran = i == 0;
                String descr = fortran ? ">f4" : "<f4";
                ByteOrder order = fortran ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                byte[] header = fortranHeader(descr, fortran, "(" + rows + ", " + cols + ")");
                MemorySegment w = d.weights().segment();
                stored(zip, "W" + (i + 1) + ".npy", header, out -> {
                    byte[] buf = new byte[1 << 16];
                    MemorySegment chunk = MemorySegment.ofArray(buf);
                    ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order);
                    long n = (long) rows * cols;
                    int at = 0;
                    for (long k = 0; k < n; k++) {
                        long r = fortran ? k % rows : k / cols;
                        long c = fortran ? k / rows : k % cols;
                        chunk.set(f, at, (float) w.getAtIndex(ValueLayout.JAVA_DOUBLE, r * cols + c));
                        at += 4;
                        if (at == buf.length || k == n - 1) {
                            out.write(buf, 0, at);
                            at = 0;
                        }
                    }
                });
                MemorySegment b = d.bias().segment();
                stored(zip, "b" + (i + 1) + ".npy", fortranHeader("<f4", false, "(" + cols + ",)"), out -> {
                    for (int k = 0; k < cols; k++) {
                        int bits = Float.floatToRawIntBits((float) b.getAtIndex(ValueLayout.JAVA_DOUBLE, k));
                        out.write(new byte[]{(byte) bits, (byte) (bits >>> 8), (byte) (bits >>> 16), (byte) (bits >>> 24)});
                    }
                });
            }
        }
    }

    private static byte[] fortranHeader(String descr, boolean fortran, String shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String padded = dict + " ".repeat(padding) + "\n";
        byte[] out = new byte[10 + padded.length()];
        System.arraycopy(NpyFormat.MAGIC, 0, out, 0, 6);
        out[6] = 1;
        out[8] = (byte) padded.length();
        out[9] = (byte) (padded.length() >>> 8);
        System.arraycopy(padded.getBytes(StandardCharsets.ISO_8859_1), 0, out, 10, padded.length());
        return out;
    }

    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A stored entry: the body is written twice, once for its CRC and size, once into the zip. */
    private static void stored(ZipOutputStream zip, String name, byte[] header, Body body) throws IOException {
        CRC32 crc = new CRC32();
        long[] size = {0};
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                crc.update(b);
                size[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                crc.update(b, off, len);
                size[0] += len;
            }
        };
        counter.write(header);
        body.writeTo(counter);
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(size[0]);
        e.setCompressedSize(size[0]);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(header);
        body.writeTo(zip);
        zip.closeEntry();
    }
}
