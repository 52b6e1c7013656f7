package dev.rumstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Dockerfiles (no Docker engine here to build them): multi-stage Maven builds of the right
 * module, pinned base images, a non-root user, a health check on the application's own port, and an
 * entry point that exists.
 */
class DockerfilesTest {
  private static final Pattern FROM =
      Pattern.compile("(?m)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");

  @ParameterizedTest
  @CsvSource({
    "streams-app/Dockerfile, streams-app, dev.rumstream.streams.StreamsApp, streams, false",
    "unlearn-worker/Dockerfile, unlearn-worker, dev.rumstream.worker.WorkerApp, worker, false",
    "unlearn-worker/Dockerfile.cuda, unlearn-worker, dev.rumstream.worker.WorkerApp, worker, true"
  })
  void buildsTheModuleIntoAPinnedNonRootImageWithAHealthCheck(
      String dockerfile, String module, String mainClass, String app, boolean cuda) {
    String text = Repo.read(Repo.ROOT.resolve(dockerfile)).replace("\\\n", " ");
    List<String> images = new ArrayList<>();
    Matcher from = FROM.matcher(text);
    while (from.find()) {
      images.add(from.group(1));
    }
    assertThat(images)
        .as("base images of %s", dockerfile)
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            image ->
                assertThat(image)
                    .as("pinned by tag")
                    .matches("[^:]+:[^:]*\\d[^:]*")
                    .doesNotEndWith(":latest"));
    assertThat(images.get(0)).as("build stage").contains("eclipse-temurin-17");
    assertThat(images.get(images.size() - 1))
        .as("runtime stage")
        .startsWith("eclipse-temurin:17.")
        .contains("-jre");

    assertThat(text)
        .containsPattern(
            "mvn .*"
                + (cuda ? "-Pcuda .*" : "")
                + "-pl "
                + module
                + " -am package "
                + "dependency:copy-dependencies")
        .contains("COPY --from=build /src/" + module + "/target/classes/ /app/classes/")
        .contains("COPY --from=build /src/" + module + "/target/dependency/ /app/lib/")
        .containsPattern("(?m)^USER 10001$");
    if (!cuda) {
      assertThat(text).doesNotContain("-Pcuda");
    }

    Properties defaults =
        app.equals("streams") ? KnownSettings.streamsDefaults() : KnownSettings.workerDefaults();
    String port = defaults.getProperty("rumstream.http.port");
    assertThat(text)
        .containsPattern("(?m)^EXPOSE " + port + "$")
        .containsPattern(
            "HEALTHCHECK .*CMD curl -fsS \"http://127\\.0\\.0\\.1:\\$\\{RUMSTREAM_HTTP_PORT:-"
                + port
                + "}/health/live\"");

    assertThat(text)
        .containsPattern(
            "ENTRYPOINT \\[.*\"-cp\", \"/app/classes:/app/lib/\\*\", \"" + mainClass + "\"\\]");
    Path source =
        Repo.ROOT.resolve(module + "/src/main/java/" + mainClass.replace('.', '/') + ".java");
    assertThat(source).as("the entry point's source").isRegularFile();
    assertThat(Repo.read(source)).contains("public static void main(String[] args)");
    if (app.equals("worker")) {
      assertThat(text)
          .contains("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.rumstream.avro")
          .contains("DJL_CACHE_DIR=/var/cache/djl")
          .contains("COPY --from=dataset /usr/share/datasets/fashion-mnist/");
    }
  }

  @ParameterizedTest
  @CsvSource({"unlearn-worker/pom.xml"})
  void theCudaProfileAddsTheCudaNatives(String pom) {
    String text = Repo.read(Repo.ROOT.resolve(pom)) + Repo.read(Repo.ROOT.resolve("pom.xml"));
    assertThat(text).contains("<id>cuda</id>").contains("pytorch-native-cu124");
  }

  @ParameterizedTest
  @CsvSource({".dockerignore"})
  void theBuildContextLeavesOutputsAndHistory(String file) {
    assertThat(Repo.read(Repo.ROOT.resolve(file))).contains("**/target/").contains(".git/");
  }
}
