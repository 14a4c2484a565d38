// The least of a ZIP reader: find one member by name through the central directory and inflate
// it with the browser's DecompressionStream, chunk by chunk and never beyond the size the
// archive declares for it (a ZIP bomb says 1 KB and inflates to gigabytes). Enough for the
// platform's own archives.

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export async function fromZip(bytes: Uint8Array, member: string, maxBytes: number): Promise<Uint8Array> {
  const data = view(bytes);
  // End of central directory: 22 bytes, possibly followed by a comment of up to 65,535 bytes.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (data.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("not a ZIP archive");
  const count = data.getUint16(end + 10, true);
  let at = data.getUint32(end + 16, true);
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || data.getUint32(at, true) !== 0x02014b50) throw new Error("a damaged ZIP archive");
    const method = data.getUint16(at + 10, true);
    const compressed = data.getUint32(at + 20, true);
    const size = data.getUint32(at + 24, true);
    const nameLength = data.getUint16(at + 28, true);
    const extraLength = data.getUint16(at + 30, true);
    const commentLength = data.getUint16(at + 32, true);
    const local = data.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (name === member) {
      if (size === 0xffffffff || compressed === 0xffffffff) throw new Error(`${member} is in a ZIP64 archive, which this page does not read`);
      if (size > maxBytes) throw new Error(`${member} is too large`);
      if (local + 30 > bytes.length || data.getUint32(local, true) !== 0x04034b50) throw new Error("a damaged ZIP archive");
      const start = local + 30 + data.getUint16(local + 26, true) + data.getUint16(local + 28, true);
      if (start + compressed > bytes.length) throw new Error("a damaged ZIP archive");
      const body = bytes.subarray(start, start + compressed);
      if (method === 0) {
        if (compressed !== size) throw new Error("a damaged ZIP archive");
        return body;
      }
      if (method !== 8) throw new Error(`${member} is compressed in a way this page cannot read`);
      return inflate(body, size, member);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`the ZIP holds no ${member}`);
}

/** Inflate raw DEFLATE data into exactly `size` bytes, stopping as soon as it would exceed them. */
async function inflate(body: Uint8Array, size: number, member: string): Promise<Uint8Array> {
  const stream = new Blob([body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  const reader = stream.getReader();
  const out = new Uint8Array(size);
  let filled = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new Error(`${member} is not valid DEFLATE data`);
    }
    if (chunk.done) break;
    if (filled + chunk.value.length > size) {
      await reader.cancel();
      throw new Error(`${member} inflates beyond its declared size`);
    }
    out.set(chunk.value, filled);
    filled += chunk.value.length;
  }
  if (filled !== size) throw new Error(`${member} is shorter than its declared size`);
  return out;
}
