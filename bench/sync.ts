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

async function world(owners: string[]): Promise<World> {
  const gh = new FakeGitHub({ now: () => CLOCK.now });
  const repo = gh.addRepo("acme", "platform");
  for (const login of owners) repo.addCollaborator(login);
  const head = repo.commit({ "README.md": "# Platform\n" });
  const h = await startApp(gh, CLOCK, 100_000);
  return { h, gh, repo, head };
}

function counts(gh: FakeGitHub) {
  const isToken = (path: string) => path.endsWith("/access_tokens");
  return {
    reads: gh.reads().filter((r) => !isToken(r.path)).length,
    writes: gh.writes().filter((r) => !isToken(r.path)).length,
  };
}

async function push(
  w: World,
  files: Record<string, string | null>,
): Promise<{ ms: number; reads: number; writes: number }> {
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

async function issueEvent(w: World, number: number, sender: string) {
  const issue = w.repo.userUpdateIssue(
    number,
    { state: "closed", state_reason: "completed" },
    { login: sender },
  );
  w.gh.resetRequests();
  const start = performance.now();
  await w.h.probot.receive({
    id: `close-${number}`,
    name: "issues",
    payload: issuesPayload("closed", { owner: "acme", name: "platform" }, issue as never, {
      sender: { login: sender },
    }),
  } as never);
  return { ms: performance.now() - start, ...counts(w.gh) };
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
    "the actions need. The sync makes one more: the tracking issue's update with the new issue numbers.\n",
  );
  console.log(
    "| actions | first sync reads | writes | minimum writes | redelivery writes | ms first | ms redelivery |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const firstSync: unknown[] = [];
  for (const n of [1, 10, 100]) {
    const w = await world(owners);
    const before = w.head;
    const first = await push(w, { "docs/postmortems/pm.md": document("Outage", n, owners) });
    const milestones = Math.min(n, 9);
    // One create per action, the tracking issue, its labels (2) and the milestones they need.
    const minimum = n + 1 + 2 + milestones;
    const again = await redeliver(w, before);
    firstSync.push({ actions: n, first, minimum, redelivery: again });
    console.log(
      `| ${pad(n, 3)} | ${pad(first.reads, 4)} | ${pad(first.writes, 4)} | ${pad(minimum, 4)} | ${pad(again.writes, 2)} | ${first.ms.toFixed(0)} | ${again.ms.toFixed(0)} |`,
    );
  }
  results.firstSync = firstSync;

  console.log("\n## Events and edits on a post-mortem of 100 actions\n");
  const w = await world(owners);
  await push(w, { "docs/postmortems/pm.md": document("Outage", 100, owners) });
  const action = w.repo.issues().find((i) => String(i.title).startsWith("Outage action 1"));
  const owned = await issueEvent(w, action?.number as number, "alice");
  const foreign = w.repo.userCreateIssue({ title: "Unrelated bug" }, { login: "bob" });
  const notOwned = await issueEvent(w, foreign.number as number, "bob");
  const edit = await push(w, {
    "docs/postmortems/pm.md": document("Outage", 100, owners).replace(
      "Outage action 7 |",
      "Outage action 7, reworded |",
    ),
  });
  console.log("| what | reads | writes | ms |");
  console.log("| --- | ---: | ---: | ---: |");
  console.log(
    `| action issue closed (owned) | ${owned.reads} | ${owned.writes} | ${owned.ms.toFixed(0)} |`,
  );
  console.log(
    `| issue not owned closed | ${notOwned.reads} | ${notOwned.writes} | ${notOwned.ms.toFixed(0)} |`,
  );
  console.log(
    `| document edit: one action reworded | ${edit.reads} | ${edit.writes} | ${edit.ms.toFixed(0)} |`,
  );
  results.events = { owned, notOwned, edit };

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
    growth.push({ docs, actions: docs * 10, event, edit: edited });
    console.log(
      `| ${pad(docs, 3)} | ${pad(docs * 10, 5)} | ${event.reads} | ${event.writes} | ${edited.reads} | ${edited.writes} |`,
    );
  }
  results.growth = growth;
  return results;
}
