package dev.rumstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every PromQL expression of the Grafana dashboard and the alert rules, with where it is used. */
final class Expressions {
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$");
  private static final Pattern QUERY_RESULT = Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$");

  private Expressions() {}

  /** Expression by source ("dashboard panel 'title' A", "alert RumstreamDeadLettersGrowing"). */
  static Map<String, String> all() {
    Map<String, String> expressions = new LinkedHashMap<>();
    expressions.putAll(dashboard(Repo.json(Repo.DASHBOARD)));
    expressions.putAll(rules(Repo.yaml(Repo.RULES)));
    return expressions;
  }

  static Map<String, String> dashboard(JsonNode dashboard) {
    Map<String, String> expressions = new LinkedHashMap<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          expressions.put(
              "dashboard panel '"
                  + panel.path("title").asText()
                  + "' "
                  + target.path("refId").asText(),
              target.path("expr").asText());
        }
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if ("query".equals(variable.path("type").asText())) {
        JsonNode query = variable.path("query");
        String text = query.isObject() ? query.path("query").asText() : query.asText();
        Matcher labelValues = LABEL_VALUES.matcher(text);
        Matcher queryResult = QUERY_RESULT.matcher(text);
        String expression =
            labelValues.matches()
                ? labelValues.group(1)
                : queryResult.matches() ? queryResult.group(1) : text;
        expressions.put("dashboard variable $" + variable.path("name").asText(), expression);
      }
    }
    return expressions;
  }

  /** Panels at every depth (rows may nest theirs). */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> found = new ArrayList<>();
    collect(dashboard.path("panels"), found);
    return found;
  }

  private static void collect(JsonNode panels, List<JsonNode> found) {
    for (JsonNode panel : panels) {
      found.add(panel);
      collect(panel.path("panels"), found);
    }
  }

  static Map<String, String> rules(JsonNode rules) {
    Map<String, String> expressions = new LinkedHashMap<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String name =
            rule.has("alert")
                ? "alert " + rule.path("alert").asText()
                : "record " + rule.path("record").asText();
        expressions.put(name, rule.path("expr").asText());
      }
    }
    return expressions;
  }

  /** Metric name -> the sources that use it. */
  static Map<String, Set<String>> metricNamesBySource() {
    Map<String, Set<String>> names = new TreeMap<>();
    all()
        .forEach(
            (source, expression) ->
                PromQl.metricNames(expression)
                    .forEach(
                        name -> names.computeIfAbsent(name, n -> new TreeSet<>()).add(source)));
    return names;
  }
}
