package io.linkflow.schedule.firing;

import io.linkflow.nodes.timing.Timing;
import io.linkflow.schedule.store.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a due schedule does at a tick: which fire times it fires and its next fire time. Pure, so
 * the rules are tested without a clock or a database.
 *
 * <ul>
 *   <li>On time or late by at most the grace (30 s): every due fire time up to now fires, each its
 *       own execution (a leader change of a few seconds delays fires, it does not lose them).
 *   <li>Later than the grace (the scheduler was down): the fire times since then were missed.
 *       {@code fireOnce} fires one execution for the latest of them, marked missed with how many
 *       there were; {@code skip} fires nothing.
 * </ul>
 *
 * Either way the next fire time is the first one after the last fire time handled (after now when
 * missed).
 */
public final class FirePlan {

  /**
   * One execution to request.
   *
   * @param slot the scheduled fire time it is for
   * @param missed true when it stands for fire times missed while nobody fired
   * @param missedCount how many fire times it stands for (missed only, else 0)
   */
  public record Fire(Instant slot, boolean missed, int missedCount) {}

  /**
   * The decision for one schedule.
   *
   * @param fires what to fire, oldest first
   * @param nextFireAt the schedule's next fire time (null: never again)
   * @param missed true when fire times were missed
   * @param missedCount how many (at most the cap)
   * @param missedFrom the first missed fire time (missed only)
   * @param missedTo the latest missed fire time (missed only)
   */
  public record Decision(
      List<Fire> fires,
      Instant nextFireAt,
      boolean missed,
      int missedCount,
      Instant missedFrom,
      Instant missedTo) {

    /** The latest fire time fired, or null when nothing fires. */
    public Instant lastFired() {
      return fires.isEmpty() ? null : fires.get(fires.size() - 1).slot();
    }
  }

  /** Due fire times fired one by one per schedule and tick, at most; the rest next tick. */
  public static final int MAX_FIRES_PER_TICK = 100;

  /** Missed fire times counted one by one at most (missedCount stops there). */
  public static final int MISSED_COUNT_CAP = 10_000;

  private FirePlan() {}

  /** The decision for {@code schedule} (due: its next fire time is at or before {@code now}). */
  public static Decision decide(Schedule schedule, Timing timing, Instant now, Duration grace) {
    Instant due = schedule.nextFireAt();
    if (due.isBefore(now.minus(grace))) {
      Timing.Slots slots = timing.slotsBetween(due, now, MISSED_COUNT_CAP);
      Instant next =
          timing.nextAfter(now.isAfter(slots.latest()) ? now : slots.latest()).orElse(null);
      List<Fire> fires =
          Schedule.SKIP.equals(schedule.missedFirePolicy())
              ? List.of()
              : List.of(new Fire(slots.latest(), true, slots.count()));
      return new Decision(fires, next, true, slots.count(), due, slots.latest());
    }
    List<Fire> fires = new ArrayList<>();
    Instant slot = due;
    while (slot != null && !slot.isAfter(now) && fires.size() < MAX_FIRES_PER_TICK) {
      fires.add(new Fire(slot, false, 0));
      slot = timing.nextAfter(slot).orElse(null);
    }
    return new Decision(List.copyOf(fires), slot, false, 0, null, null);
  }
}
