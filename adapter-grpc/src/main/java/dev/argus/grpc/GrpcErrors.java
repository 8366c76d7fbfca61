package dev.argus.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.InputField;
import dev.argus.grpc.v1.Error;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * The one place where Argus error codes and gRPC statuses meet, in both directions: the server turns an
 * {@link ArgusException} into a status (with {@code google.rpc.ErrorInfo} and, for a bad field, {@code BadRequest});
 * the client turns a status back into the {@link ArgusException} it stood for.
 */
final class GrpcErrors {
    /** {@code ErrorInfo.domain} of every Argus error. */
    static final String DOMAIN = "argus.dev";

    private GrpcErrors() {
    }

    static Status.Code codeFor(ErrorCode code) {
        return switch (code) {
            case INVALID_INPUT -> Status.Code.INVALID_ARGUMENT;
            case INPUT_TOO_LARGE, OVERLOADED -> Status.Code.RESOURCE_EXHAUSTED;
            case MODEL_UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case TIMEOUT -> Status.Code.DEADLINE_EXCEEDED;
            case INFERENCE_FAILED, REMOTE_FAILURE, CONFIGURATION -> Status.Code.INTERNAL;
        };
    }

    /**
     * The request field an error blames, e.g. {@code numbers.values[17]} or {@code top_k}, under {@code prefix}
     * ({@code images[2].} in a batch); empty when no single field is to blame.
     */
    static String field(InputField field, String prefix) {
        if (field == null) {
            return "";
        }
        return switch (field.name()) {
            case InputField.IMAGE_ELEMENT -> prefix + "numbers.values[" + field.index() + "]";
            case InputField.TOP_K -> "top_k";
            default -> "";
        };
    }

    /**
     * The field a remote Argus blamed, back as data: the inverse of {@link #field} ({@code images[2].} and
     * {@code request.} prefixes dropped, as each outcome is its own image's); null for an empty or unknown path. The path is the protocol's
     * structured {@code field}, never the message.
     */
    static InputField inputField(String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        if (path.equals("top_k")) {
            return InputField.topK();
        }
        String head = "numbers.values[";
        int at = path.indexOf(head);
        if (at < 0 || !path.endsWith("]") || !knownPrefix(path.substring(0, at))) {
            return null;
        }
        int index = index(path.substring(at + head.length(), path.length() - 1));
        return index < 0 ? null : InputField.imageElement(index);
    }

    /** What {@link #field} puts before an image's own path: nothing, {@code request.} (a stream) or {@code images[N].}. */
    private static boolean knownPrefix(String prefix) {
        return prefix.isEmpty() || prefix.equals("request.")
                || prefix.startsWith("images[") && prefix.endsWith("].") && index(prefix.substring(7, prefix.length() - 2)) >= 0;
    }

    /** A non-negative int written in decimal digits, or -1. */
    private static int index(String digits) {
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        long v = Long.parseLong(digits);
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    /** The whole-call status for a failure. */
    static StatusRuntimeException toStatus(ArgusException e) {
        return status(e.code(), forCaller(e.code(), e.getMessage(), e), field(e.field().orElse(null), ""));
    }

    /** INVALID_ARGUMENT blaming {@code field}, a path in the request's own message ({@code raw_input_contents[0]}). */
    static StatusRuntimeException invalidField(String field, String message) {
        return status(ErrorCode.INVALID_INPUT, message, field);
    }

    static StatusRuntimeException toStatus(ErrorCode code, String detail) {
        return status(code, forCaller(code, detail, null), "");
    }

    private static StatusRuntimeException status(ErrorCode code, String message, String field) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(codeFor(code).value())
                .setMessage(message)
                .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain(DOMAIN).setReason(code.name()).build()));
        if (!field.isEmpty()) {
            status.addDetails(Any.pack(BadRequest.newBuilder().addFieldViolations(
                    BadRequest.FieldViolation.newBuilder().setField(field).setDescription(message)).build()));
        }
        if (code == ErrorCode.OVERLOADED) {
            // when to come back: RetryInfo for clients that read details, pushback for gRPC's own retry policy (gRFC A6)
            status.addDetails(Any.pack(com.google.rpc.RetryInfo.newBuilder().setRetryDelay(
                    com.google.protobuf.Duration.newBuilder().setSeconds(RETRY_AFTER_MILLIS / 1000)).build()));
            io.grpc.Metadata trailers = new io.grpc.Metadata();
            trailers.put(RETRY_PUSHBACK, Long.toString(RETRY_AFTER_MILLIS));
            return StatusProto.toStatusRuntimeException(status.build(), trailers);
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** How long a refused caller should wait: as REST's Retry-After. */
    static final long RETRY_AFTER_MILLIS = 1000;
    /** The trailer gRPC's retry policy reads (gRFC A6). */
    static final io.grpc.Metadata.Key<String> RETRY_PUSHBACK =
            io.grpc.Metadata.Key.of("grpc-retry-pushback-ms", io.grpc.Metadata.ASCII_STRING_MARSHALLER);

    private static final System.Logger LOG = System.getLogger("dev.argus.grpc.errors");

    /**
     * What the caller is told: the message itself for the caller's own mistakes; for a server-side failure (whose
     * message may name hosts, files and library internals) a fixed message and a reference, the detail going to the log.
     */
    static String forCaller(ErrorCode code, String detail, Throwable cause) {
        if (!code.serverSide()) {
            return detail;
        }
        String reference = ErrorCode.newReference();
        LOG.log(System.Logger.Level.WARNING, code + " (reference " + reference + "): " + detail, cause);
        return code.publicMessage(reference);
    }

    /** A failure of one image in a batch or stream; {@code field} names what it is about, or is null. */
    static Error toProtoError(ErrorCode code, String detail, InputField field, String fieldPrefix) {
        String message = forCaller(code, detail, null);
        return Error.newBuilder()
                .setCode(codeFor(code).value())
                .setReason(code.name())
                .setMessage(message)
                .setField(field(field, fieldPrefix))
                .build();
    }

    /** An unexpected failure: the client learns that it happened, not the internals. */
    static StatusRuntimeException internal() {
        return status(ErrorCode.INFERENCE_FAILED, "Internal error while classifying; see the server log.", "");
    }

    /** Why a call that is no longer wanted was not started. */
    static StatusRuntimeException notStarted(Context context) {
        if (context.getDeadline() != null && context.getDeadline().isExpired()) {
            return Status.DEADLINE_EXCEEDED.withDescription("The deadline passed before inference started.").asRuntimeException();
        }
        return Status.CANCELLED.withDescription("The call was cancelled before inference started.").asRuntimeException();
    }

    // ---- client side ----

    /** The Argus failure a status from a remote Argus stands for. */
    static ArgusException toArgusException(StatusRuntimeException e, String target) {
        Status status = e.getStatus();
        String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        ErrorCode code = argusCode(e).orElseGet(() -> codeFromStatus(status.getCode(), description));
        InputField field = code == ErrorCode.INVALID_INPUT ? blamedField(e) : null;
        String message = switch (status.getCode()) {
            case UNAVAILABLE -> "The Argus gRPC backend at " + target + " is unavailable: " + description;
            case UNAUTHENTICATED, PERMISSION_DENIED -> "The Argus gRPC backend at " + target + " refused the call ("
                    + status.getCode() + "): " + description + " Check the backend's bearer token.";
            case DEADLINE_EXCEEDED -> "The Argus gRPC backend at " + target + " did not answer in time: " + description;
            default -> description;
        };
        return new ArgusException(code, message, field, e);
    }

    /** The field a remote Argus's {@code BadRequest} detail blames, or null. */
    private static InputField blamedField(StatusRuntimeException e) {
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        if (details == null) {
            return null;
        }
        for (Any any : details.getDetailsList()) {
            if (any.is(BadRequest.class)) {
                try {
                    for (BadRequest.FieldViolation v : any.unpack(BadRequest.class).getFieldViolationsList()) {
                        InputField field = inputField(v.getField());
                        if (field != null) {
                            return field;
                        }
                    }
                } catch (InvalidProtocolBufferException ignored) {
                    // A malformed detail names nothing.
                }
            }
        }
        return null;
    }

    /** The Argus code of a per-image error from a remote Argus. */
    static ErrorCode toErrorCode(Error error) {
        try {
            return ErrorCode.valueOf(error.getReason());
        } catch (IllegalArgumentException unknown) {
            return codeFromStatus(Status.fromCodeValue(error.getCode()).getCode(), error.getMessage());
        }
    }

    private static java.util.Optional<ErrorCode> argusCode(StatusRuntimeException e) {
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        if (details == null) {
            return java.util.Optional.empty();
        }
        for (Any any : details.getDetailsList()) {
            if (any.is(ErrorInfo.class)) {
                try {
                    ErrorInfo info = any.unpack(ErrorInfo.class);
                    if (DOMAIN.equals(info.getDomain())) {
                        return java.util.Optional.of(ErrorCode.valueOf(info.getReason()));
                    }
                } catch (InvalidProtocolBufferException | IllegalArgumentException ignored) {
                    // Not ours after all: fall back to the status code.
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static ErrorCode codeFromStatus(Status.Code code, String description) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> ErrorCode.INVALID_INPUT;
            // The transport's own size check says "message exceeds maximum size".
            case RESOURCE_EXHAUSTED -> description != null && description.contains("exceeds maximum size")
                    ? ErrorCode.INPUT_TOO_LARGE : ErrorCode.OVERLOADED;
            case DEADLINE_EXCEEDED -> ErrorCode.TIMEOUT;
            default -> ErrorCode.REMOTE_FAILURE;
        };
    }
}
