package dev.rumstream.streams.topology;

import dev.rumstream.avro.state.OutstandingRequest;
import dev.rumstream.avro.state.RequestHistory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Compact binary serdes of the topology's internal state (not a contract: no registry, no schema id
 * in every value). Each value starts with a format byte so that a later release can read what this
 * one wrote; the status stores' values that earlier releases wrote in the registry's wire format
 * (whose first byte is 0) are still read. Hand-written with {@code DataOutput}: a few small fixed
 * records do not earn a serialization library.
 */
final class StateSerdes {
  private static final byte FORMAT = 1;
  private static final byte REGISTRY_WIRE_FORMAT = 0;

  private StateSerdes() {}

  static Serde<OpenWindow> windows() {
    return serde(StateSerdes::writeWindow, StateSerdes::readWindow, null);
  }

  static Serde<GatheredRequest> requests() {
    return serde(StateSerdes::writeRequest, StateSerdes::readRequest, null);
  }

  /**
   * A request's audit trail: its records' bytes as the topic holds them, each length-prefixed, so
   * appending one decodes none of them; {@code legacy} reads what earlier releases wrote.
   */
  static Serde<RequestHistory> histories(Deserializer<RequestHistory> legacy) {
    return serde(StateSerdes::writeHistory, StateSerdes::readHistory, legacy);
  }

  /** An outstanding request's entry; {@code legacy} reads what earlier releases wrote. */
  static Serde<OutstandingRequest> outstanding(Deserializer<OutstandingRequest> legacy) {
    return serde(StateSerdes::writeOutstanding, StateSerdes::readOutstanding, legacy);
  }

  private static void writeHistory(RequestHistory h, DataOutputStream out) throws IOException {
    writeVarLong(out, h.getRecords().size());
    for (ByteBuffer record : h.getRecords()) {
      ByteBuffer bytes = record.duplicate();
      writeVarLong(out, bytes.remaining());
      if (bytes.hasArray()) {
        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
      } else {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        out.write(copy);
      }
    }
  }

  private static RequestHistory readHistory(DataInputStream in) throws IOException {
    int count = (int) readVarLong(in);
    List<ByteBuffer> records = new ArrayList<>(count + 1);
    for (int i = 0; i < count; i++) {
      byte[] record = new byte[(int) readVarLong(in)];
      in.readFully(record);
      records.add(ByteBuffer.wrap(record));
    }
    return new RequestHistory(records);
  }

  private static void writeOutstanding(OutstandingRequest o, DataOutputStream out)
      throws IOException {
    out.writeUTF(o.getModelId());
    out.writeLong(o.getAcceptedAt());
    writeNullable(out, o.getDeadline());
    out.writeUTF(o.getStage());
  }

  private static OutstandingRequest readOutstanding(DataInputStream in) throws IOException {
    return new OutstandingRequest(in.readUTF(), in.readLong(), readNullable(in), in.readUTF());
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

  /** Writes the format byte and the value; reads it back, or {@code legacy} reads it (if any). */
  private static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader, Deserializer<T> legacy) {
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
          if (legacy != null && data.length > 0 && data[0] == REGISTRY_WIRE_FORMAT) {
            return legacy.deserialize(topic, data);
          }
          try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte format = in.readByte();
            if (format != FORMAT) {
              throw new IllegalStateException(
                  "state of format " + format + " in " + topic + " was written by a newer release");
            }
            return reader.read(in);
          } catch (IOException e) {
            throw new UncheckedIOException("unreadable state in " + topic, e);
          }
        });
  }
}
