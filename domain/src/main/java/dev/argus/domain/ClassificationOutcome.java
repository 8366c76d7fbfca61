package dev.argus.domain;

import java.util.Objects;

/**
 * The outcome for one image of a batch: a result, or the reason this image (and only this one) failed. A bad file in
 * a batch of good ones is an expected outcome, not an exception.
 */
public sealed interface ClassificationOutcome permits ClassificationOutcome.Success, ClassificationOutcome.Failure {

    record Success(ClassificationResult result) implements ClassificationOutcome {
        public Success {
            Objects.requireNonNull(result, "result");
        }
    }

    /** @param field the part of the request the failure is about, or null */
    record Failure(ErrorCode code, String message, InputField field) implements ClassificationOutcome {
        public Failure {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        public Failure(ErrorCode code, String message) {
            this(code, message, null);
        }

        public static Failure of(ArgusException e) {
            return new Failure(e.code(), e.getMessage(), e.field().orElse(null));
        }

        /** Rethrows this failure as the exception it stands for. */
        public ArgusException toException() {
            return new ArgusException(code, message, field, null);
        }
    }

    /** The result, or the failure thrown as an {@link ArgusException}. */
    default ClassificationResult orThrow() {
        if (this instanceof Success s) {
            return s.result();
        }
        throw ((Failure) this).toException();
    }
}
