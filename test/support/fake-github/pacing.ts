import { secondaryRateLimit } from "./failures.js";
import type { FakeResponse } from "./http.js";

export interface SecondaryRateLimit {
  perMinute?: number;
  perHour?: number;
}

/** GitHub's secondary rate limit on content creation, per installation, on the fake clock. */
export class ContentPacer {
  private readonly writes: { at: number; installation: number }[] = [];

  /** Counts a content-creating request; answers 403 with `retry-after` when over a limit. */
  admit(limit: SecondaryRateLimit, installation: number, now: Date): FakeResponse | undefined {
    const at = now.getTime();
    const mine = this.writes.filter((w) => w.installation === installation);
    const windows: [number, number | undefined][] = [
      [60_000, limit.perMinute],
      [3_600_000, limit.perHour],
    ];
    for (const [windowMs, max] of windows) {
      if (max === undefined) continue;
      const recent = mine.filter((w) => w.at > at - windowMs);
      if (recent.length >= max) {
        const oldest = Math.min(...recent.map((w) => w.at));
        const wait = Math.max(1, Math.ceil((oldest + windowMs - at) / 1000));
        const { headers, body } = secondaryRateLimit(wait);
        return { status: 403, headers, body };
      }
    }
    this.writes.push({ at, installation });
    return undefined;
  }
}
