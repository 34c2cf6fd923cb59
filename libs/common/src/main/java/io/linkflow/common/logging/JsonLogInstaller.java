package io.linkflow.common.logging;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.logging.Handler;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * Puts {@link JsonLogFormatter} on the console handler as the application starts, so that every
 * line after start-up carries the request context as flat JSON fields. The few lines Quarkus writes
 * before that use its own JSON formatter with the same field names ({@code application.properties}
 * of libs/common). Off with {@code linkflow.log.json=false} (plain text for local debugging).
 */
@ApplicationScoped
public class JsonLogInstaller {

  private final boolean enabled;
  private final String service;
  private final String version;

  public JsonLogInstaller(
      @ConfigProperty(name = "linkflow.log.json", defaultValue = "true") boolean enabled,
      @ConfigProperty(name = "quarkus.application.name") String service,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
          String version) {
    this.enabled = enabled;
    this.service = service;
    this.version = version;
  }

  void install(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent ignored) {
    if (!enabled) {
      return;
    }
    JsonLogFormatter formatter = new JsonLogFormatter(service, version);
    for (Handler handler : LogContext.getLogContext().getLogger("").getHandlers()) {
      apply(handler, formatter);
    }
  }

  private static void apply(Handler handler, JsonLogFormatter formatter) {
    if (handler instanceof ConsoleHandler console) {
      console.setFormatter(formatter);
    } else if (handler instanceof ExtHandler parent) {
      for (Handler child : parent.getHandlers()) {
        apply(child, formatter);
      }
    }
  }
}
