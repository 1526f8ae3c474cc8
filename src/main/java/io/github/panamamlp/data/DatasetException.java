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

    private final transient Path file;
    private final String problem;

    /** {@code file} is the file at fault; {@code problem} says what is wrong with it. */
    public DatasetException(Path file, String problem) {
        this(file, problem, null);
    }

    /** As {@link #DatasetException(Path, String)}, keeping the low-level cause. */
    public DatasetException(Path file, String problem, Throwable cause) {
        super(oneLine(file + ": " + problem), cause);
        this.file = file;
        this.problem = oneLine(problem);
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }

    // Messages from lower layers (e.g. a ZipException) may hold line breaks; the contract is one line.
    private static String oneLine(String s) {
        return s.replaceAll("\\R+", " ").strip();
    }
}
