package dev.ktriage.store.opensearch;

import dev.ktriage.depot.StoreUnavailableException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * REST calls to the cluster through the OpenSearch Java client's generic API: a method, a path, a
 * JSON (or NDJSON) body, and the answer's status and JSON. Transport failures become
 * {@link StoreUnavailableException} with the cluster's location. Thread-safe.
 */
final class Rest implements AutoCloseable {
  private final ApacheHttpClient5Transport transport;
  private final OpenSearchGenericClient client;
  private final String location;

  /** An answer. */
  record Answer(int status, JsonStructure json) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    JsonObject object() {
      return json instanceof JsonObject o ? o : JsonObject.EMPTY_JSON_OBJECT;
    }

    /** The error's type and reason, for messages. */
    String reason() {
      JsonObject o = object();
      if (o.containsKey("error") && o.get("error") instanceof JsonObject e) {
        return e.getString("type", "error") + ": " + e.getString("reason", "");
      }
      return "HTTP " + status;
    }
  }

  Rest(OpenSearchStoreConfig cfg) throws StoreUnavailableException {
    this.location = cfg.location();
    HttpHost[] hosts = cfg.urls().stream().map(u -> new HttpHost(u.getScheme(), u.getHost(),
        u.getPort() < 0 ? ("https".equals(u.getScheme()) ? 443 : 80) : u.getPort())).toArray(HttpHost[]::new);
    SSLContext ssl;
    try {
      ssl = cfg.caFile().isPresent() ? sslFor(cfg) : null;
    } catch (IOException | GeneralSecurityException e) {
      throw new StoreUnavailableException(location, "cannot read the CA file " + cfg.caFile().get() + ": "
          + e.getMessage(), e);
    }
    ApacheHttpClient5TransportBuilder b = ApacheHttpClient5TransportBuilder.builder(hosts);
    b.setHttpClientConfigCallback(http -> {
      if (cfg.user().isPresent()) {
        BasicCredentialsProvider creds = new BasicCredentialsProvider();
        for (HttpHost h : hosts) {
          creds.setCredentials(new AuthScope(h), new UsernamePasswordCredentials(cfg.user().get(),
              cfg.password().orElse("").toCharArray()));
        }
        http.setDefaultCredentialsProvider(creds);
      }
      PoolingAsyncClientConnectionManagerBuilder cm = PoolingAsyncClientConnectionManagerBuilder.create()
          .setMaxConnTotal(32).setMaxConnPerRoute(16);
      if (ssl != null) {
        cm.setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(ssl).buildAsync());
      }
      return http.setConnectionManager(cm.build());
    });
    transport = b.build();
    client = new OpenSearchClient(transport).generic();
  }

  private static SSLContext sslFor(OpenSearchStoreConfig cfg) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(cfg.caFile().get())) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca" + i++, c);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  String location() {
    return location;
  }

  Answer get(String path) throws IOException {
    return call("GET", path, null, null);
  }

  Answer json(String method, String path, String body) throws IOException {
    return call(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  Answer ndjson(String path, byte[] body) throws IOException {
    return call("POST", path, body, "application/x-ndjson");
  }

  private Answer call(String method, String path, byte[] body, String type) throws IOException {
    URI.create("http://x" + path); // a malformed path is a bug here, not a server problem
    try (Response r = client.execute(Requests.create(method, path, List.of(), Map.of(),
        body == null ? null : Body.from(body, type)))) {
      JsonStructure json = JsonObject.EMPTY_JSON_OBJECT;
      if (r.getBody().isPresent()) {
        byte[] bytes = r.getBody().get().bodyAsBytes();
        if (bytes.length > 0 && (bytes[0] == '{' || bytes[0] == '[')) {
          try (JsonReader jr = Json.createReader(new ByteArrayInputStream(bytes))) {
            json = jr.read();
          }
        }
      }
      if (r.getStatus() == 401 || r.getStatus() == 403) {
        throw new AuthRefused(r.getStatus());
      }
      return new Answer(r.getStatus(), json);
    } catch (AuthRefused e) {
      throw e;
    } catch (ResponseException e) {
      // the transport throws some error answers instead of returning them (a 409 on _create when another
      // writer created the document first): a 4xx is the cluster's answer to this request, read as one
      if (e.status() == 401 || e.status() == 403) {
        throw new AuthRefused(e.status());
      }
      if (e.status() >= 400 && e.status() < 500) {
        return new Answer(e.status(), bodyOf(e));
      }
      throw new StoreUnavailableException(location, "unreachable (" + rootMessage(e) + ")", e);
    } catch (IOException e) { // every node refused or timed out: a store problem, not a local file's
      throw new StoreUnavailableException(location, "unreachable (" + rootMessage(e) + ")", e);
    }
  }

  /** The JSON body an error answer carried (the transport puts it in the message, after the status line). */
  private static JsonStructure bodyOf(ResponseException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    int at = m.indexOf("\n{");
    if (at < 0) {
      return JsonObject.EMPTY_JSON_OBJECT;
    }
    try (JsonReader jr = Json.createReader(new java.io.StringReader(m.substring(at + 1)))) {
      return jr.read();
    } catch (RuntimeException notJson) {
      return JsonObject.EMPTY_JSON_OBJECT;
    }
  }

  /**
   * Whether a call failed with a server-side error answer (5xx: a shard without an active primary
   * answers 503) rather than without an answer (unreachable) or with a refusal.
   */
  static boolean serverError(StoreUnavailableException e) {
    return e.getCause() instanceof ResponseException r && r.status() >= 500 || e.getCause() instanceof ServerError;
  }

  /** {@code a}, or, for a 5xx answer (the transport returns some instead of throwing them), its failure. */
  Answer unlessServerError(Answer a) throws StoreUnavailableException {
    if (a.status() >= 500) {
      throw new StoreUnavailableException(location, a.reason(), new ServerError(a.status()));
    }
    return a;
  }

  /** A 5xx answer, as the cause of the failure it makes. */
  static final class ServerError extends IOException {
    private static final long serialVersionUID = 1L;

    ServerError(int status) {
      super("HTTP " + status);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** 401/403: the credentials (or their absence) were refused. */
  static final class AuthRefused extends IOException {
    private static final long serialVersionUID = 1L;

    AuthRefused(int status) {
      super("the cluster refused the credentials (HTTP " + status + "; set KTRIAGE_OPENSEARCH_USER and "
          + "KTRIAGE_OPENSEARCH_PASSWORD or ~/.config/ktriage/opensearch.properties)");
    }
  }

  @Override
  public void close() throws IOException {
    transport.close();
  }
}
