package io.linkflow.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.MembershipChangedV1;
import io.linkflow.events.payload.WorkspaceCreatedV1;
import io.linkflow.testing.TopicWatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads user.events as published (through the outbox relay) and picks a workspace's events by their
 * {@code ce_workspaceid} header. A workspace's events share one key, hence one partition, so they
 * arrive in the order they were committed: the first events of a workspace are exactly what was
 * emitted, and anything a failed request had emitted would show up among them.
 */
final class UserEvents implements AutoCloseable {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** One event of user.events. */
  record Event(String type, String key, String workspaceHeader, String source, byte[] data) {

    MembershipChangedV1 membership() {
      return EventCodec.read(MembershipChangedV1.class, data);
    }

    WorkspaceCreatedV1 workspaceCreated() {
      return EventCodec.read(WorkspaceCreatedV1.class, data);
    }
  }

  static final String WORKSPACE_CREATED = "io.linkflow.user.workspace_created.v1";
  static final String MEMBER_ADDED = "io.linkflow.user.member_added.v1";
  static final String MEMBER_ROLE_CHANGED = "io.linkflow.user.member_role_changed.v1";
  static final String MEMBER_REMOVED = "io.linkflow.user.member_removed.v1";

  private final TopicWatcher watcher = TopicWatcher.watch(Topic.USER_EVENTS.topicName());
  private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

  /** The first {@code count} events of {@code workspace}, in order; fails if fewer arrive. */
  List<Event> of(UUID workspace, int count) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      List<Event> events = filter(workspace);
      if (events.size() >= count) {
        return events.subList(0, count);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected " + count + " events of workspace " + workspace + ", got " + events);
      }
      seen.addAll(watcher.poll(Duration.ofMillis(200)));
    }
  }

  /** The events of {@code workspace} read so far, after one more poll. */
  List<Event> seen(UUID workspace) {
    seen.addAll(watcher.poll(Duration.ofMillis(500)));
    return filter(workspace);
  }

  /** The first {@code count} events of {@code workspace}, asserting their types in order. */
  List<Event> expect(UUID workspace, String... types) {
    List<Event> events = of(workspace, types.length);
    assertThat(events).extracting(Event::type).containsExactly(types);
    for (Event event : events) {
      assertThat(event.key()).isEqualTo(workspace.toString());
      assertThat(event.workspaceHeader()).isEqualTo(workspace.toString());
      assertThat(event.source()).isEqualTo("/services/user");
    }
    return events;
  }

  private List<Event> filter(UUID workspace) {
    String id = workspace.toString();
    return seen.stream()
        .filter(r -> id.equals(TopicWatcher.header(r, CloudEventHeaders.WORKSPACE_ID)))
        .map(
            r ->
                new Event(
                    TopicWatcher.header(r, CloudEventHeaders.TYPE),
                    r.key(),
                    TopicWatcher.header(r, CloudEventHeaders.WORKSPACE_ID),
                    TopicWatcher.header(r, CloudEventHeaders.SOURCE),
                    r.value()))
        .toList();
  }

  @Override
  public void close() {
    watcher.close();
  }
}
