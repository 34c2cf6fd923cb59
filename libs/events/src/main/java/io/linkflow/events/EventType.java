package io.linkflow.events;

import java.util.Objects;

/**
 * A versioned event type: its CloudEvents {@code type} attribute, the topic it is published on and
 * the Java record of its payload. A breaking change to a payload is a new version (a new record and
 * a new EventType), never an edit of a published one.
 *
 * @param name the dotted name without version, e.g. {@code workflow.activated}
 * @param version the payload version, starting at 1
 * @param topic where events of this type are published
 * @param payload the payload record
 */
public record EventType<T extends Record>(String name, int version, Topic topic, Class<T> payload) {

  /** Prefix of every LinkFlow CloudEvents type. */
  public static final String PREFIX = "io.linkflow.";

  public EventType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    if (version < 1) {
      throw new IllegalArgumentException("versions start at 1");
    }
  }

  /** The CloudEvents {@code type} attribute, e.g. {@code io.linkflow.workflow.activated.v1}. */
  public String cloudEventType() {
    return PREFIX + name + ".v" + version;
  }
}
