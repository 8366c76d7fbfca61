package dev.argus.grpc;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.grpc.v1.ModelRepositoryGrpc;
import dev.argus.grpc.v1.RepositoryIndexRequest;
import dev.argus.grpc.v1.RepositoryIndexResponse;
import dev.argus.grpc.v1.RepositoryModelRequest;
import dev.argus.grpc.v1.RepositoryModelResponse;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ModelControl;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * {@code argus.v1.ModelRepository}: the repository index and model control over gRPC, the same as REST's
 * {@code /v2/repository/...}. The admin token is checked before a call gets here ({@link AdminTokenInterceptor}).
 */
final class GrpcRepositoryService extends ModelRepositoryGrpc.ModelRepositoryImplBase {
    private static final System.Logger LOG = System.getLogger(GrpcRepositoryService.class.getName());
    private final ModelCatalog catalog;
    private final ModelControl control;

    /** @param control model control, or null when the server has no repository (load and unload are refused) */
    GrpcRepositoryService(ModelCatalog catalog, ModelControl control) {
        this.catalog = catalog;
        this.control = control;
    }

    @Override
    public void index(RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> out) {
        RepositoryIndexResponse.Builder b = RepositoryIndexResponse.newBuilder();
        for (ModelCatalog.IndexEntry e : catalog.index()) {
            b.addModels(RepositoryIndexResponse.Model.newBuilder().setName(e.name()).setVersion(e.version())
                    .setState(e.state()).setReason(e.reason()));
        }
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void load(RepositoryModelRequest request, StreamObserver<RepositoryModelResponse> out) {
        run(request, out, true);
    }

    @Override
    public void unload(RepositoryModelRequest request, StreamObserver<RepositoryModelResponse> out) {
        run(request, out, false);
    }

    private void run(RepositoryModelRequest request, StreamObserver<RepositoryModelResponse> out, boolean load) {
        if (control == null) {
            out.onError(Status.FAILED_PRECONDITION.withDescription("This server has no model repository (argus.repository).")
                    .asRuntimeException());
            return;
        }
        if (!control.refusal().isEmpty()) {
            out.onError(Status.FAILED_PRECONDITION.withDescription(String.join(" ", control.refusal())).asRuntimeException());
            return;
        }
        if (request.getName().isBlank()) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("Name the model: `name` is empty.").asRuntimeException());
            return;
        }
        try {
            if (load) {
                control.load(request.getName());
            } else {
                control.unload(request.getName());
            }
        } catch (ArgusException e) {
            // an administrator asked: the reason in full
            Status status = e.code() == ErrorCode.INVALID_INPUT ? Status.NOT_FOUND : Status.FAILED_PRECONDITION;
            out.onError(status.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Model control failed unexpectedly", e);
            out.onError(GrpcErrors.internal());
            return;
        }
        LOG.log(System.Logger.Level.INFO, "Model control over gRPC: {0} ''{1}'' done", load ? "load" : "unload", request.getName());
        out.onNext(RepositoryModelResponse.getDefaultInstance());
        out.onCompleted();
    }
}
