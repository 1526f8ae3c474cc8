package io.github.panamamlp.train;

import io.github.panamamlp.tensor.DType;

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
     * Creates the state for {@code parameterCount} float64 parameters, allocated in {@code arena} (which owns it).
     *
     * @param arena          where the state (velocities, moments) is allocated; it frees it
     * @param parameterCount the number of parameters the updater updates
     * @return a new updater at step 0
     */
    default Updater newUpdater(Arena arena, long parameterCount) {
        return newUpdater(arena, parameterCount, DType.FLOAT64);
    }

    /**
     * Creates the state for {@code parameterCount} parameters of {@code dtype}, allocated in {@code arena}
     * (which owns it). The state (velocities, moments) has the parameters' type and the update is computed in
     * it, as Keras and PyTorch do: for a float32 model the update term is about 10^−3 of a parameter, so its
     * own float rounding is far below the rounding of the float32 parameter it is added to, and float
     * arithmetic runs twice the values per SIMD instruction.
     *
     * @param arena          where the state (velocities, moments) is allocated; it frees it
     * @param parameterCount the number of parameters the updater updates
     * @param dtype          the element type of the parameter and gradient blocks
     * @return a new updater at step 0
     */
    Updater newUpdater(Arena arena, long parameterCount, DType dtype);

    /** Applies one update to parameters from their gradients; both blocks hold the same count of elements of the updater's type. */
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
     * Checks that a block holds exactly {@code count} elements of {@code dtype}.
     *
     * @param what  the block's name, for the message
     * @param s     the block
     * @param count the number of elements it must hold
     * @param dtype their type
     * @throws IllegalArgumentException if it holds another number
     */
    static void checkBlock(String what, MemorySegment s, long count, DType dtype) {
        if (s.byteSize() != count * dtype.bytes()) {
            throw new IllegalArgumentException(what + " holds " + s.byteSize() + " bytes, expected " + count + " "
                    + dtype + " values (" + count * dtype.bytes() + " bytes)");
        }
    }
}
