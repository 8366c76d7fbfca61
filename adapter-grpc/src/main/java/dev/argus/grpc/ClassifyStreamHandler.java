package dev.argus.grpc;

import dev.argus.grpc.v1.ClassifyStreamRequest;
import dev.argus.grpc.v1.ClassifyStreamResponse;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;

/**
 * One {@code ClassifyStream} call with manual flow control: the next request is read only after the previous
 * response went to the transport and the transport is ready for more. A client that reads slowly therefore holds the
 * server back instead of making it classify ahead and buffer responses without bound.
 *
 * <p>gRPC runs all callbacks of one call (onNext, onReady, onCompleted, cancel) one at a time, so the fields need no
 * locking.
 */
final class ClassifyStreamHandler implements StreamObserver<ClassifyStreamRequest> {
    private final ServerCallStreamObserver<ClassifyStreamResponse> out;
    private final Function<ClassifyStreamRequest, ClassifyStreamResponse> classify;
    /** Whether a request(1) is outstanding because the transport was ready. */
    private boolean requested;
    private boolean finished;

    private ClassifyStreamHandler(ServerCallStreamObserver<ClassifyStreamResponse> out,
                                  Function<ClassifyStreamRequest, ClassifyStreamResponse> classify) {
        this.out = out;
        this.classify = classify;
    }

    static StreamObserver<ClassifyStreamRequest> start(StreamObserver<ClassifyStreamResponse> responses,
                                                        Function<ClassifyStreamRequest, ClassifyStreamResponse> classify) {
        ServerCallStreamObserver<ClassifyStreamResponse> out = (ServerCallStreamObserver<ClassifyStreamResponse>) responses;
        out.disableAutoRequest();
        ClassifyStreamHandler handler = new ClassifyStreamHandler(out, classify);
        out.setOnReadyHandler(handler::onReady);
        out.setOnCancelHandler(() -> handler.finished = true);
        return handler;
    }

    private void onReady() {
        if (!finished && !requested && out.isReady()) {
            requested = true;
            out.request(1);
        }
    }

    @Override
    public void onNext(ClassifyStreamRequest request) {
        requested = false;
        if (finished || Context.current().isCancelled()) {
            return;
        }
        out.onNext(classify.apply(request));
        onReady();
    }

    @Override
    public void onError(Throwable t) {
        // The client cancelled or the connection broke: nothing to answer.
        finished = true;
    }

    @Override
    public void onCompleted() {
        if (!finished) {
            finished = true;
            out.onCompleted();
        }
    }
}
