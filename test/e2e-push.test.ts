/** A merged post-mortem becomes issues, exactly once, through Probot and the OpenAPI-checked fake GitHub. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  actionMarker,
  readActionMarker,
  readTrackingMarker,
  stripMarker,
} from "../src/core/plan/marker.js";
import { actionKey } from "../src/core/postmortem/actions.js";
import { boundKey } from "../src/core/postmortem/identity.js";
import type { FailureSpec, FakeRepo } from "./support/fake-github/index.js";
import { secondaryRateLimit, useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush, type Harness, signedAsApp, startApp } from "./support/harness.js";
import { liveMentions, rawHtml } from "./support/mentions.js";
import { fakeSha } from "./support/webhooks.js";

const SEED = join(import.meta.dirname, "..", "..", "shared", "seeds", "000_5fcd2de33c5c828b.txt");
const CONFIG = [
  "people:",
  "  Susan J: susanj",
  "  Adam K: '@adamk'",
  "  Tony L: [tonyl]",
  "labels:",
  "  type: true",
  "  priority: true",
].join("\n");

const github = useFakeGitHub(() => ({ now: () => new Date("2026-03-02T10:00:00Z") }));

type Issue = ReturnType<FakeRepo["issues"]>[number];
const titles = (issues: Issue[]) => issues.map((i) => i.title as string);
const labelNames = (issue: Issue) => (issue.labels as { name: string }[]).map((l) => l.name).sort();
const milestoneOf = (issue: Issue | undefined) =>
  issue?.milestone as { title: string; number: number } | null | undefined;
const assigneeLogins = (issue: Issue) =>
  ((issue.assignees ?? []) as { login: string }[]).map((a) => a.login);

/** What `deliver` does changes nothing: no write request, the issues exactly as they were. */
async function expectNoChange(h: Harness, repo: FakeRepo, deliver: () => Promise<unknown>) {
  const issuesBefore = JSON.stringify(repo.issues());
  h.gh.resetRequests();
  await deliver();
  expect(h.gh.writes()).toEqual([]);
  expect(JSON.stringify(repo.issues())).toBe(issuesBefore);
}

/** Writes other than the installation token Probot fetches. */
function contentWrites(h: Harness) {
  return h.gh.writes().filter((w) => !w.path.endsWith("/access_tokens"));
}

function actionIssues(repo: FakeRepo): Issue[] {
  return repo.issues().filter((i) => readActionMarker(i.body as string) !== null);
}

function trackingIssues(repo: FakeRepo): Issue[] {
  return repo.issues().filter((i) => readTrackingMarker(i.body as string) !== null);
}

async function setup(config = CONFIG): Promise<{ h: Harness; repo: FakeRepo; base: string }> {
  const gh = github();
  const repo = gh.addRepo("acme", "platform");
  for (const login of ["susanj", "adamk", "tonyl", "alice", "bob"]) repo.addCollaborator(login);
  const base = repo.commit(
    { ".github/follow-through.yml": config, "README.md": "# Platform\n" },
    { message: "Initial commit" },
  );
  const h = await startApp(gh, { now: new Date("2026-03-02T10:00:00Z") });
  return { h, repo, base };
}

function postmortem(rows: string[], extra = "", title = "Checkout outage"): string {
  return [
    "---",
    `title: ${JSON.stringify(title)}`,
    "date: 2026-03-01",
    "authors: [alice]",
    "---",
    "# Checkout outage",
    "## Summary",
    "Checkout failed for 20 minutes.",
    "## Timeline (UTC)",
    "- 10:00 alerts fired",
    "## Root Cause",
    "A connection pool was exhausted.",
    "## Follow-Up Actions",
    "| Action | Owner | Due | Priority | Issue |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    extra,
  ].join("\n");
}

describe.runIf(existsSync(SEED))("the reference outline", () => {
  it("opens a tracking issue first, then one issue per action with assignee, milestone and labels", async () => {
    const { h, repo, base } = await setup();
    const seed = readFileSync(SEED, "utf8").replace(
      "---\ndescription:",
      "---\ndate: 2026-03-01\ndescription:",
    );
    const after = repo.commit(
      { "docs/postmortems/2026-03-01-liquidations.md": seed },
      { message: "Add post-mortem" },
    );
    await deliverPush(h, repo, base, after);

    const issues = repo.issues();
    const tracking = trackingIssues(repo);
    expect(tracking).toHaveLength(1);
    expect(tracking[0]?.number).toBe(1);
    expect(tracking[0]?.title).toBe("Post-mortem: Post-Mortem Analysis");
    const actions = actionIssues(repo);
    expect(titles(actions)).toEqual([
      "Add step to involve comms early in emergency",
      "Implement tool for faster smart contract upgrade",
      "Establish plan to audit incremental changes",
    ]);
    expect(actions.map(assigneeLogins)).toEqual([["susanj"], ["adamk"], ["tonyl"]]);
    expect(actions.map((a) => (a.milestone as { title: string } | null)?.title)).toEqual([
      "Post-mortem actions due 2026-03-15",
      "Post-mortem actions due 2026-04-15",
      "Post-mortem actions due 2026-03-22",
    ]);
    expect(actions.map(labelNames)).toEqual(Array(3).fill(["post-mortem-action"]));
    const milestone = repo
      .milestones()
      .find((m) => m.title === "Post-mortem actions due 2026-03-15");
    // GitHub stores midnight Pacific of the date sent; the round trip must show March 15.
    expect(
      new Intl.DateTimeFormat("en-CA", { timeZone: "America/Los_Angeles" }).format(
        new Date(milestone?.due_on as string),
      ),
    ).toBe("2026-03-15");
    const body = actions[0]?.body as string;
    expect(body).toContain(
      `${repo.htmlBase}/blob/${after}/docs/postmortems/2026-03-01-liquidations.md#L85`,
    );
    expect(body).toContain("tracked in #1");
    const trackingBody = tracking[0]?.body as string;
    expect(trackingBody).toContain("**Progress:** 0 of 3 done");
    expect(trackingBody).toMatch(
      /- \[ \] #2 Add step to involve comms early in emergency · `susanj` · due 2026-03-15/,
    );
    expect(
      issues.every((i) => i.user && (i.user as { login: string }).login === h.gh.botLogin),
    ).toBe(true);
    const label = repo.labels().find((l) => l.name === "post-mortem-action");
    expect(label?.description).toMatch(/follow-up action/);
  });
});

describe("a push to the default branch", () => {
  it("tracks done and linked actions without issues, and names owners who cannot be assigned", async () => {
    const { h, repo, base } = await setup();
    const after = repo.commit({
      "docs/postmortems/checkout.md": postmortem([
        "| Add pool saturation alert | @alice | 2026-03-20 | P1 | |",
        "| Raise pool size | @bob | 2026-03-05 | P0 | DONE |"
          .replace("| DONE |", "| |")
          .replace("Raise pool size", "~~Raise pool size~~"),
        "| Load test checkout | @outsider | 2026-04-01 | P2 | |",
        "| Upgrade the driver | @alice | 2026-04-10 | P2 | https://github.com/other/lib/issues/4 |",
      ]),
    });
    await deliverPush(h, repo, base, after);

    const actions = actionIssues(repo);
    expect(titles(actions)).toEqual(["Add pool saturation alert", "Load test checkout"]);
    expect(actions.map(labelNames)).toEqual([
      ["post-mortem-action", "priority: P1"],
      ["post-mortem-action", "priority: P2"],
    ]);
    expect(assigneeLogins(actions[1] as Issue)).toEqual([]);
    expect(actions[1]?.body).toContain("| **Not assignable here** | `outsider` |");
    const tracking = trackingIssues(repo)[0]?.body as string;
    expect(tracking).toContain("**Progress:** 1 of 4 done");
    expect(tracking).toContain(
      "- [x] Raise pool size · `@bob` · due 2026-03-05 · done in the document",
    );
    expect(tracking).toContain("tracked in https://github.com/other/lib/issues/4");
    expect(tracking).toMatch(
      /\*\*warning\*\* line \d+: `outsider` cannot be assigned issues in this repository/,
    );
    expect(trackingIssues(repo)[0]?.assignees).toEqual([
      expect.objectContaining({ login: "alice" }),
    ]);
  });

  it("makes zero writes when the same push is delivered again", async () => {
    const { h, repo, base } = await setup();
    const after = repo.commit({
      "docs/postmortems/checkout.md": postmortem(["| Add alert | @alice | 2026-03-20 | P1 | |"]),
    });
    await deliverPush(h, repo, base, after, "delivery-1");
    await expectNoChange(h, repo, () => deliverPush(h, repo, base, after, "delivery-1"));
  });

  it("reads at most 6 times for a redelivered push of a three-owner post-mortem, and writes nothing", async () => {
    const { h, repo, base } = await setup();
    const after = repo.commit({
      "docs/postmortems/checkout.md": postmortem([
        "| Add pool saturation alert | @alice | 2026-03-20 | P1 | |",
        "| Raise pool size | @bob | 2026-03-25 | P0 | |",
        "| Load test checkout | @susanj | 2026-04-01 | P2 | |",
      ]),
    });
    await deliverPush(h, repo, base, after, "delivery-1");
    await expectNoChange(h, repo, () => deliverPush(h, repo, base, after, "delivery-1"));
    // The owners are assigned on the app's issues already, their labels and milestones are there:
    // the config, the branch head, the compare, the document and the two label lists.
    const reads = h.gh
      .reads()
      .filter((r) => !r.path.endsWith("/access_tokens") && r.path !== "/app")
      .map((r) => r.operationId);
    expect(reads).toEqual([
      "repos/get-content",
      "git/get-ref",
      "repos/compare-commits",
      "repos/get-content",
      "issues/list-for-repo",
      "issues/list-for-repo",
    ]);
  });

  it("opens each issue once when two deliveries of the same push arrive together", async () => {
    const { h, repo, base } = await setup();
    h.gh.latencyMs = 2;
    const rows = Array.from(
      { length: 5 },
      (_, i) => `| Action number ${i + 1} | @alice | 2026-03-2${i} | P1 | |`,
    );
    const after = repo.commit({ "docs/postmortems/checkout.md": postmortem(rows) });
    await Promise.all([
      deliverPush(h, repo, base, after, "a"),
      deliverPush(h, repo, base, after, "b"),
    ]);
    expect(trackingIssues(repo)).toHaveLength(1);
    expect(actionIssues(repo)).toHaveLength(5);
  });

  it("keeps the oldest and closes the rest when another process opened duplicates", async () => {
    const { h, repo, base } = await setup();
    const after = repo.commit({
      "docs/postmortems/checkout.md": postmortem(["| Add alert | @alice | 2026-03-20 | P1 | |"]),
    });
    await deliverPush(h, repo, base, after);
    const [original] = actionIssues(repo);
    // A second process created the same issue (same marker) before seeing the first.
    const copy = repo.userCreateIssue(
      {
        title: original?.title as string,
        body: original?.body as string,
        labels: ["post-mortem-action"],
      },
      { login: h.gh.botLogin },
    );
    const next = repo.commit({
      "docs/postmortems/checkout.md": postmortem(["| Add alert | @alice | 2026-03-21 | P1 | |"]),
    });
    await deliverPush(h, repo, after, next);
    const closedCopy = repo.issue(copy.number as number);
    expect(closedCopy?.state).toBe("closed");
    expect(closedCopy?.state_reason).toBe("duplicate");
    expect(repo.comments(copy.number as number).map((c) => c.body)).toEqual([
      `Duplicate of #${original?.number}: Follow-Through keeps one issue per action.`,
    ]);
    expect(repo.issue(original?.number as number)?.state).toBe("open");
  });

  const failures: [string, FailureSpec, number][] = [
    ["a 504 after GitHub created the issue", { status: 504, processed: true }, 3],
    ["a 504 before GitHub created it", { status: 504 }, 2],
    ["a timeout after GitHub created the issue", { networkError: true, processed: true }, 3],
    ["a timeout before GitHub created it", { networkError: true }, 2],
    ["a secondary rate limit", secondaryRateLimit(60), 2],
  ];
  it.each(failures)(
    "converges after %s half-way: nothing duplicated, nothing lost",
    async (_, failure, createdFirst) => {
      const { h, repo, base } = await setup();
      const rows = Array.from(
        { length: 6 },
        (_, i) => `| Step ${i + 1} of the fix | @alice | 2026-03-2${i} | P1 | |`,
      );
      const after = repo.commit({ "docs/postmortems/checkout.md": postmortem(rows) });
      let creates = 0;
      h.hooks.beforeRequest = (method, url) => {
        // The fourth issue creation (the tracking issue is the first) fails.
        if (method === "POST" && url.endsWith("/issues") && ++creates === 4) {
          h.gh.failNext({ method: "POST", path: /\/issues$/, ...failure });
        }
      };
      await expect(deliverPush(h, repo, base, after, "first")).rejects.toThrow();
      h.hooks.beforeRequest = undefined;
      expect(actionIssues(repo)).toHaveLength(createdFirst);
      await deliverPush(h, repo, base, after, "retry");
      const actions = actionIssues(repo);
      expect(titles(actions)).toEqual(rows.map((_, i) => `Step ${i + 1} of the fix`));
      expect(actions.every((i) => i.state === "open")).toBe(true);
      expect(trackingIssues(repo)).toHaveLength(1);
      expect(trackingIssues(repo)[0]?.body).toContain("**Progress:** 0 of 6 done");
      h.gh.resetRequests();
      await deliverPush(h, repo, base, after, "retry");
      expect(h.gh.writes()).toEqual([]);
    },
  );

  it("neutralises mentions and HTML copied from the document, whatever stands before them", async () => {
    const { h, repo, base } = await setup();
    const hostile = [
      "Tell @everyone, @here and @acme/sre: _@bob_ __@carol__ \\@dave",
      "&#64;erin &#x40;frank &commat;grace <img src=x onerror=alert(1)> (mail ops@acme.io)",
    ].join(" ");
    const after = repo.commit({
      "docs/postmortems/checkout.md": postmortem(
        [`| ${hostile} | @alice | 2026-03-20 | P1 | |`],
        "",
        "<img src=x onerror=alert(1)> Outage for @everyone",
      ),
    });
    await deliverPush(h, repo, base, after);
    const [issue] = actionIssues(repo);
    const joiner = "\u2060";
    expect(issue?.title).toBe(
      [
        `Tell @${joiner}everyone, @${joiner}here and @${joiner}acme/sre: @${joiner}bob @${joiner}carol`,
        `@${joiner}dave &#64;erin &#x40;frank &commat;grace (mail ops@acme.io)`,
      ].join(" "),
    );
    const body = stripMarker(issue?.body as string);
    expect(body.split("\n\n")[0]).toBe(
      [
        "Tell `@everyone`, `@here` and `@acme/sre`: _`@bob`_ __`@carol`__ `@dave`",
        "`@erin` `@frank` `@grace` &lt;img src=x onerror=alert(1)> (mail ops@acme.io)",
      ].join(" "),
    );
    expect(body).toContain(
      "From [&lt;img src=x onerror=alert(1)> Outage for `@everyone`](https://github.com/",
    );
    // As GitHub's markdown reader sees it: no text that notifies anyone, no raw HTML.
    expect(liveMentions(body)).toEqual([]);
    expect(rawHtml(body)).toEqual([]);
    expect(assigneeLogins(issue as Issue)).toEqual(["alice"]);

    const [tracking] = trackingIssues(repo);
    expect(tracking?.title).toBe(`Post-mortem: Outage for @${joiner}everyone`);
    const trackingBody = stripMarker(tracking?.body as string);
    expect(liveMentions(trackingBody)).toEqual([]);
    expect(rawHtml(trackingBody)).toEqual([]);
    expect(trackingBody).not.toContain("<img");
  });

  it("opens a very long action (a 64 KB cell) within GitHub's limits, and leaves it alone after", async () => {
    const { h, repo, base } = await setup();
    const long = `Rewrite the pool ${"with care, tell @everyone `then @bob reads` this ".repeat(1300)}`;
    const after = repo.commit({
      "docs/postmortems/checkout.md": postmortem([`| ${long} | @alice | 2026-03-20 | P1 | |`]),
    });
    await deliverPush(h, repo, base, after, "long");
    const [issue] = actionIssues(repo);
    const body = issue?.body as string;
    expect(long.length).toBeGreaterThan(60_000);
    expect(String(issue?.title).length).toBeLessThanOrEqual(256);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.length).toBeGreaterThan(60_000);
    expect(readActionMarker(body)?.key).toBe(boundKey(actionKey(long)));
    expect(readActionMarker(body)?.key.length).toBeLessThanOrEqual(200);
    // The cut falls outside code, so what was neutralised stays so.
    expect(liveMentions(stripMarker(body))).toEqual([]);
    expect(String(trackingIssues(repo)[0]?.body).length).toBeLessThanOrEqual(65_536);

    h.gh.resetRequests();
    await deliverPush(h, repo, base, after, "long");
    expect(h.gh.writes()).toEqual([]);
  });

  it("keeps the issue of a long action whose marker holds the whole key (opened before keys were bounded)", async () => {
    const { h, repo, base } = await setup();
    const long = `Rewrite the pool ${"with care and patience ".repeat(30)}`;
    const rows = (due: string) => [`| ${long} | @alice | ${due} | P1 | |`];
    const v1 = repo.commit({ "docs/postmortems/checkout.md": postmortem(rows("2026-03-20")) });
    await deliverPush(h, repo, base, v1);
    const [issue] = actionIssues(repo);
    const body = issue?.body as string;
    const marker = readActionMarker(body);
    if (!marker) throw new Error("no marker");
    expect(actionKey(long).length).toBeGreaterThan(600);
    repo.userUpdateIssue(
      issue?.number as number,
      {
        body: signedAsApp(
          `${stripMarker(body)}\n\n${actionMarker({ ...marker, key: actionKey(long) })}`,
          "acme/platform",
        ),
      },
      { login: h.gh.botLogin },
    );
    // A second process running this version opened the same action again (bounded key).
    const copy = repo.userCreateIssue(
      { title: issue?.title as string, body, labels: ["post-mortem-action"] },
      { login: h.gh.botLogin },
    );

    const v2 = repo.commit({ "docs/postmortems/checkout.md": postmortem(rows("2026-03-27")) });
    await deliverPush(h, repo, v1, v2);
    const [kept, duplicate] = actionIssues(repo);
    expect([kept?.number, duplicate?.number]).toEqual([issue?.number, copy.number]);
    expect(kept?.state).toBe("open");
    expect(milestoneOf(kept)?.title).toBe("Post-mortem actions due 2026-03-27");
    expect(readActionMarker(kept?.body as string)?.key).toBe(boundKey(actionKey(long)));
    expect(duplicate?.state_reason).toBe("duplicate");
  });

  it("assigns at most 10 of an action's 40 owners (GitHub's limit) and names them all in the body", async () => {
    const { h, repo, base } = await setup();
    const owners = Array.from({ length: 40 }, (_, i) => `owner${i + 1}`);
    for (const login of owners) repo.addCollaborator(login);
    const cell = owners.map((login) => `@${login}`).join(", ");
    const after = repo.commit({
      "docs/postmortems/checkout.md": postmortem([
        `| Rotate every key | ${cell} | 2026-03-20 | P1 | |`,
      ]),
    });
    await deliverPush(h, repo, base, after);
    const [issue] = actionIssues(repo);
    expect(assigneeLogins(issue as Issue)).toEqual(owners.slice(0, 10));
    for (const login of owners) expect(issue?.body).toContain(`@${login}\``);
    const created = h.gh.requests.filter((r) => r.operationId === "issues/create");
    for (const request of created)
      expect(
        ((request.body as { assignees?: string[] }).assignees ?? []).length,
      ).toBeLessThanOrEqual(10);
  });

  it("handles a document of 100 actions within GitHub's limits", async () => {
    const { h, repo, base } = await setup();
    const rows = Array.from(
      { length: 100 },
      (_, i) => `| Hardening task ${i + 1} | @alice | 2026-0${(i % 9) + 1}-15 | P2 | |`,
    );
    const after = repo.commit({ "docs/postmortems/big.md": postmortem(rows) });
    await deliverPush(h, repo, base, after);
    expect(actionIssues(repo)).toHaveLength(100);
    expect(repo.milestones()).toHaveLength(9);
    const tracking = trackingIssues(repo)[0]?.body as string;
    expect(tracking.length).toBeLessThan(65_536);
    expect(tracking).toContain("**Progress:** 0 of 100 done");
    expect(h.gh.writes().filter((w) => w.operationId === "issues/update")).toHaveLength(1);
  });

  it("ignores pushes to other branches and files outside the configured paths", async () => {
    const { h, repo, base } = await setup();
    const onBranch = repo.commit(
      { "docs/postmortems/x.md": postmortem(["| A | @alice | 2026-03-20 | P1 | |"]) },
      { branch: "draft" },
    );
    await h.probot.receive({
      id: "other-branch",
      name: "push",
      payload: {
        ...(await import("./support/harness.js")).pushOf(repo, base, onBranch),
        ref: "refs/heads/draft",
      },
    } as never);
    const elsewhere = repo.commit({
      "notes/x.md": postmortem(["| A | @alice | 2026-03-20 | P1 | |"]),
    });
    await deliverPush(h, repo, base, elsewhere);
    expect(repo.issues()).toEqual([]);
    expect(contentWrites(h)).toEqual([]);
  });

  it("writes nothing and says why when the config is invalid", async () => {
    const { h, repo, base } = await setup();
    const after = repo.commit({
      ".github/follow-through.yml": "milestones:\n  strategy: weekly\nunknown: 1\n",
      "docs/postmortems/x.md": postmortem(["| A | @alice | 2026-03-20 | P1 | |"]),
    });
    await deliverPush(h, repo, base, after);
    expect(contentWrites(h)).toEqual([]);
  });
});

describe("pushes delivered late or out of order", () => {
  const one = ["| Add pool alert | @alice | 2026-03-20 | P1 | |"];
  const two = [
    "| Add pool alert | @alice | 2026-03-27 | P1 | |",
    "| Raise pool size | @bob | 2026-03-25 | P2 | |",
  ];
  const doc = "docs/postmortems/checkout.md";

  it("an older push redelivered after a newer one makes 0 writes", async () => {
    const { h, repo, base } = await setup();
    const v1 = repo.commit({ [doc]: postmortem(one) });
    await deliverPush(h, repo, base, v1, "v1");
    const v2 = repo.commit({ [doc]: postmortem(two) });
    await deliverPush(h, repo, v1, v2, "v2");
    expect(actionIssues(repo).map((i) => i.state)).toEqual(["open", "open"]);

    await expectNoChange(h, repo, () => deliverPush(h, repo, base, v1, "v1"));
  });

  it("an older push that arrives while a newer push is syncing leaves the newer state", async () => {
    const { h, repo, base } = await setup();
    h.gh.latencyMs = 2;
    const v1 = repo.commit({ [doc]: postmortem(one) });
    const v2 = repo.commit({ [doc]: postmortem(two) });
    let late: Promise<void> | undefined;
    h.hooks.beforeRequest = (method, url) => {
      // The first issue the newer push opens: the older delivery comes in right then.
      if (!late && method === "POST" && url.endsWith("/issues")) {
        late = deliverPush(h, repo, base, v1, "v1-late");
      }
    };
    await deliverPush(h, repo, v1, v2, "v2");
    await late;
    h.hooks.beforeRequest = undefined;

    expect(late).toBeDefined();
    const actions = actionIssues(repo);
    expect(titles(actions)).toEqual(["Add pool alert", "Raise pool size"]);
    expect(actions.map((i) => i.state)).toEqual(["open", "open"]);
    expect(actions.map((i) => milestoneOf(i)?.title)).toEqual([
      "Post-mortem actions due 2026-03-27",
      "Post-mortem actions due 2026-03-25",
    ]);
    expect(actions.flatMap((i) => repo.comments(i.number as number))).toEqual([]);
    expect(trackingIssues(repo)).toHaveLength(1);
    expect(trackingIssues(repo)[0]?.body).toContain("**Progress:** 0 of 2 done");
  });

  it("a newer push that arrives while an older one is syncing is applied after it", async () => {
    const { h, repo, base } = await setup();
    h.gh.latencyMs = 2;
    const v1 = repo.commit({ [doc]: postmortem(one) });
    let next: Promise<void> | undefined;
    h.hooks.beforeRequest = (method, url) => {
      if (!next && method === "POST" && url.endsWith("/issues")) {
        const v2 = repo.commit({ [doc]: postmortem(two) });
        next = deliverPush(h, repo, v1, v2, "v2");
      }
    };
    await deliverPush(h, repo, base, v1, "v1");
    await next;
    h.hooks.beforeRequest = undefined;

    const actions = actionIssues(repo);
    expect(titles(actions)).toEqual(["Add pool alert", "Raise pool size"]);
    expect(actions.map((i) => i.state)).toEqual(["open", "open"]);
    expect(milestoneOf(actions[0])?.title).toBe("Post-mortem actions due 2026-03-27");
    expect(trackingIssues(repo)).toHaveLength(1);
  });

  it("a push that changed a document a later push deleted does not bring it back", async () => {
    const { h, repo, base } = await setup();
    const v1 = repo.commit({ [doc]: postmortem(one) });
    await deliverPush(h, repo, base, v1, "v1");
    const v2 = repo.commit({ [doc]: null });
    await deliverPush(h, repo, v1, v2, "v2");
    expect(trackingIssues(repo).map((i) => i.state)).toEqual(["closed"]);

    await expectNoChange(h, repo, () => deliverPush(h, repo, base, v1, "v1"));
  });

  it("a push that deleted a document a later push added again syncs the document as it is", async () => {
    const { h, repo, base } = await setup();
    const v1 = repo.commit({ [doc]: postmortem(one) });
    await deliverPush(h, repo, base, v1, "v1");
    const v2 = repo.commit({ [doc]: null });
    repo.commit({ [doc]: postmortem(one) });
    h.gh.resetRequests();
    // The delete arrives only after the document is back: nothing is closed or rewritten.
    await deliverPush(h, repo, v1, v2, "v2");
    expect(h.gh.writes()).toEqual([]);
    expect(trackingIssues(repo).map((i) => i.state)).toEqual(["open"]);
    expect(readTrackingMarker(trackingIssues(repo)[0]?.body as string)?.view.deletedIn).toBe(
      undefined,
    );
  });
});

describe("what GitHub cannot compare or create twice", () => {
  it("reads every post-mortem at head when the compare API no longer has the old commit", async () => {
    const { h, repo } = await setup();
    const after = repo.commit({
      "docs/postmortems/a.md": postmortem(["| Add pool alert | @alice | 2026-03-20 | P1 | |"]),
      "docs/incidents/b.md": postmortem(["| Raise pool size | @bob | 2026-03-25 | P2 | |"]),
      "notes/c.md": postmortem(["| Not a post-mortem | @bob | 2026-03-25 | P2 | |"]),
    });
    // A force push onto history GitHub has dropped: `before` is unknown to it.
    await deliverPush(h, repo, fakeSha("dropped history"), after, "forced");
    const compares = h.gh.reads().filter((r) => r.operationId?.startsWith("repos/compare"));
    expect(compares.map((r) => r.status)).toEqual([404]);
    expect(titles(actionIssues(repo)).sort()).toEqual(["Add pool alert", "Raise pool size"]);
    expect(trackingIssues(repo)).toHaveLength(2);
  });

  it("uses the milestone another delivery created a moment before", async () => {
    const { h, repo, base } = await setup();
    const after = repo.commit({
      "docs/postmortems/a.md": postmortem(["| Add pool alert | @alice | 2026-03-20 | P1 | |"]),
    });
    let raced: number | undefined;
    h.hooks.beforeRequest = (method, url) => {
      if (raced === undefined && method === "POST" && url.endsWith("/milestones")) {
        raced = repo.addMilestoneState(
          { title: "Post-mortem actions due 2026-03-20", due_on: "2026-03-20T12:00:00Z" },
          h.gh.botLogin,
        ).number;
      }
    };
    await deliverPush(h, repo, base, after);
    h.hooks.beforeRequest = undefined;
    expect(raced).toBeDefined();
    expect(repo.milestones().map((m) => m.title)).toEqual(["Post-mortem actions due 2026-03-20"]);
    const [issue] = actionIssues(repo);
    expect(milestoneOf(issue)?.number).toBe(raced);
    expect(h.gh.countBy("issues/list-milestones")).toBe(2);
  });
});

describe("what the issues carry", () => {
  const doc = (rows: string[], rootCause = "A connection pool was exhausted.") =>
    [
      "---",
      "title: Checkout outage",
      "date: 2026-03-01",
      "authors: [alice, Susan J]",
      "---",
      "# Checkout outage",
      "## Summary",
      "Checkout failed for 20 minutes.",
      "## Timeline (UTC)",
      "- 10:00 alerts fired",
      "## Root Cause",
      rootCause,
      "## Follow-Up Actions",
      "| Action | Owner | Due | Type | Priority |",
      "| --- | --- | --- | --- | --- |",
      ...rows,
    ].join("\n");

  it("asks whether a login can be assigned once per run, however often it appears", async () => {
    const { h, repo, base } = await setup();
    const after = repo.commit({
      "docs/postmortems/a.md": doc([
        "| Add alert | @alice | 2026-03-20 | | P1 |",
        "| Tune pool | @alice, Susan J | 2026-03-21 | | P1 |",
        "| Load test | @outsider | 2026-03-22 | | P2 |",
        "| Retry jobs | @outsider | 2026-03-23 | | P2 |",
      ]),
      "docs/postmortems/b.md": doc(["| Page on call | @alice | 2026-03-24 | | P1 |"]),
    });
    await deliverPush(h, repo, base, after);
    const asked = h.gh
      .reads()
      .filter((r) => r.operationId === "issues/check-user-can-be-assigned")
      .map((r) => r.path.split("/").pop())
      .sort();
    expect(asked).toEqual(["alice", "outsider", "susanj"]);
    expect(actionIssues(repo)).toHaveLength(5);
  });

  it("labels type and priority when the config asks, with a colour and a description", async () => {
    const { h, repo, base } = await setup();
    const after = repo.commit({
      "docs/postmortems/a.md": doc([
        "| Add alert | @alice | 2026-03-20 | Mitigate | P1 |",
        "| Write runbook | @alice | 2026-03-21 | Process | P2 |",
      ]),
    });
    await deliverPush(h, repo, base, after);
    expect(actionIssues(repo).map(labelNames)).toEqual([
      ["post-mortem-action", "priority: P1", "type: mitigate"],
      ["post-mortem-action", "priority: P2", "type: process"],
    ]);
    const style = (name: string) => {
      const label = repo.labels().find((l) => l.name === name);
      return [label?.color, label?.description];
    };
    expect(style("post-mortem")).toEqual([
      "5319e7",
      "Tracks the follow-up actions of a post-mortem",
    ]);
    expect(style("post-mortem-action")).toEqual([
      "d93f0b",
      "A follow-up action from a post-mortem",
    ]);
    for (const name of ["type: mitigate", "type: process", "priority: P1", "priority: P2"]) {
      expect(style(name)).toEqual(["c5def5", "Set from a post-mortem action"]);
    }
  });

  it("adds no type or priority labels when the config does not ask", async () => {
    const { h, repo, base } = await setup("people:\n  Susan J: susanj\n");
    const after = repo.commit({
      "docs/postmortems/a.md": doc(["| Add alert | @alice | 2026-03-20 | Mitigate | P1 |"]),
    });
    await deliverPush(h, repo, base, after);
    expect(actionIssues(repo).map(labelNames)).toEqual([["post-mortem-action"]]);
    expect(repo.labels().map((l) => l.name)).not.toContain("type: mitigate");
  });

  it("writes the tracking issue: title, date, summary, root cause, link, progress, checklist, findings", async () => {
    const { h, repo, base } = await setup();
    const after = repo.commit({
      "docs/postmortems/a.md": doc([
        "| Add alert | @alice | 2026-03-20 | | P1 |",
        "| Write runbook | Susan J | | | P2 |",
        "| ~~Raise pool size~~ | @bob | 2026-03-01 | | P1 |",
      ]),
    });
    await deliverPush(h, repo, base, after);
    const [tracking] = trackingIssues(repo);
    const [alert, runbook] = actionIssues(repo);
    expect(tracking?.title).toBe("Post-mortem: Checkout outage");
    expect(assigneeLogins(tracking as Issue).sort()).toEqual(["alice", "susanj"]);
    const body = stripMarker(tracking?.body as string);
    const docUrl = `${repo.htmlBase}/blob/main/docs/postmortems/a.md`;
    expect(body).toContain(
      `**Post-mortem:** [Checkout outage](${docUrl}) · incident on 2026-03-01`,
    );
    expect(body).toContain("**Progress:** 1 of 3 done");
    expect(body).toContain("> Checkout failed for 20 minutes.");
    expect(body).toContain("**Root cause:** A connection pool was exhausted.");
    expect(body).toContain(`- [ ] #${alert?.number} Add alert · \`alice\` · due 2026-03-20\n`);
    expect(body).toContain(`- [ ] #${runbook?.number} Write runbook · \`susanj\`\n`);
    expect(body).toMatch(
      /- \[x\] Raise pool size · `@bob` · due 2026-03-01 · done in the document/,
    );
    // Findings sit in a collapsed section; a missing due date is one of them.
    const findings = body.slice(body.indexOf("<details>"), body.indexOf("</details>"));
    expect(findings).toMatch(/^<details><summary>Findings in the document \(\d+\)<\/summary>/);
    expect(findings).toMatch(/\*\*warning\*\* line 17: action "Write runbook" has no target date/);
    // No due date: no milestone.
    expect(milestoneOf(runbook)).toBeNull();
    expect(milestoneOf(alert)?.title).toBe("Post-mortem actions due 2026-03-20");
  });

  it("opens the parser's action for an unknown root cause like any other", async () => {
    const { h, repo, base } = await setup();
    const after = repo.commit({
      "docs/postmortems/a.md": doc(["| Add alert | @alice | 2026-03-20 | | P1 |"], "TBD"),
    });
    await deliverPush(h, repo, base, after);
    const [generated, alert] = actionIssues(repo);
    expect(generated?.title).toBe("Find and document the root cause");
    expect(assigneeLogins(generated as Issue).sort()).toEqual(["alice", "susanj"]);
    expect(milestoneOf(generated)?.title).toMatch(/^Post-mortem actions due 2026-/);
    expect(generated?.body).toContain(
      "_Added by Follow-Through because the post-mortem says the root cause is not known yet._",
    );
    expect(alert?.title).toBe("Add alert");
    expect(trackingIssues(repo)[0]?.body).toContain(
      `#${generated?.number} Find and document the root cause`,
    );
  });

  it("keeps the oldest of two tracking issues and closes the newer as a duplicate, with a link", async () => {
    const { h, repo, base } = await setup();
    const v1 = repo.commit({
      "docs/postmortems/a.md": doc(["| Add alert | @alice | 2026-03-20 | | P1 |"]),
    });
    await deliverPush(h, repo, base, v1);
    const [original] = trackingIssues(repo);
    // Another process opened a second tracking issue for the same post-mortem.
    const copy = repo.userCreateIssue(
      { title: original?.title as string, body: original?.body as string, labels: ["post-mortem"] },
      { login: h.gh.botLogin },
    );
    const v2 = repo.commit({
      "docs/postmortems/a.md": doc(["| Add alert | @alice | 2026-03-27 | | P1 |"]),
    });
    await deliverPush(h, repo, v1, v2);
    expect(repo.issue(original?.number as number)?.state).toBe("open");
    expect(repo.issue(copy.number as number)?.state).toBe("closed");
    expect(repo.issue(copy.number as number)?.state_reason).toBe("duplicate");
    expect(repo.comments(copy.number as number).map((c) => c.body)).toEqual([
      `Duplicate of #${original?.number}.`,
    ]);
    expect(actionIssues(repo)).toHaveLength(1);
  });
});
