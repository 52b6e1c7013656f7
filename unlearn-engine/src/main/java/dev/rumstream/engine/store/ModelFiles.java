package dev.rumstream.engine.store;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.rumstream.engine.model.Architecture;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.model.ModelSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Saves and loads a classifier's parameters (its spec, then every parameter by name and shape,
 * BatchNorm statistics included) behind a header with the payload's length and SHA-256. A file
 * whose length or checksum does not match is refused before anything is parsed. Values are copied
 * into a freshly built network in place: DJL's own {@code loadParameters} replaces the arrays,
 * which leaks the old ones into the model's manager.
 */
public final class ModelFiles {

  private static final byte[] MAGIC = "RUMSTREAM-PARAMS".getBytes(StandardCharsets.US_ASCII);
  private static final int FORMAT_VERSION = 1;

  private ModelFiles() {}

  /** Writes atomically (temp file, then rename) and returns the payload's SHA-256 in hex. */
  public static String save(Classifier model, Path file) throws IOException {
    byte[] payload = payload(model);
    byte[] digest = sha256(payload);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(tmp))) {
      out.write(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeLong(payload.length);
      out.write(digest);
      out.write(payload);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return HexFormat.of().formatHex(digest);
  }

  /**
   * Loads onto {@code device}; refuses truncated, altered and foreign files with a {@link
   * CorruptModelFileException}.
   */
  public static Classifier load(Path file, Device device) throws IOException {
    return parse(verifiedPayload(file), device, file);
  }

  /**
   * Checks a file as {@link #load} would (header, length, SHA-256 of the payload) without building
   * a network, and returns the checksum; refuses a damaged file with a {@link
   * CorruptModelFileException}.
   */
  public static String verify(Path file) throws IOException {
    return HexFormat.of().formatHex(sha256(verifiedPayload(file)));
  }

  private static byte[] verifiedPayload(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      byte[] magic = readExactly(in, MAGIC.length, file, "header");
      if (!Arrays.equals(magic, MAGIC)) {
        throw new CorruptModelFileException(file + " is not a rumstream parameter file");
      }
      int version = readHeaderInt(in, file);
      if (version != FORMAT_VERSION) {
        throw new CorruptModelFileException(
            file + " has format version " + version + ", expected " + FORMAT_VERSION);
      }
      long length = readHeaderLong(in, file);
      if (length < 0 || length > Integer.MAX_VALUE - 64) {
        throw new CorruptModelFileException(
            file + " declares an impossible payload length " + length);
      }
      byte[] expected = readExactly(in, 32, file, "checksum");
      byte[] payload = readExactly(in, (int) length, file, "payload");
      if (in.read() != -1) {
        throw new CorruptModelFileException(file + " has bytes after its declared payload");
      }
      if (!MessageDigest.isEqual(expected, sha256(payload))) {
        throw new CorruptModelFileException(
            file
                + " is corrupted: its SHA-256 does not match the header ("
                + HexFormat.of().formatHex(expected)
                + ")");
      }
      return payload;
    }
  }

  /** The SHA-256 (hex) a file's header records, without loading it. */
  public static String checksum(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      readExactly(in, MAGIC.length + 12, file, "header");
      return HexFormat.of().formatHex(readExactly(in, 32, file, "checksum"));
    }
  }

  private static byte[] payload(Classifier model) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      ModelSpec spec = model.spec();
      out.writeUTF(spec.architecture().name());
      out.writeInt(spec.channels());
      out.writeInt(spec.imageHeight());
      out.writeInt(spec.imageWidth());
      out.writeInt(spec.numClasses());
      out.writeInt(spec.baseWidth());
      for (float v : spec.mean()) {
        out.writeFloat(v);
      }
      for (float v : spec.std()) {
        out.writeFloat(v);
      }
      List<String> names = model.parameterNames();
      List<Parameter> parameters = model.parameters();
      out.writeInt(parameters.size());
      for (int i = 0; i < parameters.size(); i++) {
        out.writeUTF(names.get(i));
        long[] dims = parameters.get(i).getArray().getShape().getShape();
        out.writeInt(dims.length);
        for (long d : dims) {
          out.writeLong(d);
        }
        float[] values = parameters.get(i).getArray().toFloatArray();
        out.writeInt(values.length);
        for (float v : values) {
          out.writeFloat(v);
        }
      }
    }
    return bytes.toByteArray();
  }

  private static Classifier parse(byte[] payload, Device device, Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      Architecture architecture = Architecture.valueOf(in.readUTF());
      int channels = in.readInt();
      int height = in.readInt();
      int width = in.readInt();
      int classes = in.readInt();
      int baseWidth = in.readInt();
      List<Float> mean = new ArrayList<>();
      List<Float> std = new ArrayList<>();
      for (int c = 0; c < channels; c++) {
        mean.add(in.readFloat());
      }
      for (int c = 0; c < channels; c++) {
        std.add(in.readFloat());
      }
      ModelSpec spec =
          new ModelSpec(architecture, channels, height, width, classes, baseWidth, mean, std);
      Classifier model = Classifier.create(spec, device, 0);
      try {
        List<String> names = model.parameterNames();
        List<Parameter> parameters = model.parameters();
        int count = in.readInt();
        if (count != parameters.size()) {
          throw new CorruptModelFileException(
              file + " holds " + count + " parameters, the network has " + parameters.size());
        }
        for (int i = 0; i < count; i++) {
          String name = in.readUTF();
          long[] dims = new long[in.readInt()];
          for (int d = 0; d < dims.length; d++) {
            dims[d] = in.readLong();
          }
          Shape expected = parameters.get(i).getArray().getShape();
          if (!name.equals(names.get(i)) || !new Shape(dims).equals(expected)) {
            throw new CorruptModelFileException(
                file
                    + ": parameter "
                    + i
                    + " is "
                    + name
                    + new Shape(dims)
                    + ", the network expects "
                    + names.get(i)
                    + expected);
          }
          float[] values = new float[in.readInt()];
          for (int v = 0; v < values.length; v++) {
            values[v] = in.readFloat();
          }
          model.overwriteParameter(i, values);
        }
        return model;
      } catch (IOException | RuntimeException e) {
        model.close();
        throw e;
      }
    } catch (IllegalArgumentException e) {
      throw new CorruptModelFileException(
          file + " has an invalid model description: " + e.getMessage());
    }
  }

  private static byte[] readExactly(InputStream in, int length, Path file, String what)
      throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new CorruptModelFileException(
          file
              + " is truncated: its "
              + what
              + " has "
              + bytes.length
              + " of "
              + length
              + " bytes");
    }
    return bytes;
  }

  private static int readHeaderInt(DataInputStream in, Path file) throws IOException {
    return java.nio.ByteBuffer.wrap(readExactly(in, 4, file, "header")).getInt();
  }

  private static long readHeaderLong(DataInputStream in, Path file) throws IOException {
    return java.nio.ByteBuffer.wrap(readExactly(in, 8, file, "header")).getLong();
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
