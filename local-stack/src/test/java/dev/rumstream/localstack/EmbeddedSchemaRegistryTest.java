package dev.rumstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedSchemaRegistryTest {

  private static final String USER_V1 =
      """
            {"type":"record","name":"User","namespace":"dev.rumstream.test",
             "fields":[{"name":"id","type":"string"}]}""";

  /** V1 plus a field with a default: backward compatible. */
  private static final String USER_V2 =
      """
            {"type":"record","name":"User","namespace":"dev.rumstream.test",
             "fields":[{"name":"id","type":"string"},{"name":"age","type":"int","default":0}]}""";

  /** V1 plus a field without a default: the new schema cannot read V1 data. */
  private static final String USER_REQUIRED_EMAIL =
      """
            {"type":"record","name":"User","namespace":"dev.rumstream.test",
             "fields":[{"name":"id","type":"string"},{"name":"email","type":"string"}]}""";

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedSchemaRegistry registry;

  @BeforeEach
  void start() {
    registry = EmbeddedSchemaRegistry.start(0);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void urlIsLoopbackWithTheBoundPort() {
    assertThat(registry.url()).matches("http://127\\.0\\.0\\.1:\\d+").doesNotEndWith(":0");
  }

  @Test
  void registeringReturnsAnIdAndReRegisteringReturnsTheSameIdWithoutANewVersion() throws Exception {
    Reply first = register("users-value", USER_V1);
    // Same schema, other formatting: still the same schema.
    Reply again = register("users-value", USER_V1.replace(",", " ,\n  "));

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    int id = first.id();
    assertThat(id).isPositive();
    assertThat(again.id()).isEqualTo(id);
    assertThat(get("/subjects/users-value/versions").body()).hasToString("[1]");
  }

  @Test
  void theSameSchemaUnderAnotherSubjectGetsTheSameGlobalId() throws Exception {
    int id = register("users-value", USER_V1).id();

    Reply other = register("users-archive-value", USER_V1);

    assertThat(other.id()).isEqualTo(id);
    assertThat(get("/subjects").body()).hasToString("[\"users-archive-value\",\"users-value\"]");
  }

  @Test
  void aCompatibleEvolutionBecomesVersionTwoWithANewId() throws Exception {
    int v1 = register("users-value", USER_V1).id();

    Reply v2 = register("users-value", USER_V2);

    assertThat(v2.status()).isEqualTo(200);
    assertThat(v2.id()).isNotEqualTo(v1);
    assertThat(get("/subjects/users-value/versions").body()).hasToString("[1,2]");
    JsonNode latest = get("/subjects/users-value/versions/latest").body();
    assertThat(latest.get("subject").asText()).isEqualTo("users-value");
    assertThat(latest.get("version").asInt()).isEqualTo(2);
    assertThat(latest.get("id").asInt()).isEqualTo(v2.id());
    assertThat(json.readTree(latest.get("schema").asText())).isEqualTo(json.readTree(USER_V2));
    assertThat(get("/subjects/users-value/versions/1").id()).isEqualTo(v1);
  }

  @Test
  void anIncompatibleSchemaIsRefusedWith409UnderTheDefaultBackwardLevel() throws Exception {
    register("users-value", USER_V1);

    Reply refused = register("users-value", USER_REQUIRED_EMAIL);

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo(409);
    assertThat(refused.body().get("message").asText())
        .startsWith(
            "Schema being registered is incompatible with an earlier schema for subject "
                + "\"users-value\", details: ")
        .contains("READER_FIELD_MISSING_DEFAULT", "email", "BACKWARD");
    assertThat(get("/subjects/users-value/versions").body()).hasToString("[1]");
  }

  @Test
  void noneCompatibilityLetsAnIncompatibleSchemaThrough() throws Exception {
    assertThat(get("/config").body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    Reply put = send("PUT", "/config", Map.of("compatibility", "NONE"));
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.body().get("compatibility").asText()).isEqualTo("NONE");
    assertThat(get("/config").body().get("compatibilityLevel").asText()).isEqualTo("NONE");
    register("users-value", USER_V1);

    Reply accepted = register("users-value", USER_REQUIRED_EMAIL);

    assertThat(accepted.status()).isEqualTo(200);
    assertThat(get("/subjects/users-value/versions").body()).hasToString("[1,2]");
  }

  @Test
  void aSubjectLevelOverridesTheGlobalLevel() throws Exception {
    assertThat(get("/config/users-value").errorCode()).isEqualTo(40408);
    assertThat(send("PUT", "/config/users-value", Map.of("compatibility", "FORWARD")).status())
        .isEqualTo(200);
    assertThat(get("/config/users-value").body().get("compatibilityLevel").asText())
        .isEqualTo("FORWARD");
    assertThat(get("/config").body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    register("users-value", USER_V1);

    // Old readers ignore the new required field, so FORWARD accepts what BACKWARD refuses.
    assertThat(register("users-value", USER_REQUIRED_EMAIL).status()).isEqualTo(200);
    Reply invalid = send("PUT", "/config", Map.of("compatibility", "SIDEWAYS"));
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.errorCode()).isEqualTo(42203);
  }

  @Test
  void transitiveLevelsCheckEveryEarlierVersionNotOnlyTheLatest() throws Exception {
    String withOptionalEmail =
        USER_REQUIRED_EMAIL.replace(
            "\"type\":\"string\"}]", "\"type\":\"string\",\"default\":\"\"}]");
    send("PUT", "/config/transitive-value", Map.of("compatibility", "BACKWARD_TRANSITIVE"));
    for (String subject : new String[] {"latest-only-value", "transitive-value"}) {
      register(subject, USER_V1);
      assertThat(register(subject, withOptionalEmail).status()).isEqualTo(200);
    }

    // Reads version 2 data (email present) but not version 1 data (email missing, no default).
    Reply latestOnly = register("latest-only-value", USER_REQUIRED_EMAIL);
    Reply transitive = register("transitive-value", USER_REQUIRED_EMAIL);

    assertThat(latestOnly.status()).isEqualTo(200);
    assertThat(transitive.status()).isEqualTo(409);
    assertThat(transitive.body().get("message").asText()).contains("{oldSchemaVersion: 1}");
  }

  @Test
  void lookupFindsARegisteredSchemaAndReportsMissingSubjectsAndSchemas() throws Exception {
    int id = register("users-value", USER_V1).id();
    register("users-value", USER_V2);

    Reply found = send("POST", "/subjects/users-value", Map.of("schema", USER_V1));
    Reply noSubject = send("POST", "/subjects/nobody-value", Map.of("schema", USER_V1));
    Reply noSchema = send("POST", "/subjects/users-value", Map.of("schema", USER_REQUIRED_EMAIL));

    assertThat(found.status()).isEqualTo(200);
    assertThat(found.body().get("subject").asText()).isEqualTo("users-value");
    assertThat(found.id()).isEqualTo(id);
    assertThat(found.body().get("version").asInt()).isEqualTo(1);
    assertThat(json.readTree(found.body().get("schema").asText()))
        .isEqualTo(json.readTree(USER_V1));
    assertThat(noSubject.status()).isEqualTo(404);
    assertThat(noSubject.errorCode()).isEqualTo(40401);
    assertThat(noSchema.status()).isEqualTo(404);
    assertThat(noSchema.errorCode()).isEqualTo(40403);
  }

  @Test
  void schemasAreFetchedByIdAndUnknownIdsAre40403() throws Exception {
    int id = register("users-value", USER_V1).id();

    Reply found = get("/schemas/ids/" + id);
    Reply missing = get("/schemas/ids/999");

    assertThat(found.status()).isEqualTo(200);
    assertThat(json.readTree(found.body().get("schema").asText()))
        .isEqualTo(json.readTree(USER_V1));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo(40403);
    assertThat(missing.body().get("message").asText()).isEqualTo("Schema 999 not found");
  }

  @Test
  void versionsOfUnknownSubjectsAndUnknownVersionsAreReported() throws Exception {
    register("users-value", USER_V1);

    assertThat(get("/subjects/nobody-value/versions").errorCode()).isEqualTo(40401);
    assertThat(get("/subjects/nobody-value/versions/latest").errorCode()).isEqualTo(40401);
    Reply missingVersion = get("/subjects/users-value/versions/7");
    assertThat(missingVersion.status()).isEqualTo(404);
    assertThat(missingVersion.errorCode()).isEqualTo(40402);
    assertThat(get("/subjects/users-value/versions/zero").errorCode()).isEqualTo(42202);
  }

  @Test
  void anUnparseableSchemaIs42201() throws Exception {
    Reply notJson = register("users-value", "{\"type\":\"record\",");
    Reply unknownType =
        register("users-value", "{\"type\":\"recrod\",\"name\":\"X\",\"fields\":[]}");
    Reply protobuf =
        send(
            "POST",
            "/subjects/users-value/versions",
            Map.of("schema", "syntax = \"proto3\";", "schemaType", "PROTOBUF"));

    for (Reply reply : new Reply[] {notJson, unknownType, protobuf}) {
      assertThat(reply.status()).isEqualTo(422);
      assertThat(reply.errorCode()).isEqualTo(42201);
    }
    assertThat(get("/subjects").body()).hasToString("[]");
  }

  @Test
  void urlEncodedSubjectNamesAreDecoded() throws Exception {
    int id =
        send(
                "POST",
                "/subjects/dev.rumstream%2Fusers+v1%20value/versions",
                Map.of("schema", USER_V1))
            .id();

    assertThat(get("/subjects").body()).hasToString("[\"dev.rumstream/users+v1 value\"]");
    assertThat(get("/subjects/dev.rumstream%2Fusers%2Bv1%20value/versions/1").id()).isEqualTo(id);
  }

  @Test
  void unknownRoutesAre404() throws Exception {
    Reply reply = get("/not/a/route");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.errorCode()).isEqualTo(404);
  }

  @Test
  void aTestHookRecordsRequestsAndGivesTheAnswersScriptedThere() throws Exception {
    RegistryTestHook hook = new RegistryTestHook();
    registry.close();
    registry = EmbeddedSchemaRegistry.start(0, hook);
    hook.answerNext(1, RegistryTestHook.Answer.error(503, 50301, "try later"));
    hook.answer(
        "GET", "/schemas/ids/42", RegistryTestHook.Answer.ok("{\"schema\":\"\\\"int\\\"\"}"));

    Reply unavailable = get("/subjects");
    Reply afterwards = get("/subjects");
    Reply scripted = get("/schemas/ids/42");

    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.body().get("message").asText()).isEqualTo("try later");
    assertThat(afterwards.status()).isEqualTo(200);
    assertThat(afterwards.body()).hasToString("[]");
    assertThat(scripted.body().get("schema").asText()).isEqualTo("\"int\"");
    assertThat(hook.requests())
        .extracting(RegistryTestHook.Request::method, RegistryTestHook.Request::path)
        .containsExactly(
            tuple("GET", "/subjects"), tuple("GET", "/subjects"), tuple("GET", "/schemas/ids/42"));
  }

  private record Reply(int status, String contentType, JsonNode body) {
    int id() {
      return body.get("id").asInt();
    }

    int errorCode() {
      return body.get("error_code").asInt();
    }
  }

  private Reply register(String subject, String schema) throws Exception {
    return send("POST", "/subjects/" + subject + "/versions", Map.of("schema", schema));
  }

  private Reply get(String path) throws IOException, InterruptedException {
    return exchange(HttpRequest.newBuilder(URI.create(registry.url() + path)).GET());
  }

  private Reply send(String method, String path, Map<String, String> body) throws Exception {
    return exchange(
        HttpRequest.newBuilder(URI.create(registry.url() + path))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  private Reply exchange(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        json.readTree(response.body()));
  }
}
