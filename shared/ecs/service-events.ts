/**
 * ECS keeps the last 100 service events, newest first, and every DescribeServices returns all of
 * them. This turns that window into a stream: each event once, oldest first, however often the
 * same event is seen again.
 */
import type { ServiceEvent } from '@aws-sdk/client-ecs';

export class ServiceEventStream {
  private readonly seen = new Set<string>();

  /** Marks everything already there as seen: only events after this point are streamed. */
  prime(events: readonly ServiceEvent[] | undefined): void {
    for (const e of events ?? []) if (e.id) this.seen.add(e.id);
  }

  /** The events not seen before, oldest first. */
  take(events: readonly ServiceEvent[] | undefined): ServiceEvent[] {
    const fresh: ServiceEvent[] = [];
    // ECS lists newest first; walking it backwards keeps the order of events with equal times.
    for (const e of [...(events ?? [])].reverse()) {
      const key = e.id ?? `${e.createdAt?.valueOf() ?? ''}|${e.message ?? ''}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      fresh.push(e);
    }
    return fresh.sort((a, b) => (a.createdAt?.valueOf() ?? 0) - (b.createdAt?.valueOf() ?? 0));
  }
}
