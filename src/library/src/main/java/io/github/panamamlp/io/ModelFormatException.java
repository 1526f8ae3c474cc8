package io.github.panamamlp.io;

import java.io.IOException;

/**
 * A model file, or the JSON inside it, is malformed. The message names the file (and the entry inside
 * it, when there is one) and says what is wrong, e.g.
 * {@code model.npz: W2.npy: shape (50, 10) of <f8 needs 4000 data bytes but the entry holds 3992}.
 *
 * <p>It is an {@link IOException} because it is thrown by reading files: callers that already handle
 * I/O failures handle it too, and the compiler makes sure they do.
 */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * A format error.
     *
     * @param message what is wrong, starting with the file name
     */
    public ModelFormatException(String message) {
        super(message);
    }

    /**
     * A format error found while handling {@code cause}.
     *
     * @param message what is wrong, starting with the file name
     * @param cause   the low-level exception
     */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
