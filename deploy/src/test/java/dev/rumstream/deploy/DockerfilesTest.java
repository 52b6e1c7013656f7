package dev.rumstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Dockerfiles (no Docker engine here to build them): multi-stage Maven builds of the rumstream
 * command, pinned base images (the CUDA image on the CUDA runtime its natives were built for), a
 * non-root user, a health check on the application's own port, and the rumstream command as the
 * entry point with the service as its default argument.
 */
class DockerfilesTest {
  private static final Pattern FROM =
      Pattern.compile("(?m)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");

  @ParameterizedTest
  @CsvSource({
    "streams-app/Dockerfile, streams, false",
    "unlearn-worker/Dockerfile, worker, false",
    "unlearn-worker/Dockerfile.cuda, worker, true"
  })
  void buildsTheRumstreamCommandIntoAPinnedNonRootImageWithAHealthCheck(
      String dockerfile, String service, boolean cuda) {
    String text = Repo.read(Repo.ROOT.resolve(dockerfile)).replace("\\\n", " ");
    List<String> images = new ArrayList<>();
    Map<String, String> stages = new HashMap<>();
    Matcher from = FROM.matcher(text);
    while (from.find()) {
      images.add(from.group(1));
      if (from.group(2) != null) {
        stages.put(from.group(2), from.group(1));
      }
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
    String runtime = images.get(images.size() - 1);
    if (cuda) {
      assertThat(runtime)
          .as("the CUDA runtime the natives were built for, on the JRE's Ubuntu")
          .startsWith("nvidia/cuda:" + cudaVersionOfTheNatives() + ".")
          .contains("runtime-ubuntu22.04");
      assertThat(stages.get("jre")).startsWith("eclipse-temurin:17.").contains("-jre-jammy");
      assertThat(text).contains("COPY --from=jre /opt/java/openjdk /opt/java/openjdk");
    } else {
      assertThat(runtime).as("runtime stage").startsWith("eclipse-temurin:17.").contains("-jre");
      assertThat(text).doesNotContain("-Pcuda");
    }

    assertThat(text)
        .containsPattern(
            "mvn .*"
                + (cuda ? "-Pcuda .*" : "")
                + "-pl cli -am package dependency:copy-dependencies")
        .contains("COPY --from=build /src/cli/target/classes/ /app/classes/")
        .contains("COPY --from=build /src/cli/target/dependency/ /app/lib/")
        .contains("COPY deploy/docker/rumstream /usr/local/bin/rumstream")
        .containsPattern("(?m)^USER 10001$")
        .containsPattern("(?m)^ENTRYPOINT \\[\"rumstream\"\\]$")
        .containsPattern("(?m)^CMD \\[\"" + service + "\"\\]$");

    Properties defaults =
        service.equals("streams")
            ? KnownSettings.streamsDefaults()
            : KnownSettings.workerDefaults();
    String port = defaults.getProperty("rumstream.http.port");
    assertThat(text)
        .containsPattern("(?m)^EXPOSE " + port + "$")
        .containsPattern(
            "HEALTHCHECK .*CMD curl -fsS \"http://127\\.0\\.0\\.1:\\$\\{RUMSTREAM_HTTP_PORT:-"
                + port
                + "}/health/live\"");
    assertThat(Repo.read(Repo.ROOT.resolve("cli/src/main/java/dev/rumstream/cli/Rumstream.java")))
        .as("the command the image runs has the subcommand")
        .contains("addSubcommand(\"" + service + "\"");
    if (service.equals("worker")) {
      assertThat(text)
          .contains("DJL_CACHE_DIR=/var/cache/djl")
          .contains("COPY --from=dataset /usr/share/datasets/fashion-mnist/");
    }
  }

  @ParameterizedTest
  @CsvSource({"deploy/docker/rumstream"})
  void theImagesCommandRunsTheRumstreamMainClassWithTheTrustedAvroPackage(String script) {
    Path file = Repo.ROOT.resolve(script);
    assertThat(file).isExecutable();
    assertThat(Repo.read(file))
        .startsWith("#!/bin/sh")
        .contains("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.rumstream.avro")
        .contains("-Dai.djl.offline=true")
        .contains("-cp \"/app/classes:/app/lib/*\" dev.rumstream.cli.Rumstream \"$@\"");
  }

  /** 12.4 for pytorch-native-cu124: the CUDA build of the natives the cuda profile adds. */
  private static String cudaVersionOfTheNatives() {
    Matcher cu =
        Pattern.compile("<artifactId>pytorch-native-cu(\\d+)(\\d)</artifactId>")
            .matcher(Repo.read(Repo.ROOT.resolve("cli/pom.xml")));
    assertThat(cu.find()).as("the cuda profile's natives").isTrue();
    return cu.group(1) + "." + cu.group(2);
  }

  @ParameterizedTest
  @CsvSource({"cli/pom.xml"})
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
