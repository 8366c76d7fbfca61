package dev.argus.grpc;

import io.grpc.Context;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.concurrent.CountDownLatch;

/**
 * Holds every unary call just before the service sees it until the call's context is cancelled (client cancel or
 * deadline), then lets it through: the service must then notice and not start inference.
 */
final class StallingInterceptor implements ServerInterceptor {
    final CountDownLatch arrived = new CountDownLatch(1);
    final CountDownLatch handled = new CountDownLatch(1);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            @Override
            public void onHalfClose() {
                arrived.countDown();
                long until = System.nanoTime() + 10_000_000_000L;
                while (!Context.current().isCancelled() && System.nanoTime() < until) {
                    Thread.onSpinWait();
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                try {
                    super.onHalfClose();
                } finally {
                    handled.countDown();
                }
            }
        };
    }
}
