/**
 * GitHub requests and time per webhook, against the in-memory fake GitHub answering instantly:
 * first sync, redelivery, issue events, document edits, and how the cost grows with the repository.
 */
import { performance } from "node:perf_hooks";
import { FakeGitHub } from "../test/support/fake-github/fake-github.js";
import type { FakeRepo } from "../test/support/fake-github/repo.js";
import { deliverPush, type Harness, startApp } from "../test/support/harness.js";
import { issuesPayload } from "../test/support/webhooks.js";

const CLOCK = { now: new Date("2026-03-02T10:00:00Z") };

function document(title: string, actions: number, owners: string[], variant = 0): string {
  const rows = Array.from({ length: actions }, (_, i) => {
    const owner = owners[i % owners.length];
    const month = String((i % 9) + 1).padStart(2, "0");
    return `| ${title} action ${i + 1}${variant ? ` (revision ${variant})` : ""} | @${owner} | 2026-${month}-15 |`;
  });
  return [
    "---",
    `title: ${title}`,
    "date: 2026-03-01",
    "---",
    "## Summary",
    "An outage.",
    "## Timeline",
    "10:00 UTC alert.",
    "## Root cause",
    "A bug.",
    "## Follow-up actions",
    "| Action | Owner | Due |",
    "| --- | --- | --- |",
    ...rows,
  ].join("\n");
}

interface World {
  h: Harness;
  gh: FakeGitHub;
  repo: FakeRepo;
  head: string;
}

async function world(owners: string[], config?: string): Promise<World> {
  const gh = new FakeGitHub({ now: () => CLOCK.now });
  const repo = gh.addRepo("acme", "platform");
  for (const login of owners) repo.addCollaborator(login);
  const head = repo.commit({
    "README.md": "# Platform\n",
    ...(config ? { ".github/follow-through.yml": config } : {}),
  });
  const h = await startApp(gh, CLOCK, 100_000);
  return { h, gh, repo, head };
}

/**
 * Requests other than the installation token and the app's own identity (`GET /app`), which the
 * app reads once per process, on the first event about an issue that looks like its own.
 */
function counts(gh: FakeGitHub) {
  const once = (r: { path: string; operationId: string | null }) =>
    r.path.endsWith("/access_tokens") || r.operationId === "apps/get-authenticated";
  return {
    reads: gh.reads().filter((r) => !once(r)).length,
    writes: gh.writes().filter((r) => !once(r)).length,
    subIssueWrites: gh.writes().filter((r) => r.operationId?.includes("sub-issue")).length,
  };
}

async function push(
  w: World,
  files: Record<string, string | null>,
): Promise<{ ms: number; reads: number; writes: number; subIssueWrites: number }> {
  const before = w.head;
  w.head = w.repo.commit(files);
  w.gh.resetRequests();
  const start = performance.now();
  await deliverPush(w.h, w.repo, before, w.head);
  return { ms: performance.now() - start, ...counts(w.gh) };
}

async function redeliver(w: World, before: string) {
  w.gh.resetRequests();
  const start = performance.now();
  await deliverPush(w.h, w.repo, before, w.head);
  return { ms: performance.now() - start, ...counts(w.gh) };
}

let deliveries = 0;

/** `sender` closes issue `number` (the app's bot: the event is the echo of the app's own write). */
async function issueEvent(w: World, number: number, sender: string) {
  const bot = sender === w.gh.botLogin;
  const issue = bot
    ? w.repo.issue(number)
    : w.repo.userUpdateIssue(
        number,
        { state: "closed", state_reason: "completed" },
        { login: sender },
      );
  w.gh.resetRequests();
  const start = performance.now();
  await w.h.probot.receive({
    id: `close-${number}-${++deliveries}`,
    name: "issues",
    payload: issuesPayload("closed", { owner: "acme", name: "platform" }, issue as never, {
      sender: { login: sender, type: bot ? "Bot" : "User" },
    }),
  } as never);
  return { ms: performance.now() - start, ...counts(w.gh) };
}

/** The action issues of a world, in the order they were opened. */
function actionNumbers(w: World, title: string): number[] {
  return w.repo
    .issues()
    .filter((i) => String(i.title).startsWith(`${title} action `))
    .map((i) => i.number as number);
}

/** The fake recorded no request GitHub would reject. */
function checked(w: World): void {
  w.gh.assertNoViolations();
}

const pad = (v: unknown, n: number) => String(v).padStart(n);

export async function run(): Promise<Record<string, unknown>> {
  const owners = ["alice", "bob", "carol"];
  const results: Record<string, unknown> = {};
  // Warm-up: the fake compiles its OpenAPI validators on first use.
  await push(await world(owners), { "docs/postmortems/pm.md": document("Warm-up", 3, owners) });

  console.log("\n## Sync of a merged post-mortem (fake GitHub answering instantly)\n");
  console.log(
    "Minimum writes: one create per action, the tracking issue, the two labels and the milestones",
  );
  console.log(
    "the actions need, and one sub-issue link per action (GitHub takes at most 100 per parent). The",
  );
  console.log("sync makes one more: the tracking issue's update with the new issue numbers.");
  console.log(
    "Minimum reads: the config, the branch head (a late delivery must not sync an older commit), the",
  );
  console.log(
    "compare, the document, one assignability check per owner, and one list each of tracking issues,",
  );
  console.log(
    "action issues, labels and milestones (Probot's config plugin also looks for the organisation's",
  );
  console.log("`.github` repository).\n");
  console.log(
    "| actions | first sync reads | minimum reads | writes | minimum writes | of which sub-issue links | writes without sub-issues | redelivery reads | redelivery writes | ms first | ms redelivery |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const firstSync: unknown[] = [];
  for (const n of [1, 10, 100, 300]) {
    const w = await world(owners);
    const before = w.head;
    const first = await push(w, { "docs/postmortems/pm.md": document("Outage", n, owners) });
    const milestones = Math.min(n, 9);
    // One create per action, the tracking issue, its labels (2) and the milestones they need.
    // … and one sub-issue link per action, up to GitHub's 100 per parent.
    const minimum = n + 1 + 2 + milestones + Math.min(n, 100);
    const minimumReads = 4 + Math.min(n, owners.length) + 4;
    const again = await redeliver(w, before);
    checked(w);
    const plain = await world(owners, "tracking:\n  sub_issues: false\n");
    const off = await push(plain, { "docs/postmortems/pm.md": document("Outage", n, owners) });
    checked(plain);
    firstSync.push({ actions: n, first, minimum, minimumReads, redelivery: again, off });
    console.log(
      `| ${pad(n, 3)} | ${pad(first.reads, 4)} | ${pad(minimumReads, 4)} | ${pad(first.writes, 4)} | ${pad(minimum, 4)} | ${pad(first.subIssueWrites, 3)} | ${pad(off.writes, 4)} | ${pad(again.reads, 3)} | ${pad(again.writes, 2)} | ${first.ms.toFixed(0)} | ${again.ms.toFixed(0)} |`,
    );
  }
  results.firstSync = firstSync;

  console.log("\n## Events and edits on one post-mortem\n");
  console.log(
    "An owned event reads the tracking issue and, when the payload changes what it shows, the action",
  );
  console.log(
    "issue again (a late delivery must not undo a newer change); it writes the tracking issue once.",
  );
  console.log(
    "The last action closing is the one event with two writes: GitHub cannot close an issue and",
  );
  console.log(
    "comment in one request. The app's own bot login is read once per process (`GET /app`, not counted).\n",
  );
  const w = await world(owners);
  await push(w, { "docs/postmortems/pm.md": document("Outage", 100, owners) });
  const [first100] = actionNumbers(w, "Outage");
  const owned = await issueEvent(w, first100 as number, "alice");
  const echo = await issueEvent(w, first100 as number, w.gh.botLogin);
  const foreign = w.repo.userCreateIssue({ title: "Unrelated bug" }, { login: "bob" });
  const notOwned = await issueEvent(w, foreign.number as number, "bob");
  const edit = await push(w, {
    "docs/postmortems/pm.md": document("Outage", 100, owners).replace(
      "Outage action 7 |",
      "Outage action 7, reworded |",
    ),
  });
  checked(w);

  const large = await world(owners);
  await push(large, { "docs/postmortems/pm.md": document("Large", 300, owners) });
  const numbers300 = actionNumbers(large, "Large");
  const owned300 = await issueEvent(large, numbers300.at(-1) as number, "alice");
  checked(large);

  const small = await world(owners);
  await push(small, { "docs/postmortems/pm.md": document("Small", 10, owners) });
  const numbers10 = actionNumbers(small, "Small");
  for (const n of numbers10.slice(0, -1)) await issueEvent(small, n, "alice");
  const last = await issueEvent(small, numbers10.at(-1) as number, "bob");
  checked(small);

  console.log("| what | actions | reads | writes | ms |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  const row = (what: string, actions: number, r: { reads: number; writes: number; ms: number }) =>
    console.log(`| ${what} | ${actions} | ${r.reads} | ${r.writes} | ${r.ms.toFixed(0)} |`);
  row("action issue closed (owned)", 100, owned);
  row("action issue closed (owned)", 300, owned300);
  row("last action closed: tracking issue closed + summary comment", 10, last);
  row("echo of the app's own write", 100, echo);
  row("issue not owned closed", 100, notOwned);
  row("document edit: one action reworded", 100, edit);
  results.events = { owned, owned300, last, echo, notOwned, edit };

  console.log("\n## How one event's cost grows with the repository\n");
  console.log("| post-mortems | actions | event reads | event writes | edit reads | edit writes |");
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: |");
  const growth: unknown[] = [];
  for (const docs of [1, 20, 200]) {
    const big = await world(owners);
    const files: Record<string, string> = {};
    for (let d = 0; d < docs; d++)
      files[`docs/postmortems/pm-${d}.md`] = document(`Incident ${d}`, 10, owners);
    await push(big, files);
    const target = big.repo.issues().find((i) => String(i.title) === "Incident 0 action 1");
    const event = await issueEvent(big, target?.number as number, "alice");
    const edited = await push(big, {
      "docs/postmortems/pm-0.md": document("Incident 0", 10, owners, 1),
    });
    checked(big);
    growth.push({ docs, actions: docs * 10, event, edit: edited });
    console.log(
      `| ${pad(docs, 3)} | ${pad(docs * 10, 5)} | ${event.reads} | ${event.writes} | ${edited.reads} | ${edited.writes} |`,
    );
  }
  results.growth = growth;
  results.writeBack = await writeBackCosts(owners);
  return results;
}

/** The write-back pull request's cost on top of a sync, and what its merge costs (nothing). */
async function writeBackCosts(owners: string[]): Promise<unknown[]> {
  console.log("\n## Write-back pull request (`write_back: pull_request`)\n");
  console.log(
    "On top of the sync: one list of the app's pull requests from its branch, the parent commit's",
  );
  console.log(
    "tree, and the rewritten document parsed to check it; writes: tree, commit, branch, pull",
  );
  console.log(
    "request (4 the first time, whatever the number of actions). Merging it writes nothing.\n",
  );
  console.log(
    "| actions | extra reads | write-back writes | redelivery writes | merge reads | merge writes | ms sync without | ms sync with |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const rows: unknown[] = [];
  const path = "docs/postmortems/pm.md";
  const config = "write_back: pull_request\ntracking:\n  sub_issues: false\n";
  // Warm-up: the rewrite and the git endpoints' validators on first use.
  await push(await world(owners, config), { [path]: document("Warm-up", 3, owners) });
  for (const n of [1, 10, 100, 300]) {
    const plain = await world(owners, "tracking:\n  sub_issues: false\n");
    const without = await push(plain, { [path]: document("Outage", n, owners) });
    const w = await world(owners, config);
    const before = w.head;
    const first = await push(w, { [path]: document("Outage", n, owners) });
    const writeBackWrites = w.gh
      .writes()
      .filter((r) => /^(git|pulls)\//.test(r.operationId ?? "")).length;
    const again = await redeliver(w, before);
    const pull = w.repo.pulls().find((p) => p.viaApp && p.state === "open");
    if (!pull) throw new Error("no write-back pull request");
    const merged = w.repo.mergePull(pull.number);
    const mergeBefore = w.head;
    w.head = merged;
    w.gh.resetRequests();
    const start = performance.now();
    await deliverPush(w.h, w.repo, mergeBefore, merged);
    const merge = { ms: performance.now() - start, ...counts(w.gh) };
    checked(w);
    checked(plain);
    rows.push({ actions: n, without, first, writeBackWrites, again, merge });
    console.log(
      `| ${pad(n, 3)} | ${pad(first.reads - without.reads, 3)} | ${pad(writeBackWrites, 2)} | ${pad(again.writes, 2)} | ${pad(merge.reads, 3)} | ${pad(merge.writes, 2)} | ${without.ms.toFixed(0)} | ${first.ms.toFixed(0)} |`,
    );
  }
  return rows;
}
