package io.github.panamamlp.train;

import io.github.panamamlp.data.BatchSource;
import io.github.panamamlp.tensor.Matrix;

import java.util.concurrent.locks.LockSupport;

/**
 * Fills the next mini-batch on a second thread while the current one trains: two batch buffers, used in turn.
 *
 * <p>Why: copying a shuffled batch into the input matrix is 10–20% of an epoch (0.037–0.051 s of 0.18–0.43 s
 * on the 2-vCPU AMD EPYC, {@code panama-mlp bench}), and the products of small networks run on one OpenBLAS
 * thread, so a second core sits idle meanwhile. The worker only ever runs one fill at a time, in the order
 * the training loop asks for them, into a buffer the loop is not reading, so the batches (and therefore the
 * training) are exactly those of filling them on the training thread. It parks between fills; handing a
 * batch over allocates nothing. A failure while filling (a bad label, a non-finite value) is thrown by
 * {@link #await} on the training thread, for the batch it belongs to, as it would have been without the
 * worker.
 *
 * <p>Not thread-safe itself: one training thread drives it.
 */
final class BatchPrefetcher implements AutoCloseable {
    private final BatchSource source;
    private final Thread worker;
    private final Thread trainer;
    private final Matrix[] full;
    private final Matrix[] last;
    private final int[][] labels;
    private final int fullRows;

    // The request: written by the training thread before the volatile write of `requested`.
    private int[] order;
    private int from;
    private int to;
    private int slot;
    /** Sequence number of the last batch asked for; the worker fills it when it exceeds {@link #filled}. */
    private volatile long requested = -1;
    /** Sequence number of the last batch filled (or failed). */
    private volatile long filled = -1;
    private volatile Throwable failure;
    private volatile boolean stop;

    /**
     * @param source the batches' source (the library's own: see {@link Trainer})
     * @param x0     the first buffer, full-batch sized
     * @param x1     the second buffer, the same shape
     * @param lastRows rows of the epoch's last, shorter batch (or the full count)
     */
    BatchPrefetcher(BatchSource source, Matrix x0, Matrix x1, int lastRows) {
        this.source = source;
        this.fullRows = x0.rows();
        this.full = new Matrix[]{x0, x1};
        this.last = new Matrix[]{lastRows == fullRows ? x0 : x0.rowView(0, lastRows), lastRows == fullRows ? x1 : x1.rowView(0, lastRows)};
        this.labels = new int[][]{new int[fullRows], new int[fullRows]};
        this.trainer = Thread.currentThread();
        this.worker = new Thread(this::work, "panama-mlp batch prefetch");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Asks for examples order[from..to) as batch number {@code seq} (counting up from 0), into buffer seq mod 2. */
    void request(long seq, int[] order, int from, int to) {
        this.order = order;
        this.from = from;
        this.to = to;
        this.slot = (int) (seq & 1);
        requested = seq; // publishes the fields above to the worker
        LockSupport.unpark(worker);
    }

    /** Waits for batch {@code seq}, then returns its matrix (its labels: {@link #labels}); rethrows its fill's failure. */
    Matrix await(long seq) {
        while (filled < seq) {
            LockSupport.park(this);
        }
        Throwable t = failure;
        if (t != null) {
            failure = null;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("filling a batch failed", t);
        }
        int s = (int) (seq & 1);
        return to - from == fullRows ? full[s] : last[s];
    }

    /** The labels of batch {@code seq}, valid after {@link #await}. */
    int[] labels(long seq) {
        return labels[(int) (seq & 1)];
    }

    private void work() {
        while (!stop) {
            long seq = requested;
            if (seq <= filled) {
                LockSupport.park(this);
                continue;
            }
            int s = slot;
            try {
                Matrix x = to - from == fullRows ? full[s] : last[s];
                source.fillBatch(order, from, to, x, labels[s]);
            } catch (Throwable t) {
                failure = t;
            }
            filled = seq; // publishes the batch (or the failure) to the training thread
            LockSupport.unpark(trainer);
        }
    }

    /** Stops the worker and waits for it (it is between fills once the last request was awaited). */
    @Override
    public void close() {
        stop = true;
        LockSupport.unpark(worker);
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
