package dev.rumstream.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects. Not a full parser: it removes what cannot name a
 * metric (string literals, label matchers in braces, range and subquery brackets, the label lists
 * of by / without / on / ignoring / group_left / group_right, Grafana variables), then keeps the
 * identifiers that are not functions, keywords or numbers. Enough for the expressions of this
 * repository's dashboard and alert rules, and tested on them.
 */
final class PromQl {
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "offset",
          "bool",
          "and",
          "or",
          "unless",
          "inf",
          "nan",
          "atan2");
  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern BRACES = Pattern.compile("\\{[^{}]*}");
  private static final Pattern BRACKETS = Pattern.compile("\\[[^\\[\\]]*]");
  private static final Pattern LABEL_LIST =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern DURATION_OR_NUMBER =
      Pattern.compile("(?<![a-zA-Z_:])[0-9][0-9a-zA-Z.]*");

  private PromQl() {}

  static Set<String> metricNames(String expression) {
    String rest = STRING.matcher(expression).replaceAll(" ");
    rest = VARIABLE.matcher(rest).replaceAll(" ");
    rest = BRACES.matcher(rest).replaceAll(" ");
    rest = BRACKETS.matcher(rest).replaceAll(" ");
    rest = LABEL_LIST.matcher(rest).replaceAll(" ");
    rest = DURATION_OR_NUMBER.matcher(rest).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher matcher = IDENTIFIER.matcher(rest);
    while (matcher.find()) {
      String name = matcher.group();
      int next = matcher.end();
      while (next < rest.length() && Character.isWhitespace(rest.charAt(next))) {
        next++;
      }
      boolean isFunctionCall = next < rest.length() && rest.charAt(next) == '(';
      if (!isFunctionCall && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * The name a scrape exposes for a histogram or summary series: without _bucket, _sum or _count.
   */
  static String family(String metricName) {
    return metricName.replaceFirst("_(bucket|sum|count)$", "");
  }
}
