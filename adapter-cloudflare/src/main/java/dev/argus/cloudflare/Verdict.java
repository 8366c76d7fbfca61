package dev.argus.cloudflare;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What one HTTP attempt came to, and so what the caller does next. */
sealed interface Verdict {

    /** A result list. */
    record Answered(List<Envelope.Entry> entries) implements Verdict {
    }

    /** This image (only this one) cannot be classified: a caller error, reported as the image's outcome. */
    record ImageRefused(ErrorCode code, String message) implements Verdict {
    }

    /**
     * A transient failure worth another attempt.
     *
     * @param reason        what happened, for logs and the final message
     * @param retryAfter    what the server's Retry-After asked for, if anything
     * @param endpointFault whether it says the endpoint is failing (counts towards opening the circuit)
     * @param ifExhausted   the error code when no attempt is left
     */
    record Retryable(String reason, Optional<Duration> retryAfter, boolean endpointFault, ErrorCode ifExhausted)
            implements Verdict {
    }

    /** Retrying cannot help (bad token, wrong account or model, nonsense answer): the whole call fails. */
    record Fatal(ArgusException error) implements Verdict {
    }
}
