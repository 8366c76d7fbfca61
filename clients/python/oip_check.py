#!/usr/bin/env python3
"""Drive every RPC of Argus's Open Inference Protocol gRPC service (inference.GRPCInferenceService) from Python,
with stubs generated at run time from proto/inference/*.proto, and print what came back as one JSON object.

    python3 clients/python/oip_check.py HOST:PORT MODEL IMAGE [BIG_IMAGE]

The stubs are what tritonclient.grpc uses (same package, service, messages and field numbers). Raw tensors are
decoded here byte by byte, as the protocol defines them: little-endian, row-major, a BYTES element being a 4-byte
little-endian length and the bytes. Needs python3-grpcio and python3-grpc-tools (Debian packages).
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def stubs():
    out = tempfile.mkdtemp(prefix="argus-oip-")
    proto = os.path.join(ROOT, "proto")
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", proto, "--python_out=" + out,
                    "--grpc_python_out=" + out, os.path.join(proto, "inference", "grpc_service.proto"),
                    os.path.join(proto, "inference", "model_config.proto")], check=True)
    sys.path.insert(0, out)
    from inference import grpc_service_pb2, grpc_service_pb2_grpc  # noqa: E402
    return grpc_service_pb2, grpc_service_pb2_grpc


def bytes_elements(raw):
    """A raw BYTES tensor, element by element: 4-byte little-endian length, then the bytes."""
    out, i = [], 0
    while i < len(raw):
        (n,) = struct.unpack_from("<I", raw, i)
        out.append(raw[i + 4:i + 4 + n].decode("utf-8"))
        i += 4 + n
    return out


def fp32(raw):
    return list(struct.unpack("<%df" % (len(raw) // 4), raw))


def bytes_raw(*elements):
    return b"".join(struct.pack("<I", len(e)) + e for e in elements)


def main():
    import grpc
    target, model, image_path = sys.argv[1:4]
    big_path = sys.argv[4] if len(sys.argv) > 4 else None
    pb, pb_grpc = stubs()
    channel = grpc.insecure_channel(target, options=[("grpc.max_send_message_length", 32 << 20),
                                                     ("grpc.max_receive_message_length", 32 << 20)])
    stub = pb_grpc.GRPCInferenceServiceStub(channel)
    image = open(image_path, "rb").read()
    report = {}

    report["live"] = stub.ServerLive(pb.ServerLiveRequest(), timeout=30).live
    report["ready"] = stub.ServerReady(pb.ServerReadyRequest(), timeout=30).ready
    report["model_ready"] = stub.ModelReady(pb.ModelReadyRequest(name=model), timeout=30).ready
    meta = stub.ServerMetadata(pb.ServerMetadataRequest(), timeout=30)
    report["server"] = {"name": meta.name, "extensions": list(meta.extensions)}
    mm = stub.ModelMetadata(pb.ModelMetadataRequest(name=model), timeout=30)
    report["metadata"] = {"name": mm.name, "versions": list(mm.versions), "platform": mm.platform,
                          "inputs": [[t.name, t.datatype, list(t.shape)] for t in mm.inputs],
                          "outputs": [[t.name, t.datatype, list(t.shape)] for t in mm.outputs]}
    cfg = stub.ModelConfig(pb.ModelConfigRequest(name=model), timeout=30).config
    report["config"] = {"name": cfg.name, "max_batch_size": cfg.max_batch_size, "backend": cfg.backend,
                        "dynamic_batching": cfg.HasField("dynamic_batching"),
                        "inputs": [[i.name, i.data_type, list(i.dims)] for i in cfg.input],
                        "outputs": [[o.name, o.data_type, list(o.dims)] for o in cfg.output]}

    def image_request(raw, k=None, n=1, typed=False):
        inp = pb.ModelInferRequest.InferInputTensor(name="image", datatype="BYTES", shape=[n])
        req = pb.ModelInferRequest(model_name=model, id="req-1", inputs=[inp])
        out = pb.ModelInferRequest.InferRequestedOutputTensor(name="classification")
        if k is not None:
            out.parameters["classification"].int64_param = k
        req.outputs.append(out)
        req.parameters["label_style"].string_param = "imagenet"
        if typed:
            req.inputs[0].contents.bytes_contents.extend([raw] * n)
        else:
            req.raw_input_contents.append(bytes_raw(*([raw] * n)))
        return req

    r = stub.ModelInfer(image_request(image, k=3), timeout=60)
    report["infer_raw"] = {"id": r.id, "model": r.model_name, "version": r.model_version,
                           "output": [r.outputs[0].name, r.outputs[0].datatype, list(r.outputs[0].shape)],
                           "strings": bytes_elements(r.raw_output_contents[0]),
                           "raw_hex_head": r.raw_output_contents[0][:12].hex()}
    # as perf_analyzer sends an entry of perf_analyzer_input.py's JSON: shape [1,1] (batch, then metadata's [-1,1]),
    # the entry's base64 decoded into raw_input_contents as it is
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import perf_analyzer_input  # noqa: E402
    import base64  # noqa: E402
    serialized = base64.b64decode(perf_analyzer_input.entry(image)["image"]["b64"])
    req = pb.ModelInferRequest(model_name=model, inputs=[pb.ModelInferRequest.InferInputTensor(
        name="image", datatype="BYTES", shape=[1, 1])], raw_input_contents=[serialized])
    req.outputs.append(pb.ModelInferRequest.InferRequestedOutputTensor(name="classification"))
    req.outputs[0].parameters["classification"].int64_param = 3
    req.parameters["label_style"].string_param = "imagenet"
    r = stub.ModelInfer(req, timeout=60)
    report["infer_perf_analyzer"] = {"shape": list(r.outputs[0].shape), "strings": bytes_elements(r.raw_output_contents[0])}
    r = stub.ModelInfer(image_request(image, typed=True, n=2), timeout=60)
    report["infer_typed_batch"] = {"shape": list(r.outputs[0].shape), "strings": bytes_elements(r.raw_output_contents[0])}

    # FP32: a deterministic preprocessed tensor [1,3,224,224], raw and typed
    values = [((i * 7919) % 1000) / 500.0 - 1.0 for i in range(3 * 224 * 224)]
    inp = pb.ModelInferRequest.InferInputTensor(name="pixel_values", datatype="FP32", shape=[1, 3, 224, 224])
    raw_req = pb.ModelInferRequest(model_name=model, inputs=[inp], raw_input_contents=[struct.pack("<%df" % len(values), *values)])
    r = stub.ModelInfer(raw_req, timeout=60)
    logits_raw = fp32(r.raw_output_contents[0])
    typed_inp = pb.ModelInferRequest.InferInputTensor(name="pixel_values", datatype="FP32", shape=[1, 3, 224, 224])
    typed_inp.contents.fp32_contents.extend(values)
    r2 = stub.ModelInfer(pb.ModelInferRequest(model_name=model, inputs=[typed_inp]), timeout=60)
    report["fp32"] = {"output": [r.outputs[0].name, r.outputs[0].datatype, list(r.outputs[0].shape)],
                      "first": logits_raw[:5], "argmax": max(range(len(logits_raw)), key=lambda i: logits_raw[i]),
                      "typed_equals_raw": fp32(r2.raw_output_contents[0]) == logits_raw}
    cls = pb.ModelInferRequest.InferRequestedOutputTensor(name="logits")
    cls.parameters["classification"].int64_param = 2
    raw_req.outputs.append(cls)
    r = stub.ModelInfer(raw_req, timeout=60)
    report["fp32_classification"] = {"datatype": r.outputs[0].datatype, "shape": list(r.outputs[0].shape),
                                     "strings": bytes_elements(r.raw_output_contents[0])}

    # streaming: a good request, a bad one (answered with error_message), a good one
    bad = pb.ModelInferRequest(model_name=model, inputs=[pb.ModelInferRequest.InferInputTensor(
        name="image", datatype="BYTES", shape=[1])], raw_input_contents=[bytes_raw(b"not an image")])
    responses = list(stub.ModelStreamInfer(iter([image_request(image, k=1), bad, image_request(image, k=1)]), timeout=60))
    report["stream"] = [{"error": s.error_message,
                         "strings": bytes_elements(s.infer_response.raw_output_contents[0]) if not s.error_message else []}
                        for s in responses]

    # errors: each a status, never INTERNAL
    def code(call):
        try:
            call()
            return "OK"
        except grpc.RpcError as e:
            return e.code().name + ": " + (e.details() or "")
    short = pb.ModelInferRequest(model_name=model, inputs=[pb.ModelInferRequest.InferInputTensor(
        name="image", datatype="BYTES", shape=[2])], raw_input_contents=[bytes_raw(image)])
    report["errors"] = {
        "unknown_model": code(lambda: stub.ModelInfer(pb.ModelInferRequest(model_name="nope", inputs=[inp]), timeout=30)),
        "bad_datatype": code(lambda: stub.ModelInfer(pb.ModelInferRequest(model_name=model, inputs=[
            pb.ModelInferRequest.InferInputTensor(name="image", datatype="INT8", shape=[1])]), timeout=30)),
        "raw_shorter_than_shape": code(lambda: stub.ModelInfer(short, timeout=30)),
        "fp32_wrong_size": code(lambda: stub.ModelInfer(pb.ModelInferRequest(model_name=model, inputs=[inp],
                                                                             raw_input_contents=[b"\0" * 12]), timeout=30)),
        "not_an_image": code(lambda: stub.ModelInfer(bad, timeout=30)),
    }
    stats = stub.ModelStatistics(pb.ModelStatisticsRequest(name=model), timeout=30)
    s = stats.model_stats[0]
    report["statistics"] = {"name": s.name, "version": s.version, "inference_count": s.inference_count,
                            "execution_count": s.execution_count, "queue_count": s.inference_stats.queue.count,
                            "compute_counts": [s.inference_stats.compute_input.count, s.inference_stats.compute_infer.count,
                                               s.inference_stats.compute_output.count]}
    index = stub.RepositoryIndex(pb.RepositoryIndexRequest(), timeout=30)
    report["index"] = [[m.name, m.version, m.state] for m in index.models]
    if big_path:
        big = open(big_path, "rb").read()
        r = stub.ModelInfer(image_request(big, k=1), timeout=120)
        report["big"] = {"bytes": len(big), "strings": bytes_elements(r.raw_output_contents[0])}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
