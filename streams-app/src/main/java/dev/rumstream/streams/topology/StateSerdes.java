package dev.rumstream.streams.topology;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Compact binary serdes of the forget-set state (internal state, not a contract: no registry, no
 * schema id in every value). Each value starts with a format byte so that a later release can read
 * what this one wrote. Hand-written with {@code DataOutput}: two small fixed records do not earn a
 * serialization library.
 */
final class StateSerdes {
  private static final byte FORMAT = 1;

  private StateSerdes() {}

  static Serde<OpenWindow> windows() {
    return serde(StateSerdes::writeWindow, StateSerdes::readWindow);
  }

  static Serde<GatheredRequest> requests() {
    return serde(StateSerdes::writeRequest, StateSerdes::readRequest);
  }

  private static void writeWindow(OpenWindow w, DataOutputStream out) throws IOException {
    out.writeUTF(w.modelId());
    out.writeLong(w.windowStart());
    out.writeInt(w.sequence());
    writeNullable(out, w.openedAt());
    writeNullable(out, w.earliestDeadline());
    out.writeInt(w.requests());
    out.writeInt(w.exampleIds());
    out.writeInt(w.forgetSetBytes());
    out.writeInt(w.jobBytes());
    out.writeInt(w.firstArrival());
    out.writeInt(w.nextArrival());
  }

  private static OpenWindow readWindow(DataInputStream in) throws IOException {
    return new OpenWindow(
        in.readUTF(),
        in.readLong(),
        in.readInt(),
        readNullable(in),
        readNullable(in),
        in.readInt(),
        in.readInt(),
        in.readInt(),
        in.readInt(),
        in.readInt(),
        in.readInt());
  }

  private static void writeRequest(GatheredRequest r, DataOutputStream out) throws IOException {
    out.writeUTF(r.requestId());
    writeNullable(out, r.subjectHash());
    writeNullable(out, r.reason());
    out.writeLong(r.requestedAt());
    writeNullable(out, r.deadline());
    out.writeInt(r.foldedDuplicateIds());
    out.writeBoolean(r.late());
    out.writeBoolean(r.auditSequence() != null);
    if (r.auditSequence() != null) {
      out.writeInt(r.auditSequence());
    }
    writeNullable(out, r.auditMac());
    out.writeInt(r.exampleIds().length);
    for (long id : r.exampleIds()) {
      writeVarLong(out, id);
    }
  }

  private static GatheredRequest readRequest(DataInputStream in) throws IOException {
    String requestId = in.readUTF();
    String subjectHash = readNullableString(in);
    String reason = readNullableString(in);
    long requestedAt = in.readLong();
    Long deadline = readNullable(in);
    int folded = in.readInt();
    boolean late = in.readBoolean();
    Integer auditSequence = in.readBoolean() ? in.readInt() : null;
    String auditMac = readNullableString(in);
    long[] ids = new long[in.readInt()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = readVarLong(in);
    }
    return new GatheredRequest(
        requestId,
        subjectHash,
        reason,
        requestedAt,
        deadline,
        folded,
        late,
        auditSequence,
        auditMac,
        ids);
  }

  private static void writeNullable(DataOutputStream out, Long value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeLong(value);
    }
  }

  private static Long readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readLong() : null;
  }

  private static void writeNullable(DataOutputStream out, String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeUTF(value);
    }
  }

  private static String readNullableString(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  /** Example ids are small non-negative numbers: seven bits a byte instead of eight bytes. */
  private static void writeVarLong(DataOutputStream out, long value) throws IOException {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  private static long readVarLong(DataInputStream in) throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.readByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("malformed varint");
  }

  private interface Writer<T> {
    void write(T value, DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
    return Serdes.serdeFrom(
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
          try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            writer.write(value, out);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return bytes.toByteArray();
        },
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
            byte format = in.readByte();
            if (format != FORMAT) {
              throw new IllegalStateException(
                  "forget-set state of format " + format + " was written by a newer release");
            }
            return reader.read(in);
          } catch (IOException e) {
            throw new UncheckedIOException("unreadable forget-set state", e);
          }
        });
  }
}
