// The bytes of a gzip member around a raw deflate body, as gzip writes them.

/** A final deflate block with no data (fixed Huffman, just end-of-block). */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

export function gzipHeader(level: number, mtime: number): Buffer {
  const bytes = Buffer.alloc(10);
  bytes.writeUInt16BE(0x1f8b, 0);
  bytes[2] = 8; // deflate
  bytes.writeUInt32LE(mtime >>> 0, 4);
  bytes[8] = level === 9 ? 2 : level === 1 ? 4 : 0; // XFL, as gzip sets it
  bytes[9] = 3; // OS: Unix
  return bytes;
}

/** The deflate stream's end (the body is sync-flushed, not final) and gzip's trailer. */
export function gzipTrailer(crc: number, length: number): Buffer {
  const bytes = Buffer.alloc(10);
  FINAL_EMPTY_BLOCK.copy(bytes, 0);
  bytes.writeUInt32LE(crc >>> 0, 2);
  bytes.writeUInt32LE(length % 2 ** 32, 6); // ISIZE is the length modulo 2^32
  return bytes;
}
