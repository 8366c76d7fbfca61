package dev.argus.grpc;

import com.google.protobuf.CodedInputStream;
import dev.argus.domain.ArgusException;
import dev.argus.domain.Deadline;
import dev.argus.grpc.v1.ClassifyBatchRequest;
import dev.argus.ports.service.Admission;
import dev.argus.ports.service.MemoryBudget;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Admits Classifier calls through the serving core's {@link Admission} before their messages are read, so that what a
 * flood costs is bounded in calls and in bytes:
 * <ul>
 * <li>a place ({@code argus.grpc.max-concurrent-calls}); without one the call is refused at once with
 * RESOURCE_EXHAUSTED, its message never read (a transport thread cannot wait);</li>
 * <li>then memory for its message (the admission's {@link MemoryBudget}, twice the largest message: the parsed request and the image
 * copied out of it). Until it is granted the call does not ask for its message, so HTTP/2 flow control leaves the
 * client's bytes on the client; a unary call gives back what its message turned out not to need as soon as it has
 * arrived, a stream keeps its share while it lasts.</li>
 * </ul>
 * The images of a ClassifyBatch request are counted in its wire bytes before the message is built: the one after
 * {@value GrpcClassificationService#MAX_BATCH_IMAGES} is refused without a million empty images being made first.
 * Works on raw messages ({@code ServerInterceptors.useInputStreamMessages}), inside {@link MalformedMessageGuard}.
 */
final class CallAdmission implements ServerInterceptor {
    private static final long OVERHEAD = 64 * 1024;
    private final Admission admission;
    private final MemoryBudget memory;
    private final long perCall;
    private final Executor executor;
    private final Set<String> admitted;
    private final String batchMethod;

    CallAdmission(Admission admission, int maxMessageBytes, Executor executor, Set<String> admitted, String batchMethod) {
        this.admission = admission;
        this.memory = admission.memory();
        this.perCall = 2L * maxMessageBytes + OVERHEAD;
        this.executor = executor;
        this.admitted = Set.copyOf(admitted);
        this.batchMethod = batchMethod;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!admitted.contains(method)) {
            return next.startCall(call, headers);
        }
        Admission.Ticket ticket;
        try {
            ticket = admission.tryAdmit(Deadline.none()); // each call's deadline is its own, from its Context
        } catch (ArgusException e) {
            io.grpc.StatusRuntimeException busy = GrpcErrors.toStatus(e);
            call.close(busy.getStatus(), busy.getTrailers() == null ? new Metadata() : busy.getTrailers());
            return new ServerCall.Listener<>() { };
        }
        Admitted<Q, R> a = new Admitted<>(call, headers, next, method.equals(batchMethod), Math.min(perCall, memory.capacity()),
                ticket);
        // the call's Context (its deadline, cancellation and trace) goes with it to the thread that starts it
        io.grpc.Context context = io.grpc.Context.current();
        a.waiter = memory.request(a.bytes, () -> {
            a.granted();
            executor.execute(context.wrap(a::start));
        });
        return a;
    }

    /** One admitted call: a listener that holds events until the call has its memory and has been started. */
    private final class Admitted<Q, R> extends ServerCall.Listener<Q> {
        private final ServerCall<Q, R> call;
        private final Metadata headers;
        private final ServerCallHandler<Q, R> next;
        private final boolean batch;
        private final boolean unary;
        private final long bytes;
        private final List<java.util.function.Consumer<ServerCall.Listener<Q>>> pending = new ArrayList<>();
        private final Admission.Ticket ticket;
        private MemoryBudget.Waiter waiter;
        private ServerCall.Listener<Q> delegate;
        private long held;
        private boolean wasGranted;
        private boolean finished;
        private boolean refused;

        Admitted(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next, boolean batch, long bytes,
                 Admission.Ticket ticket) {
            this.bytes = bytes;
            this.ticket = ticket;
            this.call = call;
            this.headers = headers;
            this.next = next;
            this.batch = batch;
            this.unary = call.getMethodDescriptor().getType() == MethodDescriptor.MethodType.UNARY;
        }

        /** The memory is reserved for this call (on the thread that granted it). */
        synchronized void granted() {
            held = bytes;
            wasGranted = true;
        }

        /** The memory is granted: start the call (which asks for its message), then replay what happened meanwhile. */
        void start() {
            List<java.util.function.Consumer<ServerCall.Listener<Q>>> replay;
            long give = 0;
            boolean over;
            synchronized (this) {
                over = finished;
                if (over) {
                    give = held;
                    held = 0;
                }
            }
            if (over) { // the call ended while it waited
                if (give > 0) {
                    memory.release(give);
                }
                return;
            }
            ServerCall.Listener<Q> started = next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    finish();
                    super.close(status, trailers);
                }
            }, headers);
            // Replay in order; events that arrive meanwhile queue behind, until none is left and the call goes live.
            while (true) {
                synchronized (this) {
                    if (pending.isEmpty()) {
                        delegate = started;
                        break;
                    }
                    replay = new ArrayList<>(pending);
                    pending.clear();
                }
                replay.forEach(e -> e.accept(started));
            }
        }

        /** The call is over, one way or another: its slot and memory go back, once. */
        private void finish() {
            long give;
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                give = held;
                held = 0;
                if (!wasGranted && waiter != null) {
                    waiter.cancel(); // granted meanwhile: start() sees finished and gives it back
                }
            }
            if (give > 0) {
                memory.release(give);
            }
            ticket.close();
        }

        private void dispatch(java.util.function.Consumer<ServerCall.Listener<Q>> event) {
            ServerCall.Listener<Q> d;
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    pending.add(event);
                    return;
                }
            }
            event.accept(d);
        }

        @Override
        public void onMessage(Q message) {
            if (refused) {
                return;
            }
            Q m = message;
            if (message instanceof InputStream in) {
                // Only a stream that knows its length says how big the message is; a compressed one (grpc-encoding)
                // answers available() with what it has inflated so far, so the call keeps its whole share.
                int size = in instanceof io.grpc.KnownLength ? available(in) : -1;
                if (unary && size >= 0) {
                    shrinkTo(2L * size + OVERHEAD);
                }
                if (batch) {
                    @SuppressWarnings("unchecked")
                    Q counted = (Q) countImages(in);
                    if (counted == null) {
                        return;
                    }
                    m = counted;
                }
            }
            boolean live;
            synchronized (this) {
                live = delegate != null;
            }
            if (!live && m instanceof InputStream raw) {
                // Still replaying what came before: the message is handed on from another thread, after gRPC has
                // reclaimed the buffer behind this stream, so it goes as a copy.
                try {
                    @SuppressWarnings("unchecked")
                    Q copy = (Q) new ByteArrayInputStream(raw.readAllBytes());
                    raw.close();
                    m = copy;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            Q deliver = m;
            dispatch(l -> l.onMessage(deliver));
        }

        private void shrinkTo(long needed) {
            long give = 0;
            synchronized (this) {
                if (needed < held) {
                    give = held - needed;
                    held = needed;
                }
            }
            if (give > 0) {
                memory.release(give);
            }
        }

        /** The message, readable again, or null when it holds too many images (the call is then closed). */
        private InputStream countImages(InputStream in) {
            InputStream readable = in;
            try {
                if (in.markSupported()) {
                    in.mark(Integer.MAX_VALUE);
                } else {
                    readable = new ByteArrayInputStream(in.readAllBytes());
                    in.close();
                }
                CodedInputStream wire = CodedInputStream.newInstance(readable);
                int images = 0;
                for (int tag = wire.readTag(); tag != 0; tag = wire.readTag()) {
                    if (com.google.protobuf.WireFormat.getTagFieldNumber(tag) == ClassifyBatchRequest.IMAGES_FIELD_NUMBER
                            && ++images > GrpcClassificationService.MAX_BATCH_IMAGES) {
                        refused = true;
                        readable.close();
                        io.grpc.StatusRuntimeException many = GrpcErrors.toStatus(dev.argus.domain.ErrorCode.INVALID_INPUT,
                                GrpcClassificationService.tooManyImages("more than " + GrpcClassificationService.MAX_BATCH_IMAGES));
                        finish();
                        call.close(many.getStatus(), many.getTrailers() == null ? new Metadata() : many.getTrailers());
                        return null;
                    }
                    if (!wire.skipField(tag)) {
                        break;
                    }
                }
            } catch (IOException e) {
                // not valid protobuf: MalformedMessageGuard answers it from the parse that follows
            }
            try {
                readable.reset();
            } catch (IOException e) {
                return new ByteArrayInputStream(new byte[] {(byte) 0xFF}); // unreadable: answered as invalid
            }
            return readable;
        }

        private int available(InputStream in) {
            try {
                return in.available();
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                dispatch(ServerCall.Listener::onHalfClose);
            }
        }

        @Override
        public void onCancel() {
            finish();
            dispatch(ServerCall.Listener::onCancel);
        }

        @Override
        public void onComplete() {
            finish();
            dispatch(ServerCall.Listener::onComplete);
        }

        @Override
        public void onReady() {
            if (!refused) {
                dispatch(ServerCall.Listener::onReady);
            }
        }
    }
}
