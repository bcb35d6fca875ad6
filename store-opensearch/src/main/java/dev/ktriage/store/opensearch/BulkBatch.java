package dev.ktriage.store.opensearch;

import dev.ktriage.depot.StoreUnavailableException;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code _bulk} writes, the one way every writer of the store sends them (reports, stacks, cluster keys,
 * cluster counters): actions cut, in order, into requests of at most {@link #BULK_BYTES}; a request or
 * an item refused for load (429) or by an unavailable shard (5xx) sent again after a pause, {@value
 * #ATTEMPTS} attempts in all; every other item answer handed back to the caller, which alone knows what a
 * 409 means for its documents.
 */
final class BulkBatch {
  /**
   * Bytes of one {@code _bulk} request at most. A node refuses a request larger than its indexing
   * pressure limit (10% of its heap: 40 MB for a 384 MB heap) with 429 whatever the load, and a commit of
   * 5,000 reports with their report JSON is ~60 MB: requests stay well below the limit of small nodes.
   */
  static final int BULK_BYTES = 8 << 20;

  /** Attempts of a request, and of an item refused for load or by an unavailable shard. */
  static final int ATTEMPTS = 6;

  /** One action: its metadata line ({@code {"create":{...}}}) and its source line, if the action has one. */
  record Action(String meta, byte[] source) {
    Action(String meta, String source) {
      this(meta, source.getBytes(StandardCharsets.UTF_8));
    }

    long bytes() {
      return meta.length() + source.length + 2L;
    }
  }

  /** An item's answer: its HTTP status and, for a failure, the error's type and reason. */
  record Result(int status, String error) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final Rest rest;
  private final String path;
  private final long maxBytes;

  /** @param path the request path, e.g. {@code /_bulk} or {@code /_bulk?refresh=true} */
  BulkBatch(Rest rest, String path) {
    this(rest, path, BULK_BYTES);
  }

  /** @param maxBytes bytes of one request at most (a single larger action is sent alone) */
  BulkBatch(Rest rest, String path, long maxBytes) {
    this.rest = rest;
    this.path = path;
    this.maxBytes = maxBytes;
  }

  /** The {@code {"<op>":{"_index":..,"_id":..}}} line of an action. */
  static String meta(String op, String index, String id) {
    return "{\"" + op + "\":{\"_index\":\"" + index + "\",\"_id\":\"" + id + "\"}}";
  }

  /**
   * Sends every action; the answer of each, in the order of {@code actions}.
   *
   * @param what what the actions write, for the message of a request that keeps failing
   * @throws StoreUnavailableException a request answered with an error after its attempts, or unreachable
   */
  List<Result> send(List<Action> actions, String what) throws IOException {
    Result[] out = new Result[actions.size()];
    int from = 0;
    while (from < actions.size()) {
      int to = from;
      long bytes = 0;
      while (to < actions.size() && (to == from || bytes + actions.get(to).bytes() <= maxBytes)) {
        bytes += actions.get(to).bytes();
        to++;
      }
      sendPart(actions, from, to, out, what);
      from = to;
    }
    return List.of(out);
  }

  private void sendPart(List<Action> actions, int from, int to, Result[] out, String what) throws IOException {
    List<Integer> todo = new ArrayList<>();
    for (int i = from; i < to; i++) {
      todo.add(i);
    }
    for (int attempt = 1; ; attempt++) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (int i : todo) {
        Action a = actions.get(i);
        body.writeBytes(a.meta().getBytes(StandardCharsets.UTF_8));
        body.write('\n');
        if (a.source().length > 0) {
          body.writeBytes(a.source());
          body.write('\n');
        }
      }
      Rest.Answer answer = rest.ndjson(path, body.toByteArray());
      if (!answer.ok()) {
        if (attempt < ATTEMPTS && retryable(answer.status())) {
          pause(attempt);
          continue;
        }
        throw new StoreUnavailableException(rest.location(), what + ": " + answer.reason(), null);
      }
      JsonArray items = answer.object().getJsonArray("items");
      List<Integer> again = new ArrayList<>();
      for (int k = 0; k < todo.size(); k++) {
        JsonObject item = items.getJsonObject(k).values().iterator().next().asJsonObject();
        int status = item.getInt("status");
        if (retryable(status) && attempt < ATTEMPTS) {
          again.add(todo.get(k));
          continue;
        }
        String error = "";
        if (item.get("error") instanceof JsonObject e) {
          error = e.getString("type", "") + ": " + e.getString("reason", "");
        }
        out[todo.get(k)] = new Result(status, error.isEmpty() && status >= 300 ? "HTTP " + status : error);
      }
      if (again.isEmpty()) {
        return;
      }
      todo = again;
      pause(attempt);
    }
  }

  private static boolean retryable(int status) {
    return status == 429 || status >= 500;
  }

  /** 0.2 s doubling, 3.2 s at most. */
  static void pause(int attempt) throws IOException {
    try {
      Thread.sleep(200L << Math.min(attempt - 1, 4));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while retrying", e);
    }
  }
}
