package dev.rumstream.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.rumstream.service.ServiceHttp;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.io.IOException;
import java.util.Optional;

/**
 * The worker's {@code GET /models/{id}/current}: the version of a model that serves (the PROMOTED
 * one) with where its parameters are, their checksum, its evidence and its gate verdict, for a
 * serving system to load and verify. 404 when the model has no promoted version in this worker's
 * store.
 */
final class ModelEndpoint implements HttpHandler {
  static final String PATH = "/models/";
  private final ModelStore store;

  ModelEndpoint(ModelStore store) {
    this.store = store;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = ServiceHttp.getPath(exchange, PATH);
    if (path == null) {
      return;
    }
    if (!path.endsWith("/current") || path.length() == "/current".length()) {
      ServiceHttp.json(exchange, 400, ServiceHttp.error("expected /models/{modelId}/current"));
      return;
    }
    String model = path.substring(0, path.length() - "/current".length());
    Optional<VersionManifest> current = store.promoted(model);
    if (current.isEmpty()) {
      ServiceHttp.json(
          exchange, 404, ServiceHttp.error("no promoted version of model '" + model + "'"));
      return;
    }
    ServiceHttp.json(exchange, 200, ModelDescriptor.of(current.get(), store));
  }
}
