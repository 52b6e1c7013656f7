package dev.rumstream.service;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import dev.rumstream.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may call a service's HTTP API: anyone, or, with {@code rumstream.http.auth.token} set, only a
 * caller that sends it as {@code Authorization: Bearer <token>}. Health checks stay open (probes
 * send no token); metrics are served on {@code rumstream.metrics.port} without a token when that is
 * set, and otherwise on the HTTP port behind the token like the rest.
 *
 * @param bearerToken the token every API call must carry; empty: none needed
 * @param metricsPort the port of an open {@code /metrics} of its own; -1: metrics on the HTTP port
 */
public record HttpAccess(String bearerToken, int metricsPort) {
  public static final String TOKEN = "rumstream.http.auth.token";
  public static final String METRICS_PORT = "rumstream.metrics.port";
  public static final int METRICS_ON_HTTP_PORT = -1;

  public static HttpAccess from(Settings settings) {
    String port = settings.string(METRICS_PORT, "");
    return new HttpAccess(
        settings.string(TOKEN, ""),
        port.isEmpty() ? METRICS_ON_HTTP_PORT : settings.integer(METRICS_PORT));
  }

  boolean protectsApi() {
    return !bearerToken.isEmpty();
  }

  boolean metricsOnTheirOwnPort() {
    return metricsPort != METRICS_ON_HTTP_PORT;
  }

  /** Checks the bearer token in constant time; answers 401 with a challenge otherwise. */
  Authenticator authenticator() {
    byte[] expected = bearerToken.getBytes(StandardCharsets.UTF_8);
    return new Authenticator() {
      @Override
      public Result authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null
            && header.regionMatches(true, 0, "Bearer ", 0, 7)
            && MessageDigest.isEqual(
                expected, header.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
          return new Success(new HttpPrincipal("bearer", "rumstream"));
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"rumstream\"");
        return new Failure(401);
      }
    };
  }
}
