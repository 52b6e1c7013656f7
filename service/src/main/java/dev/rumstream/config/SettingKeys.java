package dev.rumstream.config;

import dev.rumstream.topics.Topic;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code rumstream.*} keys an application reads: those of its defaults, the topic names of the
 * catalogue ({@link Topic#nameKey()}) and the open families below. An open family belongs to an
 * application whose defaults hold a key under the family's prefix (the streams app's {@code
 * rumstream.policy.preset}, the worker's {@code rumstream.job.default.hp.retain_count}).
 */
public final class SettingKeys {
  /**
   * A family of keys with a free part: its prefix, how its members look, and the members nearest to
   * a key (its own last segment as the free name).
   */
  private record Family(String prefix, Pattern members, Function<String, List<String>> nearest) {}

  private static final List<String> LEVELS = List.of("low", "medium", "high");

  private static final List<Family> OPEN_FAMILIES =
      List.of(
          new Family(
              "rumstream.policy.",
              Pattern.compile("rumstream\\.policy\\.(low|medium|high)\\.algorithm"),
              key -> LEVELS.stream().map(l -> "rumstream.policy." + l + ".algorithm").toList()),
          new Family(
              "rumstream.policy.",
              Pattern.compile("rumstream\\.policy\\.(low|medium|high)\\.hp\\.[a-z0-9_]+"),
              key ->
                  LEVELS.stream().map(l -> "rumstream.policy." + l + ".hp." + last(key)).toList()),
          new Family(
              "rumstream.job.default.hp.",
              Pattern.compile("rumstream\\.job\\.default\\.hp\\.[a-z0-9_]+"),
              key -> List.of("rumstream.job.default.hp." + last(key))),
          new Family(
              "rumstream.gate.fallback.",
              Pattern.compile("rumstream\\.gate\\.fallback\\.(low|medium|high)\\.hp\\.[a-z0-9_]+"),
              key ->
                  LEVELS.stream()
                      .map(l -> "rumstream.gate.fallback." + l + ".hp." + last(key))
                      .toList()),
          // Per-model gate thresholds: rumstream.gate.model.<model id, dots allowed>.<threshold>.
          new Family(
              "rumstream.gate.",
              Pattern.compile(
                  "rumstream\\.gate\\.model\\..+\\.(max\\.retain\\.drop|max\\.test\\.drop"
                      + "|max\\.under\\.forgetting|under\\.forgetting\\.levels"
                      + "|max\\.over\\.forgetting|over\\.forgetting\\.levels)"),
              key -> List.of("rumstream.gate.model.<model>.max.test.drop")));

  private final Set<String> known;
  private final List<Family> families;

  private SettingKeys(Set<String> defaultKeys) {
    Set<String> keys = new TreeSet<>();
    defaultKeys.stream().filter(key -> key.startsWith(Settings.PREFIX)).forEach(keys::add);
    Topic.all().forEach(topic -> keys.add(topic.nameKey()));
    this.known = Set.copyOf(keys);
    this.families =
        OPEN_FAMILIES.stream()
            .filter(family -> keys.stream().anyMatch(key -> key.startsWith(family.prefix())))
            .toList();
  }

  /** The keys of an application whose defaults have these keys. */
  public static SettingKeys of(Set<String> defaultKeys) {
    return new SettingKeys(defaultKeys);
  }

  /**
   * Why {@code key} is not a setting, naming the nearest one; empty for a known key and for keys
   * outside {@code rumstream.*} (those go to Kafka and the serdes).
   */
  public Optional<String> problem(String key) {
    if (!key.startsWith(Settings.PREFIX)
        || known.contains(key)
        || families.stream().anyMatch(family -> family.members().matcher(key).matches())) {
      return Optional.empty();
    }
    String nearest =
        Stream.concat(
                known.stream(), families.stream().flatMap(f -> f.nearest().apply(key).stream()))
            .min(Comparator.comparingInt((String candidate) -> distance(key, candidate)))
            .orElseThrow();
    return Optional.of(key + " is not a setting; did you mean " + nearest + "?");
  }

  private static String last(String key) {
    return key.substring(key.lastIndexOf('.') + 1);
  }

  /** Levenshtein distance: the fewest single-character edits that turn one into the other. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
