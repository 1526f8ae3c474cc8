package io.github.panamamlp.internal.npz;

import io.github.panamamlp.internal.Untrusted;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The NPY header: writing version 1.0 headers and parsing the header dictionary of versions 1.0, 2.0
 * and 3.0. See https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html.
 */
public final class NpyFormat {
    /** {@code \x93NUMPY}: the first six bytes of every NPY array. */
    public static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy aligns the start of the data to this many bytes, so the data can be memory-mapped. */
    static final int ALIGNMENT = 64;

    private NpyFormat() {
    }

    /** The parsed header dictionary: {@code {'descr': ..., 'fortran_order': ..., 'shape': (...)}}. */
    record Header(String descr, boolean fortranOrder, long[] shape) {
    }

    /** A header dictionary that is not what numpy writes; the message says what is wrong. */
    static final class BadHeader extends Exception {
        private static final long serialVersionUID = 1L;

        BadHeader(String message) {
            super(message);
        }
    }

    /**
     * The complete version 1.0 preamble of an array: magic, version, header length and the header
     * dictionary padded with spaces and a final newline, so that the data starts at a multiple of
     * {@value #ALIGNMENT} bytes, as numpy writes it.
     */
    public static byte[] header(String descr, int[] shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': "
                + NpyArray.shapeString(shape) + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1; // magic, version, length, dict, '\n'
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        int headerLength = dict.length() + padding + 1;
        if (headerLength > 0xFFFF) {
            throw new IllegalStateException("NPY 1.0 header too long: " + headerLength); // ≤ 2-D: cannot happen
        }
        byte[] out = new byte[unpadded + padding];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1; // major version
        out[7] = 0; // minor version
        out[8] = (byte) headerLength; // little-endian uint16
        out[9] = (byte) (headerLength >>> 8);
        byte[] dictBytes = dict.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(dictBytes, 0, out, 10, dictBytes.length);
        for (int i = 10 + dictBytes.length; i < out.length - 1; i++) {
            out[i] = ' ';
        }
        out[out.length - 1] = '\n';
        return out;
    }

    /**
     * Parses the header dictionary, the Python literal that numpy writes with {@code repr} and reads
     * with {@code ast.literal_eval}. Only the subset numpy produces is accepted: exactly the keys
     * {@code descr} (a string), {@code fortran_order} ({@code True}/{@code False}) and {@code shape} (a
     * tuple of integers), in any order, optionally followed by spaces and newlines.
     */
    static Header parseHeader(String text) throws BadHeader {
        return new DictParser(text).parse();
    }

    /** A tokenizer-parser for the tiny Python-literal subset of the header dictionary. */
    private static final class DictParser {
        private final String text;
        private int pos;

        DictParser(String text) {
            this.text = text;
        }

        Header parse() throws BadHeader {
            String descr = null;
            Boolean fortranOrder = null;
            long[] shape = null;
            skipSpace();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                switch (key) {
                    case "descr" -> {
                        if (descr != null) {
                            throw duplicate(key);
                        }
                        if (peek() != '\'' && peek() != '"') {
                            throw new BadHeader("descr must be a string (structured dtypes are not supported)"
                                    + " in header " + abbreviated());
                        }
                        descr = string();
                    }
                    case "fortran_order" -> {
                        if (fortranOrder != null) {
                            throw duplicate(key);
                        }
                        fortranOrder = bool();
                    }
                    case "shape" -> {
                        if (shape != null) {
                            throw duplicate(key);
                        }
                        shape = tuple();
                    }
                    default -> throw new BadHeader("unexpected key '" + key + "' in header " + abbreviated());
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw unexpected("',' or '}'");
                }
            }
            while (pos < text.length()) { // numpy pads with spaces and ends with '\n'
                char c = text.charAt(pos++);
                if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\0') {
                    pos--;
                    throw unexpected("only padding after the header dictionary");
                }
            }
            if (descr == null || fortranOrder == null || shape == null) {
                String missing = descr == null ? "descr" : fortranOrder == null ? "fortran_order" : "shape";
                throw new BadHeader("header lacks the key '" + missing + "': " + abbreviated());
            }
            return new Header(descr, fortranOrder, shape);
        }

        private String string() throws BadHeader {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw unexpected("a quoted string");
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw new BadHeader("unterminated string in header " + abbreviated());
            }
            String s = text.substring(pos + 1, end);
            if (s.indexOf('\\') >= 0) { // numpy's keys and dtype strings never need escapes
                throw new BadHeader("unexpected escape in string " + s + " in header " + abbreviated());
            }
            pos = end + 1;
            return s;
        }

        private boolean bool() throws BadHeader {
            if (text.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw unexpected("True or False for fortran_order");
        }

        /** {@code ()}, {@code (n,)} or {@code (n, m, ...)} with an optional trailing comma. */
        private long[] tuple() throws BadHeader {
            expect('(');
            List<Long> dims = new ArrayList<>();
            boolean sawComma = false;
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                if (dims.size() > 32) { // numpy's own limit is 64 dimensions; we need at most 2
                    throw new BadHeader("shape has too many dimensions: " + abbreviated());
                }
                dims.add(integer());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    sawComma = true;
                } else if (peek() != ')') {
                    throw unexpected("',' or ')' in the shape");
                }
            }
            if (dims.size() == 1 && !sawComma) { // (5) is the integer 5 in Python, not a tuple
                throw new BadHeader("shape must be a tuple; (n) without a comma is not: " + abbreviated());
            }
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i);
            }
            return shape;
        }

        private long integer() throws BadHeader {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (peek() >= '0' && peek() <= '9') {
                pos++;
            }
            String digits = text.substring(start, pos);
            if (digits.isEmpty() || digits.equals("-")) {
                pos = start;
                throw unexpected("an integer in the shape");
            }
            if (peek() == 'L') { // Python 2 numpy wrote longs as 3L
                pos++;
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new BadHeader("shape dimension " + digits + " is out of range");
            }
        }

        private void expect(char c) throws BadHeader {
            if (peek() != c) {
                throw unexpected("'" + c + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\uFFFF';
        }

        private void skipSpace() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t'
                    || text.charAt(pos) == '\n' || text.charAt(pos) == '\r')) {
                pos++;
            }
        }

        private BadHeader unexpected(String expected) {
            String found = pos >= text.length() ? "the end" : String.format("'%s'", text.charAt(pos));
            return new BadHeader("expected " + expected + " at offset " + pos + " but found " + found
                    + " in header " + abbreviated());
        }

        private BadHeader duplicate(String key) {
            return new BadHeader("duplicate key '" + key + "' in header " + abbreviated());
        }

        private String abbreviated() {
            return Untrusted.printable(text.strip(), 120);
        }
    }
}
