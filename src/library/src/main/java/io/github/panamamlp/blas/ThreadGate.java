package io.github.panamamlp.blas;

import java.util.function.IntConsumer;

/**
 * Lets every product run with exactly the OpenBLAS thread count chosen for it, although OpenBLAS 0.3.21
 * keeps one count for the whole process ({@code openblas_set_num_threads}).
 *
 * <p>Callers that want the count OpenBLAS has now run at once and concurrently. A caller that wants another
 * count waits until the calls in flight have returned, sets it, and runs; meanwhile new callers for the old
 * count wait too, so neither side can starve the other. The count is therefore never changed under a
 * running call, and a product's result depends only on its own count, never on what other threads do
 * (which {@code ConcurrentPredictTest} checks bit for bit).
 *
 * <p>The uncontended path is one monitor entry and exit before and after the call. Not reentrant: a call
 * must not enter twice before it exits.
 */
final class ThreadGate {
    private final IntConsumer setter;
    /** The count OpenBLAS has now, as this gate set it (0: not set yet). */
    private int current;
    /** Calls running under {@link #current}. */
    private int active;
    /** A count some caller waits for (0: none): callers for any other count wait behind it. */
    private int requested;

    /** @param setter sets OpenBLAS's process-wide count; called only while no call runs */
    ThreadGate(IntConsumer setter) {
        this.setter = setter;
    }

    /** Waits until OpenBLAS runs {@code threads} threads and no call runs with another count; the caller then calls OpenBLAS and {@link #exit()}. */
    synchronized void enter(int threads) {
        if (current == threads && requested == 0) {
            active++;
            return;
        }
        boolean interrupted = false;
        while (true) {
            if (requested == 0 || requested == threads) {
                if (current == threads) {
                    if (requested == threads) {
                        requested = 0;
                        notifyAll();
                    }
                    active++;
                    break;
                }
                if (active == 0) {
                    setter.accept(threads);
                    current = threads;
                    requested = 0;
                    active++;
                    notifyAll();
                    break;
                }
                requested = threads;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                // A GEMM is not interruptible: wait on, and leave the interrupt for the caller to see.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** After the call that {@link #enter} admitted. */
    synchronized void exit() {
        if (--active == 0) {
            notifyAll();
        }
    }

    /** {@return the count this gate last set, 0 if none} */
    synchronized int current() {
        return current;
    }
}
