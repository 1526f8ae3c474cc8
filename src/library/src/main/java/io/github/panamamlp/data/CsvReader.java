package io.github.panamamlp.data;

import io.github.panamamlp.internal.Untrusted;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the records of an RFC 4180 CSV file, one at a time, as lists of strings.
 *
 * <p>Fields are separated by commas; records end with CRLF, LF or a lone CR. A field that starts with a
 * double quote is quoted: it may hold commas, line breaks and doubled quotes ({@code ""} is one {@code "}),
 * and after its closing quote only a comma or the end of the record may follow. A quote inside an unquoted
 * field is kept as it is (as Python's {@code csv} module and spreadsheets do). Blank lines are skipped, and
 * so is a UTF-8 byte order mark at the start. The file must be UTF-8.
 *
 * <p>Every problem is a {@link DatasetException} naming the file and the line. Memory grows with the input
 * only: nothing in the file decides an allocation.
 */
final class CsvReader implements AutoCloseable {
    /** What a record handler gets: the fields and the line (1-based) on which the record starts. */
    @FunctionalInterface
    interface RecordHandler {
        /**
         * One record.
         *
         * @param fields the fields, in order
         * @param line   the line the record starts on, counted from 1
         * @return false to stop reading
         */
        boolean record(List<String> fields, long line);
    }

    private final Path file;
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
    private final char[] buffer = new char[8192];
    private boolean eof;
    private boolean malformed;
    /** Every byte has been decoded. */
    private boolean decoded;
    private int pos;
    private int limit;
    private long line = 1;
    private boolean started;

    private CsvReader(Path file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    /**
     * Opens {@code file} for reading.
     *
     * @throws DatasetException if the file is missing or cannot be opened
     */
    static CsvReader open(Path file) {
        try {
            return new CsvReader(file, Files.newInputStream(file));
        } catch (NoSuchFileException e) {
            throw new DatasetException(file, "no such file", e);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot be opened: " + e.getMessage(), e);
        }
    }

    /**
     * Reads records until the end of the file or until {@code handler} returns false.
     *
     * @throws DatasetException if the file is not valid CSV or cannot be read
     */
    void read(RecordHandler handler) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        try {
            while (true) {
                long recordLine = line;
                fields.clear();
                boolean more = readRecord(fields, field);
                if (!fields.isEmpty() && !handler.record(List.copyOf(fields), recordLine)) {
                    return;
                }
                if (!more) {
                    return;
                }
            }
        } catch (CharacterCodingException e) {
            throw new DatasetException(file, "line " + line + ": not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one record into {@code fields} (left empty for a blank line).
     *
     * @return false once the end of the file is reached
     */
    private boolean readRecord(List<String> fields, StringBuilder field) throws IOException {
        field.setLength(0);
        int c = next();
        if (c == -1) {
            return false;
        }
        if (c == '\r' || c == '\n') {
            countLineBreak(c);
            return true; // a blank line: no record
        }
        while (true) {
            // At the start of a field, with its first character in c.
            if (c == '"') {
                long opened = line;
                while (true) {
                    c = next();
                    if (c == -1) {
                        throw new DatasetException(file, "line " + opened + ": a quoted field is never closed (field "
                                + (fields.size() + 1) + ")");
                    }
                    if (c == '"') {
                        c = next();
                        if (c != '"') {
                            break; // the closing quote; c is what follows it
                        }
                    } else if (c == '\n' || (c == '\r' && peek() != '\n')) {
                        line++; // a line break inside the field is part of its text (a CRLF counts at its LF)
                    }
                    field.append((char) c);
                }
                if (c != ',' && c != '\r' && c != '\n' && c != -1) {
                    throw new DatasetException(file, "line " + line + ": " + Untrusted.character(c)
                            + " after the closing quote of field " + (fields.size() + 1) + " (expected a comma or the end of the line)");
                }
            } else {
                while (c != ',' && c != '\r' && c != '\n' && c != -1) {
                    field.append((char) c);
                    c = next();
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (c == ',') {
                c = next();
                if (c == -1) {
                    fields.add("");
                    return false;
                }
                continue;
            }
            if (c == -1) {
                return false;
            }
            countLineBreak(c);
            return true;
        }
    }

    /** Counts a line break that ends a record; a CR followed by LF counts once (the LF is consumed with it). */
    private void countLineBreak(int c) throws IOException {
        line++;
        if (c == '\r' && peek() == '\n') {
            pos++;
        }
    }

    private int next() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buffer[pos++];
    }

    private int peek() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buffer[pos];
    }

    /**
     * Decodes the next chunk of the file into {@link #buffer}. Decoding is done here rather than by an
     * {@code InputStreamReader}, so that a byte that is not UTF-8 is reported on its own line: the characters
     * before it are handed out first, and the error comes when they are used up.
     */
    private boolean fill() throws IOException {
        while (true) {
            if (malformed) {
                throw new CharacterCodingException();
            }
            if (decoded) {
                return false;
            }
            CharBuffer chars = CharBuffer.wrap(buffer);
            CoderResult r = decoder.decode(bytes, chars, eof);
            if (r.isError()) {
                malformed = true;
            } else if (r.isUnderflow() && eof) {
                decoder.flush(chars);
                decoded = true;
            }
            if (chars.position() > 0) {
                pos = 0;
                limit = chars.position();
                if (!started) {
                    started = true;
                    if (buffer[0] == '\uFEFF') {
                        pos = 1; // a UTF-8 byte order mark, as spreadsheets write it
                    }
                }
                if (pos < limit) {
                    return true;
                }
                continue;
            }
            if (malformed || decoded) {
                continue;
            }
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                eof = true;
            } else {
                bytes.position(bytes.position() + n);
            }
            bytes.flip();
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new DatasetException(file, "cannot be closed: " + e.getMessage(), e);
        }
    }
}
