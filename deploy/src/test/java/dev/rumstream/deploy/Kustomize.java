package dev.rumstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with {@code kubectl kustomize} (the kubectl named by $KUBECTL, else the
 * one on the PATH; CI installs it, see .ci/run) and parses the result into fabric8's Kubernetes
 * model.
 */
final class Kustomize {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Map<Path, Rendered> CACHE = new ConcurrentHashMap<>();

  record Rendered(String yaml, List<HasMetadata> objects) {}

  private Kustomize() {}

  static Rendered render(Path kustomization) {
    return CACHE.computeIfAbsent(kustomization, Kustomize::run);
  }

  private static Rendered run(Path kustomization) {
    List<String> command = List.of(Tool.KUBECTL.command(), "kustomize", kustomization.toString());
    Process process = Tool.KUBECTL.start(command, false);
    try {
      byte[] out = process.getInputStream().readAllBytes();
      byte[] err = process.getErrorStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
      }
      String yaml = new String(out, StandardCharsets.UTF_8);
      assertThat(process.exitValue())
          .as("%s failed:%n%s", String.join(" ", command), new String(err, StandardCharsets.UTF_8))
          .isZero();
      return new Rendered(yaml, parse(yaml, kustomization));
    } catch (IOException e) {
      throw new AssertionError(
          "Reading the output of " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted", e);
    }
  }

  /**
   * Every document as a typed Kubernetes object (GenericKubernetesResource for custom resources),
   * strictly.
   */
  static List<HasMetadata> parse(String yaml, Path source) {
    Object parsed;
    try {
      parsed = SERIALIZATION.unmarshal(yaml);
    } catch (RuntimeException e) {
      throw new AssertionError(
          "The manifests of " + source + " do not parse as Kubernetes objects: " + e.getMessage(),
          e);
    }
    List<HasMetadata> objects = new ArrayList<>();
    if (parsed instanceof Collection<?> many) {
      many.forEach(o -> objects.add(asObject(o, source)));
    } else if (parsed != null) {
      objects.add(asObject(parsed, source));
    }
    for (HasMetadata object : objects) {
      List<String> unknown = new ArrayList<>();
      unknownFields(object, object.getKind() + "/" + object.getMetadata().getName(), unknown);
      assertThat(unknown)
          .as("fields the Kubernetes API does not know (misspelt or misplaced) in %s", source)
          .isEmpty();
    }
    return objects;
  }

  private static HasMetadata asObject(Object parsed, Path source) {
    assertThat(parsed).as("a document of %s", source).isInstanceOf(HasMetadata.class);
    HasMetadata object = (HasMetadata) parsed;
    assertThat(object.getMetadata())
        .as("metadata of a %s in %s", object.getKind(), source)
        .isNotNull();
    assertThat(object.getMetadata().getName())
        .as("name of a %s in %s", object.getKind(), source)
        .isNotBlank();
    return object;
  }

  /**
   * Collects the fields fabric8's typed model kept as "additional properties": for built-in kinds,
   * fields the API does not have. Custom resources are generic: only their metadata is typed.
   */
  private static void unknownFields(Object node, String path, List<String> unknown) {
    if (node == null) {
      return;
    }
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        unknownFields(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> unknownFields(value, path + "." + key, unknown));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    if (node instanceof GenericKubernetesResource generic) {
      unknownFields(generic.getMetadata(), path + ".metadata", unknown);
      return;
    }
    for (Method method : node.getClass().getMethods()) {
      if (method.getParameterCount() != 0
          || Modifier.isStatic(method.getModifiers())
          || !method.getName().startsWith("get")
          || method.getName().equals("getClass")) {
        continue;
      }
      Object value;
      try {
        value = method.invoke(node);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (method.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
      } else if (value instanceof KubernetesResource
          || value instanceof Collection<?>
          || value instanceof Map<?, ?>
          || (value != null
              && value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model"))) {
        String field =
            Character.toLowerCase(method.getName().charAt(3)) + method.getName().substring(4);
        unknownFields(value, path + "." + field, unknown);
      }
    }
  }
}
