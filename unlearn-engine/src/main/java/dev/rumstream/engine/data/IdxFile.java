package dev.rumstream.engine.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads an IDX file (the MNIST format: magic 0x0000080N, N big-endian dimensions, then unsigned
 * bytes), gzipped or not.
 */
record IdxFile(int[] dimensions, byte[] data) {

  private static final int UNSIGNED_BYTE_TYPE = 0x08;

  static IdxFile read(Path path) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      raw.mark(2);
      boolean gzipped = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      try (DataInputStream in =
          new DataInputStream(gzipped ? new GZIPInputStream(raw, 1 << 16) : raw)) {
        int magic = in.readInt();
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE_TYPE) {
          throw new IOException(
              path
                  + " is not an unsigned-byte IDX file (magic "
                  + Integer.toHexString(magic)
                  + ")");
        }
        int[] dims = new int[magic & 0xff];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
          dims[i] = in.readInt();
          count *= dims[i];
        }
        if (count > Integer.MAX_VALUE) {
          throw new IOException(path + " is too large: " + count + " values");
        }
        byte[] data = new byte[(int) count];
        in.readFully(data);
        return new IdxFile(dims, data);
      }
    }
  }
}
