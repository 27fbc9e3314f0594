/**
 * Issue types and organization issue fields, through Probot on the fake GitHub: set where the
 * owner defines them, a finding (never a failed sync) where it does not.
 */
import { describe, expect, it } from "vitest";
import type { FakeGitHub } from "./support/fake-github/index.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import {
  actionIssues,
  actionNamed,
  type Life,
  numberOf,
  PATH,
  postmortem,
  pullRequestCheckSummary,
  push,
  ROWS,
  START,
  startLife,
  trackingIssue,
  traffic,
} from "./support/lifecycle.js";

const clock = { now: new Date(START) };
const github = useFakeGitHub(() => ({ now: () => clock.now }));

const CONFIG = [
  "issue_type: Task",
  "tracking:",
  "  issue_type: Epic",
  "fields:",
  "  due: Due date",
  "  priority: Priority",
  "",
].join("\n");

/** The organization `acme` with two types, a date field and a priority select. */
function organization(gh: FakeGitHub): void {
  gh.addIssueType("acme", "Task");
  gh.addIssueType("acme", "Epic");
  gh.addIssueField("acme", { name: "Due date", dataType: "date" });
  gh.addIssueField("acme", {
    name: "Priority",
    dataType: "single_select",
    options: ["P0", "P1", "P2"],
  });
}

const typeOf = (issue: Record<string, unknown> | undefined) =>
  (issue?.type as { name: string } | null)?.name ?? null;
const fieldsOf = (issue: Record<string, unknown> | undefined) =>
  Object.fromEntries(
    ((issue?.issue_field_values ?? []) as { issue_field_id: number; value: unknown }[]).map((v) => [
      v.issue_field_id,
      v.value,
    ]),
  );

/** Opens a pull request that changes the document to `rows`; answers its check's summary. */
function checkSummary(life: Life, rows: string[]): Promise<string> {
  return pullRequestCheckSummary(life, { [PATH]: postmortem(rows) });
}

async function synced(config: string, setup = organization): Promise<Life> {
  const gh = github();
  setup(gh);
  const life = await startLife(gh, clock, config);
  await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]) });
  return life;
}

describe("issue types and fields", () => {
  it("opens action issues with their type, target date and priority, and the tracking issue with its type", async () => {
    const life = await synced(CONFIG);
    const [due, priority] = life.gh.orgMeta("acme").fields.map((f) => f.id);
    expect(typeOf(trackingIssue(life.repo))).toBe("Epic");
    const alert = actionNamed(life.repo, "Add pool saturation alert");
    expect(typeOf(alert)).toBe("Task");
    expect(fieldsOf(alert)).toEqual({ [due as number]: "2026-03-10", [priority as number]: "P1" });
    for (const issue of actionIssues(life.repo)) expect(typeOf(issue)).toBe("Task");
    // Set within the creates: no write of its own; the types and fields read once.
    const { writes, reads } = traffic(life.gh);
    expect(writes.filter((w) => w === "PATCH issues/update")).toHaveLength(1);
    expect(reads.filter((r) => /issue-types|issue-fields/.test(r))).toEqual([
      "GET repos/list-issue-types",
      "GET orgs/list-issue-fields",
    ]);

    // A redelivery or an unrelated edit changes nothing; a new date moves the field.
    life.gh.resetRequests();
    await push(life, {
      [PATH]: postmortem([
        ROWS.alert.replace("2026-03-10", "2026-03-12"),
        ROWS.runbook,
        ROWS.loadTest,
      ]),
    });
    expect(fieldsOf(life.repo.issue(numberOf(alert)))[due as number]).toBe("2026-03-12");
    const patched = life.gh
      .writes()
      .filter((w) => w.operationId === "issues/update")
      .map((w) => w.path.split("/").pop());
    expect(patched).toContain(String(numberOf(alert)));
    expect(patched).not.toContain(
      String(numberOf(actionNamed(life.repo, "Write the checkout runbook"))),
    );
  });

  it("keeps a type a person chose, and gives a type to issues that have none", async () => {
    const life = await synced("labels:\n  priority: true\n");
    const runbook = numberOf(actionNamed(life.repo, "Write the checkout runbook"));
    expect(typeOf(life.repo.issue(runbook))).toBeNull();
    life.gh.addIssueType("acme", "Bug");
    // A person sets one issue's type; then the config asks for Task.
    life.repo.issueState(runbook).type = life.gh.orgMeta("acme").typeNamed("Bug").id;
    await push(life, {
      ".github/follow-through.yml": "issue_type: Task\n",
      [PATH]: postmortem([
        ROWS.alert,
        ROWS.runbook,
        ROWS.loadTest,
        "| Add a canary | @dave | 2026-04-05 | P2 | |",
      ]),
    });
    expect(typeOf(life.repo.issue(runbook))).toBe("Bug");
    for (const issue of actionIssues(life.repo).filter((i) => i.number !== runbook))
      expect(typeOf(issue)).toBe("Task");
  });

  it("reports an unknown type, field or option as a finding and still syncs", async () => {
    const config = [
      "issue_type: Chore",
      "fields:",
      "  due: Target",
      "  priority: Priority",
      "",
    ].join("\n");
    const life = await synced(config, (gh) => {
      gh.addIssueType("acme", "Task");
      gh.addIssueField("acme", {
        name: "Priority",
        dataType: "single_select",
        options: ["High", "Low"],
      });
    });
    expect(actionIssues(life.repo)).toHaveLength(3);
    for (const issue of actionIssues(life.repo)) {
      expect(typeOf(issue)).toBeNull();
      expect(fieldsOf(issue)).toEqual({});
    }

    // The pull request's check says what will not be set, and why.
    const summary = await checkSummary(life, [
      ROWS.alert,
      ROWS.runbook,
      "| Add a canary | @dave | 2026-04-05 | P2 | |",
    ]);
    expect(summary).toContain(
      'issue type "Chore" (for action issues) is not one the repository\'s owner defines (Task)',
    );
    expect(summary).toContain('no organization issue field is named "Target"');
    expect(summary).toContain('"Priority" has no option "P2" (it has High, Low)');
  });

  it("goes without types and fields where the owner is a user (GitHub answers 404)", async () => {
    const life = await startLife(github(), clock, CONFIG, { ownerType: "User" });
    await push(life, { [PATH]: postmortem([ROWS.alert]) });
    expect(actionIssues(life.repo)).toHaveLength(1);
    expect(typeOf(actionIssues(life.repo)[0])).toBeNull();
    expect(traffic(life.gh).reads).toContain("GET repos/list-issue-types");
  });

  it("syncs without fields when the app may not read them (403), with the type still set", async () => {
    const gh = github();
    organization(gh);
    const life = await startLife(gh, clock, CONFIG);
    gh.failNext({ operationId: "orgs/list-issue-fields", status: 403 });
    await push(life, { [PATH]: postmortem([ROWS.alert]) });
    const [issue] = actionIssues(life.repo);
    expect(typeOf(issue)).toBe("Task");
    expect(fieldsOf(issue)).toEqual({});
  });

  it("lists the types and fields a merge will set in the pull request's check", async () => {
    const life = await synced(CONFIG);
    const summary = await checkSummary(life, [
      ROWS.alert.replace("2026-03-10", "2026-03-11"),
      ROWS.runbook,
      ROWS.loadTest,
      "| Add a canary | @dave | 2026-04-05 | P2 | |",
    ]);
    expect(summary).toContain(
      "**Issue types and fields:** sets the issue type on 1 issue (Task); sets issue fields on 2 issues.",
    );
  });
});
