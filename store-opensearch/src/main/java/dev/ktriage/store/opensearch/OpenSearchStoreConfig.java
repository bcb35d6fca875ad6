package dev.ktriage.store.opensearch;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How to reach a store on an OpenSearch cluster: one or more node URLs ({@code --store
 * https://host:9200,https://host2:9200} or {@code KTRIAGE_STORE}), basic-auth credentials and a CA
 * certificate for TLS. Credentials and the CA come from the environment ({@code KTRIAGE_OPENSEARCH_USER},
 * {@code KTRIAGE_OPENSEARCH_PASSWORD}, {@code KTRIAGE_OPENSEARCH_CA}) or, for what the environment does
 * not set, from {@code ~/.config/ktriage/opensearch.properties} ({@code user=}, {@code password=},
 * {@code ca=}), so a password need not be on a command line.
 *
 * @param urls the nodes to talk to
 * @param user basic-auth user
 * @param password basic-auth password
 * @param caFile a PEM CA certificate the cluster's TLS certificate is checked against
 * @param prefix the index name prefix ({@code ktriage}): several stores may share a cluster
 */
public record OpenSearchStoreConfig(List<URI> urls, Optional<String> user, Optional<String> password,
    Optional<Path> caFile, String prefix) {
  public OpenSearchStoreConfig {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no OpenSearch URL");
    }
  }

  /** Whether a {@code --store} value names a cluster (an http or https URL) rather than a directory. */
  public static boolean isUrl(String store) {
    return store.startsWith("http://") || store.startsWith("https://");
  }

  /**
   * The configuration for a store value (comma-separated URLs) with credentials from {@code env} or the
   * config file under {@code home}.
   *
   * @throws IllegalArgumentException a URL that cannot be read
   */
  public static OpenSearchStoreConfig resolve(String store, Map<String, String> env, Path home) throws IOException {
    List<URI> urls = new ArrayList<>();
    for (String u : store.split(",")) {
      if (u.isBlank()) {
        continue;
      }
      URI uri = URI.create(u.strip());
      if (uri.getHost() == null || !isUrl(u.strip())) {
        throw new IllegalArgumentException("not an OpenSearch URL: " + u);
      }
      urls.add(uri);
    }
    Properties file = new Properties();
    Path conf = home.resolve(".config/ktriage/opensearch.properties");
    if (Files.isRegularFile(conf)) {
      try (Reader r = Files.newBufferedReader(conf, StandardCharsets.UTF_8)) {
        file.load(r);
      }
    }
    Optional<String> user = value(env, "KTRIAGE_OPENSEARCH_USER", file, "user");
    Optional<String> password = value(env, "KTRIAGE_OPENSEARCH_PASSWORD", file, "password");
    Optional<Path> ca = value(env, "KTRIAGE_OPENSEARCH_CA", file, "ca").map(Path::of);
    return new OpenSearchStoreConfig(urls, user, password, ca, "ktriage");
  }

  private static Optional<String> value(Map<String, String> env, String var, Properties file, String key) {
    String v = env.get(var);
    if (v == null || v.isBlank()) {
      v = file.getProperty(key);
    }
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  /** The URLs as the user gave them, for messages. */
  public String location() {
    return String.join(",", urls.stream().map(URI::toString).toList());
  }
}
