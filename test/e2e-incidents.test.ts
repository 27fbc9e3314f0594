/**
 * Incidents on the OpenAPI-checked fake with a fake clock: the post-mortem that is due after an
 * incident closes, the links between an incident and its post-mortem's tracking issue, the
 * review's incident section and the pull request check.
 */
import { describe, expect, it } from "vitest";
import { incidentMarker, readIncidentMarker } from "../src/core/plan/marker.js";
import { defaultDeps } from "../src/handlers/deps.js";
import { runDailyForRepo } from "../src/schedule.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { fakeOctokit, TEST_MARKER_KEY } from "./support/harness.js";
import {
  actionIssues,
  commentBodies,
  type Life,
  numberOf,
  PATH,
  personChanges,
  postmortem,
  push,
  ROWS,
  START,
  startLife,
  trackingIssue,
  visible,
} from "./support/lifecycle.js";
import { deliver, pullRequestPayload } from "./support/webhooks.js";

const clock = { now: new Date("2026-03-02T10:00:00Z") };
const github = useFakeGitHub(() => ({ now: () => clock.now }));
const HOUR = 3_600_000;

const CONFIG = "incidents:\n  owners: [carol]\n";

/** A person opens an incident issue and closes it (`reason`) at the clock's time. */
function closedIncident(
  life: Life,
  options: { assignees?: string[]; labels?: string[]; reason?: "completed" | "not_planned" } = {},
): number {
  const issue = life.repo.userCreateIssue(
    {
      title: "Checkout is down",
      labels: ["incident", ...(options.labels ?? [])],
      assignees: options.assignees ?? [],
    },
    { login: "alice" },
  );
  const number = issue.number as number;
  life.repo.userUpdateIssue(
    number,
    { state: "closed", state_reason: options.reason ?? "completed" },
    { login: "alice" },
  );
  return number;
}

async function daily(
  life: Life,
  work: Parameters<typeof runDailyForRepo>[3] = {},
  writeBudget?: number,
) {
  const octokit = new (fakeOctokit(life.gh))({ auth: { token: "test-token" } });
  return runDailyForRepo(
    octokit,
    { owner: "acme", repo: "platform", htmlUrl: life.repo.htmlBase },
    defaultDeps({
      now: () => clock.now,
      schedule: false,
      markerKey: TEST_MARKER_KEY,
      ...(writeBudget === undefined ? {} : { writeBudget }),
    }),
    { skipReview: true, ...work },
  );
}

/** The clock `hours` after the incidents closed (they close at the start of each test). */
const at = (_life: Life, hours: number) => {
  clock.now = new Date(Date.parse(START) + hours * HOUR);
};
const dueComments = (life: Life, number: number) =>
  commentBodies(life.repo, number).filter((b) => readIncidentMarker(b)?.event === "due");

describe("the post-mortem due after an incident closes", () => {
  it("comments once after the due time, not before, not twice, not after a reopen and close", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const incident = closedIncident(life, { assignees: ["dave"] });
    at(life, 47);
    expect((await daily(life)).incidents?.reminded).toEqual([]);
    expect(commentBodies(life.repo, incident)).toEqual([]);

    at(life, 49);
    const first = await daily(life);
    expect(first.incidents?.reminded).toEqual([incident]);
    const [comment] = dueComments(life, incident);
    expect(comment).toContain("@dave ");
    expect(comment).not.toContain("@carol");
    expect(comment).toContain("docs/postmortem-template.md");
    expect(comment).toContain("`**/postmortems/**/*.md`");
    expect(comment).toContain(`\`incident: ${incident}\``);

    at(life, 60);
    expect((await daily(life)).incidents?.already).toEqual([incident]);
    life.repo.userUpdateIssue(incident, { state: "open" }, { login: "alice" });
    life.repo.userUpdateIssue(incident, { state: "closed", state_reason: "completed" });
    at(life, 100);
    await daily(life);
    expect(dueComments(life, incident)).toHaveLength(1);
    expect(commentBodies(life.repo, incident)).toHaveLength(1);
  });

  it("is not kept from commenting by a marker a person wrote", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const incident = closedIncident(life);
    life.repo.userComment(incident, `no need\n\n${incidentMarker({ event: "due" })}`, "mallory");
    at(life, 49);
    expect((await daily(life)).incidents?.reminded).toEqual([incident]);
    expect(dueComments(life, incident)).toHaveLength(2);
    expect(commentBodies(life.repo, incident)[1]).toMatch(
      /follow-through:incident \{.*\} [\w-]{22} -->/,
    );
  });

  it("reports a failed comment as the incidents step, and comments on the next run", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const incident = closedIncident(life);
    at(life, 49);
    life.gh.failNext({ operationId: "issues/create-comment", status: 500 });
    const failed = await daily(life);
    expect(failed.failed?.map((f) => f.step)).toEqual(["incidents"]);
    expect(commentBodies(life.repo, incident)).toEqual([]);
    at(life, 73);
    expect((await daily(life)).incidents?.reminded).toEqual([incident]);
    expect(dueComments(life, incident)).toHaveLength(1);
  });

  it("stops at the write budget and goes on the next run", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const first = closedIncident(life);
    const second = closedIncident(life);
    at(life, 49);
    const result = await daily(life, {}, 1);
    expect(result.incidents).toMatchObject({ reminded: [first], outOfWrites: true });
    at(life, 73);
    expect((await daily(life)).incidents).toMatchObject({ reminded: [second], already: [first] });
  });

  it("mentions the configured owners when the incident has no assignee", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const incident = closedIncident(life);
    at(life, 49);
    await daily(life);
    expect(dueComments(life, incident)[0]).toContain("@carol ");
  });

  it("skips incidents closed as not planned or labelled no-postmortem, ", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const notPlanned = closedIncident(life, { reason: "not_planned" });
    const exempt = closedIncident(life, { labels: ["no-postmortem"] });
    at(life, 49);
    expect((await daily(life)).incidents?.reminded).toEqual([]);
    expect(commentBodies(life.repo, notPlanned)).toEqual([]);
    expect(commentBodies(life.repo, exempt)).toEqual([]);
  });

  it("does nothing with incidents: false", async () => {
    const life = await startLife(github(), clock, "incidents: false\n");
    const ignored = closedIncident(life);
    at(life, 49);
    expect((await daily(life)).incidents).toBeUndefined();
    expect(commentBodies(life.repo, ignored)).toEqual([]);
  });

  it("does not comment once a pull request with a post-mortem referring to it is open", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const incident = closedIncident(life);
    const other = closedIncident(life);
    life.repo.commit(
      {
        "docs/postmortems/2026-03-02-checkout.md": postmortem([ROWS.alert]).replace(
          "## Summary",
          `Incident: #${incident}\n\n## Summary`,
        ),
      },
      { branch: "pm", from: life.repo.defaultBranch },
    );
    life.repo.openPullRequest({ head: "pm", title: "Post-mortem" });
    at(life, 49);
    const result = await daily(life);
    expect(result.incidents?.found).toEqual([incident]);
    expect(result.incidents?.reminded).toEqual([other]);
    expect(commentBodies(life.repo, incident)).toEqual([]);
  });

  it("does not comment when a document on the default branch refers to it, synced or not", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const synced = closedIncident(life);
    const unsynced = closedIncident(life);
    await push(life, {
      [PATH]: postmortem([ROWS.alert]).replace("---\n#", `incident: ${synced}\n---\n#`),
    });
    // Committed without a push delivery: only the tree and the file tell.
    life.repo.commit({ "docs/postmortems/2026-03-03-db.md": `# DB\n\nIncident #${unsynced}.\n` });
    at(life, 49);
    const result = await daily(life);
    expect(result.incidents?.reminded).toEqual([]);
    expect(commentBodies(life.repo, unsynced)).toEqual([]);
    expect(dueComments(life, synced)).toEqual([]);
  });

  it("counts a synced post-mortem that referred to the issue before it was labelled an incident", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const issue = life.repo.userCreateIssue({ title: "Checkout is down" }, { login: "alice" })
      .number as number;
    await push(life, {
      [PATH]: postmortem([ROWS.alert]).replace("## Summary", `About #${issue}.\n\n## Summary`),
    });
    life.repo.userUpdateIssue(issue, { labels: ["incident"], state: "closed" }, { login: "alice" });
    at(life, 49);
    const result = await daily(life);
    expect(result.incidents?.reminded).toEqual([]);
    expect(commentBodies(life.repo, issue)).toEqual([]);
  });

  it("finds the closed incidents with one list read per run", async () => {
    const life = await startLife(github(), clock, CONFIG);
    for (let i = 0; i < 3; i++) closedIncident(life);
    at(life, 49);
    const before = life.gh.reads().length;
    await daily(life);
    const lists = life.gh
      .reads()
      .slice(before)
      .filter((r) => r.operationId === "issues/list-for-repo" && r.query.labels === "incident");
    expect(lists).toHaveLength(1);
  });
});

describe("an incident and its post-mortem, linked both ways", () => {
  it("links on merge once, and says so when the last action closes", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const incident = closedIncident(life);
    const doc = (rows: string[]) =>
      postmortem(rows).replace("authors: [alice]", `authors: [alice]\nincident: ${incident}`);
    await push(life, { [PATH]: doc([ROWS.alert, ROWS.runbook]) });
    const tracking = trackingIssue(life.repo);
    expect(visible(tracking)).toContain(`**Incident:** #${incident}`);
    const linked = commentBodies(life.repo, incident);
    expect(linked).toHaveLength(1);
    expect(readIncidentMarker(linked[0])).toEqual({
      event: "linked",
      tracking: numberOf(tracking),
    });
    expect(linked[0]).toContain(`tracked in #${numberOf(tracking)}`);

    await push(life, { [PATH]: doc([ROWS.alert, ROWS.runbook, ROWS.loadTest]) });
    expect(commentBodies(life.repo, incident)).toHaveLength(1);

    const [first, second, third] = actionIssues(life.repo).map(numberOf);
    for (const number of [first, second] as number[])
      await personChanges(
        life,
        "alice",
        number,
        { state: "closed", state_reason: "completed" },
        "closed",
      );
    expect(commentBodies(life.repo, incident)).toHaveLength(1);
    await personChanges(
      life,
      "alice",
      third as number,
      { state: "closed", state_reason: "completed" },
      "closed",
    );
    expect(life.repo.issue(numberOf(tracking))?.state).toBe("closed");
    const bodies = commentBodies(life.repo, incident);
    expect(bodies).toHaveLength(2);
    expect(readIncidentMarker(bodies[1])).toEqual({
      event: "complete",
      tracking: numberOf(tracking),
    });
    expect(bodies[1]).toContain("follow-through of this incident is complete");
  });

  it("says the follow-through is complete when a push marks the last action done", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const incident = closedIncident(life);
    const doc = (row: string) =>
      postmortem([row]).replace("authors: [alice]", `authors: [alice]\nincident: ${incident}`);
    await push(life, { [PATH]: doc(ROWS.alert) });
    await push(life, { [PATH]: doc(ROWS.alert.replace("| |", "| Done |")) });
    expect(trackingIssue(life.repo).state).toBe("closed");
    const events = commentBodies(life.repo, incident).map((b) => readIncidentMarker(b)?.event);
    expect(events).toEqual(["linked", "complete"]);
    await push(life, { [PATH]: `${doc(ROWS.alert.replace("| |", "| Done |"))}\n` });
    expect(commentBodies(life.repo, incident)).toHaveLength(2);
  });

  it("does not link an issue that is not labelled as an incident", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const plain = life.repo.userCreateIssue({ title: "A bug" }, { login: "alice" })
      .number as number;
    await push(life, { [PATH]: `${postmortem([ROWS.alert])}\nSee #${plain}.\n` });
    expect(visible(trackingIssue(life.repo))).not.toContain("**Incident");
    expect(commentBodies(life.repo, plain)).toEqual([]);
  });
});

describe("the review's incident section", () => {
  it("lists incidents with and without post-mortems, overdue first, with the share on time", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const covered = closedIncident(life);
    const late = closedIncident(life);
    clock.now = new Date(clock.now.getTime() + 10 * HOUR);
    await push(life, {
      [PATH]: postmortem([ROWS.alert]).replace(
        "authors: [alice]",
        `authors: [alice]\nincident: ${covered}`,
      ),
    });
    clock.now = new Date("2026-03-06T09:00:00Z");
    const result = await daily(life, { skipReview: false, month: "2026-03", reminders: false });
    expect(result.review?.outcome).toBe("created");
    const review = life.repo.issue(result.review?.number as number);
    const body = review?.body as string;
    const section = body.slice(body.indexOf("### Incidents closed since February 2026"));
    expect(section).toContain("(2)");
    expect(section).toContain(
      "Post-mortem on time: **50%** (1 of 2 incidents past their due time).",
    );
    const rows = section.split("\n").filter((l) => l.startsWith("| #"));
    expect(rows[0]).toContain(`#${late} `);
    expect(rows[0]).toContain("**none yet** (overdue)");
    expect(rows[1]).toContain(`#${covered} `);
    expect(rows[1]).toContain(`#${numberOf(trackingIssue(life.repo))} Checkout outage`);
  });
});

describe("the pull request check", () => {
  it("links a closed incident in the preview and notes a reference that is not an incident", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const incident = closedIncident(life);
    const plain = life.repo.userCreateIssue({ title: "A bug" }, { login: "alice" })
      .number as number;
    const doc =
      `${postmortem([ROWS.alert]).replace("authors: [alice]", `authors: [alice]\nincident: ${incident}`)}`.replace(
        "## Summary",
        `Caused by #${plain}.\n\n## Summary`,
      );
    const headSha = life.repo.commit(
      { [PATH]: doc },
      { branch: "pm", from: life.repo.defaultBranch },
    );
    const number = life.repo.openPullRequest({ head: "pm", title: "Post-mortem" });
    await deliver(
      life.h.probot,
      "pull_request",
      pullRequestPayload(
        "opened",
        {
          owner: "acme",
          name: "platform",
          defaultBranch: life.repo.defaultBranch,
          installationId: life.repo.installationId,
          id: life.repo.id,
        },
        { number, headSha, headRef: "pm" },
      ),
    );
    const [check] = life.repo.checkRuns();
    const summary = String((check?.output as { summary: string } | undefined)?.summary);
    expect(summary).toContain(
      `links the closed incident [#${incident} Checkout is down](${life.repo.htmlBase}/issues/${incident})`,
    );
    expect(summary).toContain(`#${plain} is not labelled "incident"`);
    expect(check?.annotations.some((a) => a.message.includes(`#${plain} is not labelled`))).toBe(
      true,
    );
    expect(summary).not.toContain(`#${plain} Checkout`);
  });
});
