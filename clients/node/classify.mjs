#!/usr/bin/env node
// Classify an image with an Argus gRPC server and print the result as JSON (the same output as
// clients/python/classify.py).
//
//   node clients/node/classify.mjs HOST:PORT IMAGE [--top-k K] [--label-style cloudflare|imagenet]
//                                  [--token TOKEN] [--tls [--ca CERT.pem]] [--deadline SECONDS] [--proto-root DIR]
//
// Needs `npm ci` in clients/node (@grpc/grpc-js, @grpc/proto-loader). No code generation: proto-loader reads
// proto/argus/v1/argus.proto (found relative to this file, or via --proto-root) at start.
//
// Output (stdout), one JSON object:
//   {"result": [{"label": "PERSIAN CAT", "score": 0.4071, "class_index": 283}, ...],
//    "backend": "onnx", "model": "microsoft/resnet-50", "timings": {"decode_nanos": ..., ...}}
// On failure: {"error": {"code": "INVALID_ARGUMENT", "message": "..."}} on stdout and exit status 1.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const HERE = dirname(fileURLToPath(import.meta.url));
const USAGE = 'usage: classify.mjs HOST:PORT IMAGE [--top-k K] [--label-style cloudflare|imagenet] '
  + '[--token TOKEN] [--tls [--ca CERT.pem]] [--deadline SECONDS] [--proto-root DIR]';

function options(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'top-k': { type: 'string', default: '0' },
        'label-style': { type: 'string', default: 'cloudflare' },
        token: { type: 'string', default: process.env.ARGUS_GRPC_TOKEN },
        tls: { type: 'boolean', default: false },
        ca: { type: 'string' },
        deadline: { type: 'string', default: '30' },
        'proto-root': { type: 'string', default: resolve(HERE, '..', '..', 'proto') },
      },
    });
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 2 || !['cloudflare', 'imagenet'].includes(values['label-style'])) {
    console.error(USAGE);
    process.exit(2);
  }
  return { target: positionals[0], image: positionals[1], ...values };
}

function classifierClient(args) {
  const definition = protoLoader.loadSync(join(args['proto-root'], 'argus', 'v1', 'argus.proto'),
    { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  const { Classifier } = grpc.loadPackageDefinition(definition).argus.v1;
  const credentials = args.tls
    ? grpc.credentials.createSsl(args.ca ? readFileSync(args.ca) : null)
    : grpc.credentials.createInsecure();
  return new Classifier(args.target, credentials);
}

function toJson(response) {
  const t = response.timings ?? {};
  return {
    result: response.classifications.map((c) => ({ label: c.label, score: c.score, class_index: c.class_index })),
    backend: response.backend,
    model: response.model,
    timings: {
      decode_nanos: t.decode_nanos, inference_nanos: t.inference_nanos,
      postprocess_nanos: t.postprocess_nanos, total_nanos: t.total_nanos,
    },
  };
}

const args = options(process.argv.slice(2));
const client = classifierClient(args);
const request = {
  encoded: readFileSync(args.image),
  top_k: Number.parseInt(args['top-k'], 10),
  label_style: args['label-style'] === 'imagenet' ? 'LABEL_STYLE_IMAGENET' : 'LABEL_STYLE_CLOUDFLARE',
};
const metadata = new grpc.Metadata();
if (args.token) {
  metadata.set('authorization', `Bearer ${args.token}`);
}
const deadline = Date.now() + Number.parseFloat(args.deadline) * 1000;
client.Classify(request, metadata, { deadline }, (err, response) => {
  client.close();
  if (err) {
    console.log(JSON.stringify({ error: { code: grpc.status[err.code] ?? String(err.code), message: err.details } }));
    process.exitCode = 1;
    return;
  }
  console.log(JSON.stringify(toJson(response)));
});
