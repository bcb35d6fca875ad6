package dev.ktriage.store.opensearch;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.opensearch.Version;
import org.opensearch.analysis.common.CommonAnalysisModulePlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessModulePlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.transport.Netty4ModulePlugin;

/**
 * A real OpenSearch cluster of {@code n} nodes inside the test JVM, on free loopback ports: each node a
 * {@link Node} with the modules a distribution would load for ktriage (netty4 transport and HTTP,
 * painless scripts, common analysis), started in parallel (one after another, each waits for the
 * others to form a cluster). One per test class.
 */
final class TestCluster implements AutoCloseable {
  private final List<Node> nodes = new ArrayList<>();
  private final List<Integer> httpPorts = new ArrayList<>();
  private final Path home;

  /** A node with a chosen set of plugins (the public constructor loads none from the classpath). */
  private static final class PluginNode extends Node {
    PluginNode(Environment env, Collection<PluginInfo> plugins) {
      super(env, plugins, true);
    }
  }

  private static PluginInfo info(Class<? extends Plugin> p) {
    return new PluginInfo(p.getName(), "test", "test", Version.CURRENT, "21", p.getName(), null, List.of(), false);
  }

  TestCluster(int n) throws Exception {
    this(n, Settings.EMPTY);
  }

  /** A cluster whose nodes also have {@code extra} (a node limit a test needs small, say). */
  TestCluster(int n, Settings extra) throws Exception {
    home = Files.createTempDirectory("ktriage-opensearch");
    List<Integer> transport = new ArrayList<>();
    java.util.Set<Integer> taken = new java.util.HashSet<>();
    for (int i = 0; i < n; i++) {
      httpPorts.add(freePort(taken));
      transport.add(freePort(taken));
    }
    String seeds = transport.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    String masters = Stream.iterate(0, i -> i + 1).limit(n).map(i -> "node-" + i).collect(Collectors.joining(","));
    List<PluginInfo> plugins = List.of(info(Netty4ModulePlugin.class), info(PainlessModulePlugin.class),
        info(CommonAnalysisModulePlugin.class));
    for (int i = 0; i < n; i++) {
      String name = "node-" + i;
      Settings s = Settings.builder()
          .put("cluster.name", "ktriage-test")
          .put("node.name", name)
          .put("path.home", home.resolve(name).toString())
          .put("network.host", "127.0.0.1")
          .put("http.port", httpPorts.get(i))
          .put("transport.port", transport.get(i))
          .put("http.type", "netty4")
          .put("transport.type", "netty4")
          .put("discovery.seed_hosts", seeds)
          .put("cluster.initial_cluster_manager_nodes", masters)
          .put("cluster.routing.allocation.disk.threshold_enabled", false)
          .put("node.processors", 1)
          .put(extra)
          .build();
      Environment env = InternalSettingsPreparer.prepareEnvironment(s, Map.of(), null, () -> name);
      nodes.add(new PluginNode(env, plugins));
    }
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (Node node : nodes) {
      starts.add(CompletableFuture.runAsync(() -> {
        try {
          node.start();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
  }

  /**
   * A free loopback port below the kernel's ephemeral range. A port from {@code ServerSocket(0)} is an
   * ephemeral one, which any outgoing connection on the machine (this JVM's HTTP clients, a parallel
   * build) may take before the node binds it (a verify failed so: "Address already in use"); outgoing
   * connections never take a port below that range.
   */
  private static int freePort(java.util.Set<Integer> taken) throws IOException {
    int low = ephemeralLow();
    int base = 20_000;
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 1_000 && low > base; attempt++) {
      int p = base + random.nextInt(low - base);
      if (taken.contains(p)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
        taken.add(p);
        return p;
      } catch (IOException busy) {
        // another listener has it: try another
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      taken.add(s.getLocalPort());
      return s.getLocalPort();
    }
  }

  // The first port of net.ipv4.ip_local_port_range (Linux), else the IANA range's start.
  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 49_152;
    }
  }

  /** The store configuration for every node, with a prefix of the test's own. */
  OpenSearchStoreConfig config(String prefix) {
    List<URI> urls = httpPorts.stream().map(p -> URI.create("http://127.0.0.1:" + p)).toList();
    return new OpenSearchStoreConfig(urls, Optional.empty(), Optional.empty(), Optional.empty(), prefix);
  }

  /** Stops one node (as a crash would look to the others). */
  void stop(int i) throws IOException {
    nodes.get(i).close();
  }

  @Override
  public void close() throws Exception {
    for (Node n : nodes) {
      n.close();
    }
    for (Node n : nodes) {
      n.awaitClose(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
