package io.github.panamamlp.data;

import java.nio.file.Path;

/**
 * A data file (IDX dataset file, or an image given to {@code predict}) is missing, unreadable or malformed.
 *
 * <p>Everything that goes wrong while loading data ends in this one unchecked exception, I/O failures
 * included (the {@link java.io.IOException} is kept as the cause). The message is a single line of the form
 * {@code <file>: <problem>}, e.g. {@code t10k-labels-idx1-ubyte: label 12 at index 5 is outside 0–9}, so a
 * command-line tool can print it as is.
 */
public final class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The file at fault (not serialized: a {@link Path} is not serializable). */
    private final transient Path file;
    /** What is wrong with the file, without the file name. */
    private final String problem;

    /**
     * An exception about one file.
     *
     * @param file    the file at fault
     * @param problem what is wrong with it
     */
    public DatasetException(Path file, String problem) {
        this(file, problem, null);
    }

    /**
     * As {@link #DatasetException(Path, String)}, keeping the low-level cause.
     *
     * @param file    the file at fault
     * @param problem what is wrong with it
     * @param cause   the low-level exception, e.g. an {@link java.io.IOException}
     */
    public DatasetException(Path file, String problem, Throwable cause) {
        super(oneLine(file + ": " + problem), cause);
        this.file = file;
        this.problem = oneLine(problem);
    }

    /** {@return the file at fault} */
    public Path file() {
        return file;
    }

    /** {@return what is wrong, without the file name} */
    public String problem() {
        return problem;
    }

    // Messages from lower layers (e.g. a ZipException) may hold line breaks; the contract is one line.
    private static String oneLine(String s) {
        return s.replaceAll("\\R+", " ").strip();
    }
}
