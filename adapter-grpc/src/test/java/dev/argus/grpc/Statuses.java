package dev.argus.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;

/** Reads the google.rpc details of a status. */
final class Statuses {
    private Statuses() {
    }

    static String reason(StatusRuntimeException e) {
        for (Any any : details(e)) {
            if (any.is(ErrorInfo.class)) {
                ErrorInfo info = unpack(any, ErrorInfo.class);
                return info.getDomain() + "/" + info.getReason();
            }
        }
        return "";
    }

    static List<String> badFields(StatusRuntimeException e) {
        List<String> fields = new ArrayList<>();
        for (Any any : details(e)) {
            if (any.is(BadRequest.class)) {
                unpack(any, BadRequest.class).getFieldViolationsList().forEach(v -> fields.add(v.getField()));
            }
        }
        return fields;
    }

    private static List<Any> details(StatusRuntimeException e) {
        com.google.rpc.Status s = StatusProto.fromThrowable(e);
        return s == null ? List.of() : s.getDetailsList();
    }

    private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
