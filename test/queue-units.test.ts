/** The queue's pure parts: key ids, retry delays and schedule ticks. */
import { RequestError } from "@octokit/request-error";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asJobKey, type JobKey, keyId } from "../src/queue/keys.js";
import { requestedWaitMs, retryDelayMs } from "../src/queue/retry.js";
import { nextTickAt, repeatOptions } from "../src/queue/schedule.js";

const jobKey = fc.oneof(
  fc.record({
    kind: fc.constant("document" as const),
    installation: fc.nat(),
    owner: fc.string({ minLength: 1 }),
    repo: fc.string({ minLength: 1 }),
    path: fc.string({ minLength: 1 }),
  }),
  fc.record({
    kind: fc.constantFrom("resync" as const, "daily" as const),
    installation: fc.nat(),
    owner: fc.string({ minLength: 1 }),
    repo: fc.string({ minLength: 1 }),
  }),
);

describe("key ids", () => {
  it("read as kind, installation, repository and path", () => {
    expect(
      keyId({
        kind: "document",
        installation: 42,
        owner: "Acme",
        repo: "Platform",
        path: "docs/pm: outage.md",
      }),
    ).toBe("document/42/acme/platform/docs%2Fpm%3A%20outage.md");
    expect(keyId({ kind: "resync", installation: 42, owner: "acme", repo: "platform" })).toBe(
      "resync/42/acme/platform",
    );
    expect(keyId({ kind: "daily", installation: 42, owner: "acme", repo: "platform" })).toBe(
      "daily/42/acme/platform",
    );
  });

  it("never hold ':' (BullMQ's separator) nor an integer, and two keys share an id only when they are the same key", () => {
    const same = (a: JobKey, b: JobKey) =>
      a.kind === b.kind &&
      a.installation === b.installation &&
      a.owner.toLowerCase() === b.owner.toLowerCase() &&
      a.repo.toLowerCase() === b.repo.toLowerCase() &&
      (a.kind !== "document" || (b.kind === "document" && a.path === b.path));
    fc.assert(
      fc.property(jobKey, jobKey, (a, b) => {
        const id = keyId(a);
        expect(id).not.toContain(":");
        expect(`${Number.parseInt(id, 10)}`).not.toBe(id);
        expect(id === keyId(b)).toBe(same(a, b));
      }),
    );
  });

  it("come back from stored job data, and anything else is refused", () => {
    fc.assert(
      fc.property(jobKey, (key) => {
        expect(asJobKey(JSON.parse(JSON.stringify(key)))).toEqual(key);
      }),
    );
    expect(asJobKey({ kind: "document", installation: 1, owner: "a", repo: "b" })).toBeNull();
    expect(asJobKey({ kind: "push", installation: 1, owner: "a", repo: "b" })).toBeNull();
    expect(asJobKey({ kind: "resync", installation: "1", owner: "a", repo: "b" })).toBeNull();
    expect(asJobKey(null)).toBeNull();
  });
});

function githubError(status: number, headers: Record<string, string>): RequestError {
  return new RequestError("rate limited", status, {
    request: {
      method: "POST",
      url: "https://api.github.com/repos/acme/platform/issues",
      headers: {},
    },
    response: {
      status,
      url: "https://api.github.com/repos/acme/platform/issues",
      headers,
      data: {},
    },
  });
}

describe("retry delays", () => {
  const policy = { attempts: 8, baseMs: 1_000, maxMs: 60_000, maxRetryAfterMs: 600_000 };
  const now = Date.parse("2026-03-02T10:00:00Z");

  it("double with each attempt, spread over the upper half, up to the ceiling", () => {
    expect(
      [1, 2, 3, 4].map((n) => retryDelayMs(n, new Error("502"), policy, () => 0, now)),
    ).toEqual([500, 1_000, 2_000, 4_000]);
    expect(
      [1, 2, 3, 4].map((n) => retryDelayMs(n, new Error("502"), policy, () => 1, now)),
    ).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(20, new Error("502"), policy, () => 1, now)).toBe(60_000);
    expect(retryDelayMs(20, new Error("502"), policy, () => 0, now)).toBe(30_000);
  });

  it("wait what GitHub's retry-after asks on a 403 or 429, plus at most a tenth", () => {
    const error = githubError(403, { "retry-after": "60" });
    expect(requestedWaitMs(error, now)).toBe(60_000);
    expect(retryDelayMs(1, error, policy, () => 0, now)).toBe(60_000);
    expect(retryDelayMs(1, error, policy, () => 1, now)).toBe(66_000);
    expect(
      requestedWaitMs(githubError(429, { "retry-after": "Mon, 02 Mar 2026 10:00:30 GMT" }), now),
    ).toBe(30_000);
  });

  it("wait for a primary limit's reset when none remains", () => {
    const reset = String(now / 1000 + 120);
    expect(
      requestedWaitMs(
        githubError(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }),
        now,
      ),
    ).toBe(120_000);
    expect(
      requestedWaitMs(
        githubError(403, { "x-ratelimit-remaining": "12", "x-ratelimit-reset": reset }),
        now,
      ),
    ).toBeNull();
  });

  it("honour a retryAfterSeconds property, ignore retry-after on other statuses, cap long waits", () => {
    expect(
      requestedWaitMs(Object.assign(new Error("slow down"), { retryAfterSeconds: 2.5 }), now),
    ).toBe(2_500);
    expect(requestedWaitMs(githubError(502, { "retry-after": "60" }), now)).toBeNull();
    expect(requestedWaitMs("a string", now)).toBeNull();
    expect(
      retryDelayMs(1, githubError(429, { "retry-after": "86400" }), policy, () => 0, now),
    ).toBe(600_000);
  });
});

describe("schedule ticks", () => {
  it("fall daily at the hour (UTC), the next one strictly after now", () => {
    const schedule = { hourUtc: 6, run: async () => {} };
    expect(nextTickAt(schedule, new Date("2026-03-02T05:59:59Z")).toISOString()).toBe(
      "2026-03-02T06:00:00.000Z",
    );
    expect(nextTickAt(schedule, new Date("2026-03-02T06:00:00Z")).toISOString()).toBe(
      "2026-03-03T06:00:00.000Z",
    );
    expect(nextTickAt(schedule, new Date("2026-12-31T23:00:00Z")).toISOString()).toBe(
      "2027-01-01T06:00:00.000Z",
    );
    expect(repeatOptions(schedule)).toEqual({ pattern: "0 0 6 * * *", tz: "UTC" });
  });

  it("fall on multiples of a period", () => {
    const schedule = { everyMs: 60_000, run: async () => {} };
    expect(nextTickAt(schedule, new Date("2026-03-02T10:00:30Z")).toISOString()).toBe(
      "2026-03-02T10:01:00.000Z",
    );
    expect(repeatOptions(schedule)).toEqual({ every: 60_000 });
  });
});
