package io.github.panamamlp.train;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An update rule for a model's flat parameter block. The optimizer itself is only configuration;
 * its state (velocities, moments, step count) lives in an {@link Updater} made for one model.
 */
public sealed interface Optimizer permits Sgd, Momentum, Adam {

    /** {@return a description such as "adam(lr=0.001, β1=0.9, β2=0.999, ε=1e-07)"} */
    String describe();

    /** {@return the learning rate} */
    double learningRate();

    /**
     * Creates the state for {@code parameterCount} parameters, allocated in {@code arena} (which owns it).
     *
     * @param arena          where the state (velocities, moments) is allocated; it frees it
     * @param parameterCount the number of parameters the updater updates
     * @return a new updater at step 0
     */
    Updater newUpdater(Arena arena, long parameterCount);

    /** Applies one update to parameters from their gradients; both blocks hold the same count of doubles. */
    interface Updater {
        /**
         * Applies one update.
         *
         * @param params the parameters, updated in place
         * @param grads  their gradients
         */
        void update(MemorySegment params, MemorySegment grads);

        /** {@return the number of updates applied so far} */
        long steps();
    }

    /**
     * Checks that a block holds exactly {@code count} doubles.
     *
     * @param what  the block's name, for the message
     * @param s     the block
     * @param count the number of doubles it must hold
     * @throws IllegalArgumentException if it holds another number
     */
    static void checkBlock(String what, MemorySegment s, long count) {
        if (s.byteSize() != count * Double.BYTES) {
            throw new IllegalArgumentException(what + " holds " + s.byteSize() / Double.BYTES + " doubles, expected " + count);
        }
    }
}
