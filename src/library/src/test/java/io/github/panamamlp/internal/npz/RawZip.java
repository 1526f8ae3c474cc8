package io.github.panamamlp.internal.npz;

/** Byte-level edits of a zip file's headers, to make archives the JDK's writer refuses to make. */
final class RawZip {
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;

    private RawZip() {
    }

    /**
     * A copy of {@code zip} (one entry) whose local and central headers both claim {@code claimed} as the
     * entry's compressed and uncompressed size, while the data stay as they are.
     */
    static byte[] withClaimedSize(byte[] zip, long claimed) {
        byte[] out = zip.clone();
        int local = find(out, LOCAL_HEADER);
        putInt(out, local + 18, claimed);
        putInt(out, local + 22, claimed);
        int central = find(out, CENTRAL_HEADER);
        putInt(out, central + 20, claimed);
        putInt(out, central + 24, claimed);
        return out;
    }

    private static int find(byte[] bytes, int signature) {
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (getInt(bytes, i) == signature) {
                return i;
            }
        }
        throw new AssertionError("signature " + Integer.toHexString(signature) + " not found");
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static void putInt(byte[] b, int at, long value) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
