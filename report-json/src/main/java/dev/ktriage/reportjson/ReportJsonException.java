package dev.ktriage.reportjson;

import java.io.IOException;

/** A report JSON that cannot be read back: not JSON, another schema, or a field of the wrong kind. */
public final class ReportJsonException extends IOException {
  public ReportJsonException(String message) {
    super(message);
  }

  public ReportJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}
