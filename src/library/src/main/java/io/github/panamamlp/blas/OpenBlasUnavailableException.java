package io.github.panamamlp.blas;

/**
 * OpenBLAS could not be loaded. The message lists every candidate tried, the operating system,
 * and the command that installs OpenBLAS there.
 */
public final class OpenBlasUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was tried and how to install OpenBLAS
     */
    public OpenBlasUnavailableException(String message) {
        super(message);
    }
}
