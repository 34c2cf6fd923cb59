package io.linkflow.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;

/**
 * Collects every log record the application writes while open, with its log context (MDC), so a
 * test can assert what an operator would read in the JSON log.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start()) {
 *   ... // act
 *   assertThat(logs.records()).anyMatch(r -> "abc".equals(r.getMdc("request_id")));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

  private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          ExtLogRecord ext = ExtLogRecord.wrap(record);
          ext.copyAll();
          records.add(ext);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LogCapture() {}

  /** Starts capturing on the root logger. */
  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    LogContext.getLogContext().getLogger("").addHandler(capture.handler);
    return capture;
  }

  public List<ExtLogRecord> records() {
    return List.copyOf(records);
  }

  @Override
  public void close() {
    LogContext.getLogContext().getLogger("").removeHandler(handler);
  }
}
