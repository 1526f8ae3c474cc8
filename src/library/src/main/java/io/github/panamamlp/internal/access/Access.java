package io.github.panamamlp.internal.access;

import java.util.Objects;
import java.util.function.Function;

/**
 * The one way from a model to its {@link ModelAccess}, for the library's own packages. The model's class
 * registers the lookup when it is initialized (it cannot be named here: this package sits below it, so
 * that it may be used by the packages above both).
 */
public final class Access {
    private static volatile Function<Object, ModelAccess> models;

    private Access() {
    }

    /**
     * Registers how a model gives its access; called once, by the model's class.
     *
     * @param lookup from a model to its access
     * @throws IllegalStateException if a lookup is already registered
     */
    public static synchronized void registerModels(Function<Object, ModelAccess> lookup) {
        if (models != null) {
            throw new IllegalStateException("model access is already registered");
        }
        models = Objects.requireNonNull(lookup);
    }

    /**
     * The access to {@code model}.
     *
     * @param model a model (its class is initialized: an instance exists)
     * @return its access
     */
    public static ModelAccess model(Object model) {
        return models.apply(model);
    }
}
