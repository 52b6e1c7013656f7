package dev.rumstream.worker.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version's {@code manifest.json} on disk: JSON, fsynced, and replaced in one atomic rename, so a
 * crash leaves the old or the new manifest, never half of one.
 */
final class ManifestFile {
  static final String NAME = "manifest.json";
  private static final Pattern VERSION_DIR = Pattern.compile("v(\\d{6,})");

  private final ObjectMapper json =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /** Whether a directory name is a version's ({@code v000012}). */
  static boolean isVersionDirectory(Path dir) {
    return VERSION_DIR.matcher(dir.getFileName().toString()).matches();
  }

  /** The manifest in a version directory; refused when unreadable or of another version. */
  VersionManifest read(Path versionDir) {
    Matcher matcher = VERSION_DIR.matcher(versionDir.getFileName().toString());
    try {
      VersionManifest manifest =
          json.readValue(versionDir.resolve(NAME).toFile(), VersionManifest.class);
      if (matcher.matches() && Long.parseLong(matcher.group(1)) != manifest.version()) {
        throw new CorruptVersionException(
            versionDir + " holds the manifest of version " + manifest.version());
      }
      return manifest;
    } catch (IOException e) {
      throw new CorruptVersionException(
          "Unreadable manifest in " + versionDir + ": " + e.getMessage(), e);
    }
  }

  /** Writes the manifest into a (staging) directory. */
  void write(Path dir, VersionManifest manifest) throws IOException {
    json.writeValue(dir.resolve(NAME).toFile(), manifest);
  }

  /** Replaces the manifest of a stored version: written beside it, fsynced, renamed over it. */
  void replace(Path versionDir, VersionManifest manifest) throws IOException {
    Path next = versionDir.resolve(NAME + ".next");
    json.writeValue(next.toFile(), manifest);
    fsync(next);
    Files.move(
        next,
        versionDir.resolve(NAME),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    fsync(versionDir);
  }

  static void fsync(Path path) throws IOException {
    boolean directory = Files.isDirectory(path);
    try (FileChannel channel =
        FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }
}
