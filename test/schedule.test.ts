/** The scheduler's clock: one pass a day, in its hour, and none again after a restart that day. */
import type { Probot } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultDeps } from "../src/handlers/deps.js";
import { startScheduler } from "../src/schedule.js";

afterEach(() => {
  vi.useRealTimers();
});

const app = { log: { info() {}, error() {} } } as unknown as Probot;

function start(clock: { now: Date }, walk: () => Promise<[]>) {
  const deps = defaultDeps({ now: () => clock.now, schedule: false });
  return startScheduler(app, deps, { hourUtc: 6, spreadMs: 0, walk });
}

/** Moves the clock and the timers forward together, ten minutes at a time. */
async function advance(clock: { now: Date }, minutes: number) {
  for (let m = 0; m < minutes; m += 10) {
    clock.now = new Date(clock.now.getTime() + 10 * 60_000);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
  }
}

describe("the daily scheduler", () => {
  it("runs once a day, during its hour", async () => {
    vi.useFakeTimers();
    const clock = { now: new Date("2026-11-22T04:00:00Z") };
    const walk = vi.fn(async () => [] as []);
    const stop = start(clock, walk);
    await advance(clock, 60);
    expect(walk).not.toHaveBeenCalled();
    await advance(clock, 120);
    expect(walk).toHaveBeenCalledTimes(1);
    await advance(clock, 24 * 60);
    expect(walk).toHaveBeenCalledTimes(2);
    stop();
  });

  it("does not run again when the server restarts later the same day", async () => {
    vi.useFakeTimers();
    const clock = { now: new Date("2026-11-22T08:30:00Z") };
    const walk = vi.fn(async () => [] as []);
    const stop = start(clock, walk);
    await advance(clock, 12 * 60);
    expect(walk).not.toHaveBeenCalled();
    stop();
  });
});
