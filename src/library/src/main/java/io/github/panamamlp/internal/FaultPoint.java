package io.github.panamamlp.internal;

/**
 * Named points where a test can stop the process, to kill or interrupt it in a known state: the way Git
 * and SQLite test that a crash at any step leaves their files usable. When the system property
 * {@value #PROPERTY} names a point, the thread that reaches it prints
 * {@code panama-mlp: fault injection: paused at POINT} on standard error and sleeps until the process
 * ends. Unset (always, outside tests), {@link #reach} does nothing but read one property.
 *
 * <p>Points: the file name of every {@link AtomicFile} write, after its content reached the temporary
 * file and before it is forced and renamed (e.g. {@code model.npz}, {@code history.png}); and the names
 * the command line passes at the steps of publishing its outputs.
 */
public final class FaultPoint {
    /** The system property naming the point to pause at. */
    public static final String PROPERTY = "panamamlp.faultPoint";

    private FaultPoint() {
    }

    /**
     * Pauses forever if {@code point} is the one the {@value #PROPERTY} property names.
     *
     * @param point the name of this point
     */
    public static void reach(String point) {
        if (!point.equals(System.getProperty(PROPERTY))) {
            return;
        }
        System.err.println("panama-mlp: fault injection: paused at " + point);
        System.err.flush();
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // Keep the state the test asked for: only the end of the process ends the pause.
            }
        }
    }
}
