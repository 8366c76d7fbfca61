#!/usr/bin/env node
// Classify an image with Cloudflare's official TypeScript SDK (npm `cloudflare`) pointed at Argus: the only change
// from calling Workers AI is the base URL.
//
//   node clients/node/cloudflare-sdk.mjs BASE_URL IMAGE [--token TOKEN] [--model ID] [--account ID]
//
// BASE_URL is Argus's REST address plus /client/v4, e.g. http://127.0.0.1:8080/client/v4. The token (or
// $ARGUS_REST_TOKEN) is sent as `Authorization: Bearer`, as the SDK sends a Cloudflare API token; without one no
// Authorization header is sent (an Argus without argus.rest.auth-tokens). The SDK sends the image as Workers AI's
// JSON input for this model, {"image": [byte values]}, to /accounts/ID/ai/run/@cf%2Fmicrosoft%2Fresnet-50.
//
// Output (stdout), one JSON object: {"result": [{"label": "PERSIAN CAT", "score": 0.4071}, ...]} (the SDK unwraps
// Cloudflare's envelope). On failure: {"error": {"status": 401, "name": "AuthenticationError", "message": "...",
// "errors": [{"code": 10000, "message": "..."}]}} on stdout and exit status 1.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Cloudflare from 'cloudflare';

const { values: opts, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    token: { type: 'string', default: process.env.ARGUS_REST_TOKEN },
    model: { type: 'string', default: '@cf/microsoft/resnet-50' },
    account: { type: 'string', default: 'argus' },
  },
});
if (positionals.length !== 2) {
  console.error('usage: cloudflare-sdk.mjs BASE_URL IMAGE [--token TOKEN] [--model ID] [--account ID]');
  process.exit(2);
}
const [baseURL, image] = positionals;

const client = new Cloudflare({
  baseURL,
  apiToken: opts.token ?? null,
  // Only the token: credentials for the real Cloudflare in the environment are not sent to Argus.
  apiKey: null,
  apiEmail: null,
  userServiceKey: null,
  // No token: tell the SDK to send no Authorization header rather than refuse to run.
  defaultHeaders: opts.token ? {} : { Authorization: null },
  maxRetries: 0,
});

try {
  const result = await client.ai.run(opts.model, { account_id: opts.account, image: [...readFileSync(image)] });
  console.log(JSON.stringify({ result }));
} catch (err) {
  if (!(err instanceof Cloudflare.APIError)) {
    throw err;
  }
  console.log(JSON.stringify({
    error: { status: err.status ?? null, name: err.constructor.name, message: err.message, errors: err.errors },
  }));
  process.exitCode = 1;
}
