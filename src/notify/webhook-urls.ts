import type { Invalidation, Invalidations } from '../store/invalidations.ts';

const WEBHOOK_URLS_MAX = 10_000;

/**
 * Each team's webhook URL, or that it has none, for the event listener: every
 * renewal's event passes it, and most teams have no webhook, so reading the row
 * each time cost the sweep 4–10% of its renewals (docs/benchmarks.md). Setting or
 * removing a webhook drops the team's entry on every instance
 * (store/invalidations.ts). While an instance may be missing invalidations it
 * reads the row, as it did before.
 */
export class WebhookUrls {
  private readonly urls = new Map<string, string | null>();
  /** Counts invalidations, so a URL read while one arrived is not kept (it may predate it). */
  private generation = 0;

  constructor(
    private readonly invalidations: Invalidations,
    private readonly read: (teamId: string) => Promise<string | null>,
  ) {
    invalidations.subscribe((message) => this.invalidate(message));
  }

  /** The team's webhook URL, `null` when it has none. */
  async of(teamId: string): Promise<string | null> {
    if (!this.invalidations.trusted()) return this.read(teamId);
    const known = this.urls.get(teamId);
    if (known !== undefined) return known;
    const mark = this.generation;
    const url = await this.read(teamId);
    if (mark === this.generation) {
      if (this.urls.size >= WEBHOOK_URLS_MAX) this.urls.clear();
      this.urls.set(teamId, url);
    }
    return url;
  }

  /** After a team's webhook is written or removed: every instance forgets it, this one before returning. */
  async changed(teamId: string): Promise<void> {
    await this.invalidations.publish({ kind: 'webhook', teamId });
  }

  private invalidate(message: Invalidation | 'all'): void {
    if (message !== 'all' && message.kind !== 'webhook') return;
    this.generation++;
    if (message === 'all') this.urls.clear();
    else this.urls.delete(message.teamId);
  }
}
