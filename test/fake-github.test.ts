import { generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import {
  FakeGitHub,
  type FakeRepo,
  secondaryRateLimit,
  tooManyRequests,
} from "./support/fake-github/index.js";
import { operationById } from "./support/fake-github/openapi.js";
import { renderIssue } from "./support/fake-github/render.js";
import { checkResponse } from "./support/fake-github/validation.js";
import { useFakeGitHub } from "./support/fake-github/vitest.js";

const owner = "acme";
const repoName = "service";
const at = (iso: string) => new Date(iso);

/** Octokit on the fake; its request log stays quiet, since failures here are provoked on purpose. */
function client(gh: FakeGitHub, installationId = 1): Octokit {
  const quiet = () => {};
  return new Octokit({
    auth: gh.installationToken(installationId),
    request: { fetch: gh.fetch },
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
}

function seed(gh: FakeGitHub): FakeRepo {
  const repo = gh.addRepo(owner, repoName);
  repo.addCollaborator("alice");
  repo.addCollaborator("bob");
  return repo;
}

function decode(content: string): string {
  return Buffer.from(content, "base64").toString("utf8");
}

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

describe("FakeGitHub issues", () => {
  const github = useFakeGitHub({ now: () => at("2026-03-01T10:00:00Z") });

  it("creates issues with assignees, milestone and labels, creating missing labels", async () => {
    const gh = github();
    seed(gh);
    const octokit = client(gh);
    const { data: milestone } = await octokit.issues.createMilestone({
      owner,
      repo: repoName,
      title: "2026-03-15",
    });
    const { data: issue, headers } = await octokit.issues.create({
      owner,
      repo: repoName,
      title: "Add alerting on replica lag",
      body: "from the post-mortem",
      assignees: ["Alice"],
      milestone: milestone.number,
      labels: ["follow-through", "bug"],
    });
    expect(issue.number).toBe(1);
    expect(headers.location).toBe(`https://api.github.com/repos/${owner}/${repoName}/issues/1`);
    expect(issue.assignees?.map((a) => a.login)).toEqual(["alice"]);
    expect(issue.milestone?.number).toBe(milestone.number);
    expect(issue.user?.login).toBe("follow-through[bot]");
    expect(issue.performed_via_github_app?.slug).toBe("follow-through");
    const created = gh.repo(owner, repoName).labels();
    expect(created.find((l) => l.name === "follow-through")).toMatchObject({ color: "ededed" });
    const { data: reread } = await octokit.issues.getMilestone({
      owner,
      repo: repoName,
      milestone_number: milestone.number,
    });
    expect(reread.open_issues).toBe(1);
  });

  it("filters by labels (all of them, any case), state, assignee and milestone", async () => {
    const gh = github();
    const repo = seed(gh);
    const octokit = client(gh);
    const make = (title: string, labels: string[], assignees: string[] = []) =>
      octokit.issues.create({ owner, repo: repoName, title, labels, assignees });
    await make("a", ["follow-through", "action"], ["alice"]);
    await make("b", ["follow-through", "tracking"]);
    await make("c", ["action"], ["bob"]);
    repo.userUpdateIssue(1, { state: "closed" }, { login: "alice" });

    const titles = async (params: Record<string, string>) =>
      (await octokit.issues.listForRepo({ owner, repo: repoName, ...params })).data.map(
        (i) => i.title,
      );
    expect(await titles({ labels: "follow-through" })).toEqual(["b"]);
    expect(await titles({ labels: "FOLLOW-THROUGH,action", state: "all" })).toEqual(["a"]);
    expect(await titles({ state: "all", assignee: "none" })).toEqual(["b"]);
    expect(await titles({ state: "all", assignee: "bob" })).toEqual(["c"]);
    expect(await titles({ state: "closed" })).toEqual(["a"]);
    expect(await titles({ state: "all", sort: "created", direction: "asc" })).toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(await titles({ state: "all", milestone: "none" })).toHaveLength(3);
  });

  it("paginates with Link headers that octokit.paginate follows, and lists pull requests too", async () => {
    const gh = github();
    const repo = seed(gh);
    repo.commit({ "README.md": "hello\n" });
    repo.commit({ "b.txt": "x\n" }, { branch: "feature" });
    const octokit = client(gh);
    for (let i = 1; i <= 44; i++) {
      await octokit.issues.create({ owner, repo: repoName, title: `issue ${i}`, labels: ["ft"] });
    }
    const pr = repo.openPullRequest({ head: "feature", title: "a change" });

    const first = await octokit.issues.listForRepo({ owner, repo: repoName, per_page: 20 });
    expect(first.data).toHaveLength(20);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain("page=3");

    const all = await octokit.paginate(octokit.issues.listForRepo, {
      owner,
      repo: repoName,
      per_page: 20,
    });
    expect(all).toHaveLength(45);
    expect(new Set(all.map((i) => i.number)).size).toBe(45);
    expect(all.find((i) => i.number === pr)?.pull_request?.url).toContain(`/pulls/${pr}`);
    const labelled = await octokit.paginate(octokit.issues.listForRepo, {
      owner,
      repo: repoName,
      labels: "ft",
      per_page: 100,
    });
    expect(labelled).toHaveLength(44);
    expect(gh.countBy("issues/list-for-repo")).toBe(1 + 3 + 1);
  });

  it("closes, reopens, comments and reflects person actions", async () => {
    let now = at("2026-03-01T10:00:00Z");
    const gh = new FakeGitHub({ now: () => now });
    const repo = seed(gh);
    const octokit = client(gh);
    const { data: issue } = await octokit.issues.create({ owner, repo: repoName, title: "t" });
    expect(issue.created_at).toBe("2026-03-01T10:00:00Z");

    now = at("2026-03-02T09:30:00Z");
    const closed = repo.userUpdateIssue(
      issue.number,
      { state: "closed", state_reason: "not_planned" },
      { login: "alice" },
    );
    expect(closed).toMatchObject({ state: "closed", state_reason: "not_planned" });
    expect(closed.closed_at).toBe("2026-03-02T09:30:00Z");

    const { data: reopened } = await octokit.issues.update({
      owner,
      repo: repoName,
      issue_number: issue.number,
      state: "open",
    });
    expect(reopened).toMatchObject({ state: "open", state_reason: "reopened", closed_at: null });

    // state_reason counts only with a state change.
    const { data: same } = await octokit.issues.update({
      owner,
      repo: repoName,
      issue_number: issue.number,
      state_reason: "not_planned",
    });
    expect(same.state_reason).toBe("reopened");

    repo.userComment(issue.number, "done?", "bob");
    await octokit.issues.createComment({
      owner,
      repo: repoName,
      issue_number: issue.number,
      body: "tracked",
    });
    const { data: comments } = await octokit.issues.listComments({
      owner,
      repo: repoName,
      issue_number: issue.number,
    });
    expect(comments.map((c) => [c.user?.login, c.body])).toEqual([
      ["bob", "done?"],
      ["follow-through[bot]", "tracked"],
    ]);
    expect(repo.issue(issue.number)?.comments).toBe(2);

    repo.userDeleteIssue(issue.number);
    expect(
      await status(octokit.issues.get({ owner, repo: repoName, issue_number: issue.number })),
    ).toBe(410);
    expect(repo.issues()).toEqual([]);
    gh.assertNoViolations();
  });

  it("checks assignees: 204 for collaborators, 404 otherwise, 422 when creating with one", async () => {
    const gh = github();
    seed(gh);
    const octokit = client(gh);
    const check = (assignee: string) =>
      status(octokit.issues.checkUserCanBeAssigned({ owner, repo: repoName, assignee }));
    expect(await check("alice")).toBe(200);
    expect(await check("mallory")).toBe(404);
    const error = await octokit.issues
      .create({ owner, repo: repoName, title: "t", assignees: ["mallory"] })
      .catch((e: { status: number; response: { data: unknown } }) => e);
    expect(error).toMatchObject({
      status: 422,
      response: {
        data: { errors: [{ resource: "Issue", field: "assignees", code: "invalid" }] },
      },
    });
    // Adding assignees afterwards silently leaves out who cannot be assigned.
    const { data: issue } = await octokit.issues.create({ owner, repo: repoName, title: "t" });
    const { data: updated } = await octokit.issues.addAssignees({
      owner,
      repo: repoName,
      issue_number: issue.number,
      assignees: ["bob", "mallory"],
    });
    expect(updated.assignees?.map((a) => a.login)).toEqual(["bob"]);
  });
});

describe("FakeGitHub sub-issues", () => {
  const github = useFakeGitHub({ now: () => at("2026-03-01T10:00:00Z") });
  const base = { owner, repo: repoName };

  async function issues(octokit: Octokit, count: number) {
    const made = [];
    for (let i = 0; i < count; i++)
      made.push((await octokit.issues.create({ ...base, title: `Issue ${i + 1}` })).data);
    return made;
  }

  it("adds by id, lists in order, names the parent, and removes", async () => {
    const gh = github();
    seed(gh);
    const octokit = client(gh);
    const [parent, a, b] = await issues(octokit, 3);
    if (!parent || !a || !b) throw new Error("issues not created");
    for (const child of [b, a])
      await octokit.issues.addSubIssue({
        ...base,
        issue_number: parent.number,
        sub_issue_id: child.id,
      });
    const { data: listed } = await octokit.issues.listSubIssues({
      ...base,
      issue_number: parent.number,
    });
    expect(listed.map((i) => i.number)).toEqual([b.number, a.number]);
    const { data: up } = await octokit.issues.getParent({ ...base, issue_number: a.number });
    expect(up.number).toBe(parent.number);
    const { data: shown } = await octokit.issues.get({ ...base, issue_number: a.number });
    expect(shown.parent_issue_url).toMatch(new RegExp(`/issues/${parent.number}$`));
    const { data: summary } = await octokit.issues.get({ ...base, issue_number: parent.number });
    expect(summary.sub_issues_summary).toEqual({ total: 2, completed: 0, percent_completed: 0 });

    await octokit.issues.removeSubIssue({
      ...base,
      issue_number: parent.number,
      sub_issue_id: a.id,
    });
    expect(await status(octokit.issues.getParent({ ...base, issue_number: a.number }))).toBe(404);
    expect(
      await status(
        octokit.issues.removeSubIssue({ ...base, issue_number: parent.number, sub_issue_id: a.id }),
      ),
    ).toBe(404);
  });

  it("keeps one parent per issue unless replace_parent, and 100 sub-issues per parent", async () => {
    const gh = github();
    const repo = seed(gh);
    const octokit = client(gh);
    const [first, second, child] = await issues(octokit, 3);
    if (!first || !second || !child) throw new Error("issues not created");
    await octokit.issues.addSubIssue({
      ...base,
      issue_number: first.number,
      sub_issue_id: child.id,
    });
    const again = { ...base, issue_number: second.number, sub_issue_id: child.id };
    expect(await status(octokit.issues.addSubIssue(again))).toBe(422);
    await octokit.issues.addSubIssue({ ...again, replace_parent: true });
    expect(repo.issueState(child.number).parent).toBe(second.number);

    for (const extra of await issues(octokit, 99))
      await octokit.issues.addSubIssue({
        ...base,
        issue_number: second.number,
        sub_issue_id: extra.id,
      });
    expect(repo.subIssueList(second.number)).toHaveLength(100);
    const full = { ...base, issue_number: second.number, sub_issue_id: first.id };
    expect(await status(octokit.issues.addSubIssue(full))).toBe(422);
    expect(gh.takeViolations()).toEqual([]);
  });

  it("records a violation for an issue under itself, and answers 404 where sub-issues do not exist", async () => {
    const gh = github();
    seed(gh);
    const octokit = client(gh);
    const [issue] = await issues(octokit, 1);
    if (!issue) throw new Error("issue not created");
    const self = { ...base, issue_number: issue.number, sub_issue_id: issue.id };
    expect(await status(octokit.issues.addSubIssue(self))).toBe(422);
    expect(gh.takeViolations().map((v) => v.kind)).toEqual(["request"]);

    const old = gh.addRepo(owner, "legacy", { subIssues: false });
    const { data: made } = await octokit.issues.create({ owner, repo: old.name, title: "x" });
    expect(made.parent_issue_url).toBeUndefined();
    expect(
      await status(
        octokit.issues.listSubIssues({ owner, repo: old.name, issue_number: made.number }),
      ),
    ).toBe(404);
  });
});

describe("FakeGitHub issue types and fields", () => {
  const github = useFakeGitHub({ now: () => at("2026-03-01T10:00:00Z") });
  const base = { owner, repo: repoName };

  it("lists the organization's types and fields and sets them on issues, by name", async () => {
    const gh = github();
    seed(gh);
    gh.addIssueType(owner, "Task");
    const due = gh.addIssueField(owner, { name: "Due", dataType: "date" });
    const priority = gh.addIssueField(owner, {
      name: "Priority",
      dataType: "single_select",
      options: ["High", "Low"],
    });
    const octokit = client(gh);
    const types = await octokit.request("GET /repos/{owner}/{repo}/issue-types", base);
    expect((types.data as { name: string }[]).map((t) => t.name)).toEqual(["Task"]);
    const fields = await octokit.request("GET /orgs/{org}/issue-fields", { org: owner });
    expect((fields.data as { name: string }[]).map((f) => f.name)).toEqual(["Due", "Priority"]);

    const { data: issue } = await octokit.issues.create({
      ...base,
      title: "Typed",
      type: "task",
      issue_field_values: [
        { field_id: due, value: "2026-03-10" },
        { field_id: priority, value: "High" },
      ],
    } as never);
    const shown = issue as unknown as {
      type: { name: string };
      issue_field_values: { issue_field_id: number; value: unknown }[];
    };
    expect(shown.type.name).toBe("Task");
    expect(shown.issue_field_values.map((v) => [v.issue_field_id, v.value])).toEqual([
      [due, "2026-03-10"],
      [priority, "High"],
    ]);
  });

  it("refuses an unknown type, an unknown option and a date that is not one, changing nothing", async () => {
    const gh = github();
    const repo = seed(gh);
    const due = gh.addIssueField(owner, { name: "Due", dataType: "date" });
    const octokit = client(gh);
    const { data: issue } = await octokit.issues.create({ ...base, title: "Plain" });
    const update = (body: object) =>
      status(
        octokit.issues.update({
          ...base,
          issue_number: issue.number,
          title: "Changed",
          ...body,
        } as never),
      );
    expect(await update({ type: "Epic" })).toBe(422);
    expect(await update({ issue_field_values: [{ field_id: due, value: "next week" }] })).toBe(422);
    expect(await update({ issue_field_values: [{ field_id: 999, value: "x" }] })).toBe(422);
    expect(repo.issueState(issue.number).title).toBe("Plain");
    expect(gh.takeViolations()).toEqual([]);
  });
});

describe("FakeGitHub request validation", () => {
  it("answers 422 and records a violation for requests GitHub would reject", async () => {
    const gh = new FakeGitHub();
    seed(gh);
    const octokit = client(gh);
    expect(
      await status(octokit.issues.listForRepo({ owner, repo: repoName, state: "bogus" as "open" })),
    ).toBe(422);
    expect(
      await status(
        octokit.request("POST /repos/{owner}/{repo}/issues", {
          owner,
          repo: repoName,
          title: "t",
          labels: "bug" as unknown as string[],
        }),
      ),
    ).toBe(422);
    expect(
      await status(octokit.issues.create({ owner, repo: repoName, title: "x".repeat(257) })),
    ).toBe(422);
    const violations = gh.takeViolations();
    expect(violations.map((v) => [v.operationId, v.kind])).toEqual([
      ["issues/list-for-repo", "request"],
      ["issues/create", "request"],
      ["issues/create", "request"],
    ]);
    expect(violations[0]?.message).toMatch(/state.*"open", "closed", "all"/);
    expect(violations[1]?.message).toMatch(/body\/labels must be array/);
    expect(violations[2]?.message).toMatch(/maximum is 256/);
    expect(() => {
      gh.violations.push(...violations);
      gh.assertNoViolations();
    }).toThrow(
      /3 violation\(s\):\n {2}1\. GET \/repos\/acme\/service\/issues \(issues\/list-for-repo\)/,
    );
  });

  it("flags what GitHub would silently ignore: unknown parameters, per_page over 100", async () => {
    const gh = new FakeGitHub();
    seed(gh);
    const octokit = client(gh);
    await octokit.request("POST /repos/{owner}/{repo}/issues", {
      owner,
      repo: repoName,
      title: "t",
      lables: ["typo"],
    });
    await octokit.request("GET /repos/{owner}/{repo}/issues", {
      owner,
      repo: repoName,
      label: "typo",
      per_page: 200,
    });
    expect(gh.takeViolations().map((v) => v.message)).toEqual([
      'body property "lables" is not documented; GitHub ignores it',
      'query parameter "label" is not documented; GitHub ignores it',
      "per_page=200: GitHub returns at most 100 items per page",
    ]);
  });

  it("answers 404 for unknown routes and operations the fake does not implement", async () => {
    const gh = new FakeGitHub();
    seed(gh);
    const octokit = client(gh);
    expect(
      await status(
        octokit.request("GET /repos/{owner}/{repo}/frobnicate", { owner, repo: repoName }),
      ),
    ).toBe(404);
    expect(await status(octokit.repos.listReleases({ owner, repo: repoName }))).toBe(404);
    expect(gh.takeViolations().map((v) => v.kind)).toEqual(["unknown-route", "not-implemented"]);
  });

  it("flags any use of the search API", async () => {
    const gh = new FakeGitHub();
    seed(gh);
    const { data } = await client(gh).search.issuesAndPullRequests({
      q: `repo:${owner}/${repoName} label:follow-through`,
    });
    expect(data.total_count).toBe(0);
    expect(gh.takeViolations()).toMatchObject([
      { kind: "forbidden-api", operationId: "search/issues-and-pull-requests" },
    ]);
  });

  it("keeps installation tokens to their own repositories", async () => {
    const gh = new FakeGitHub();
    seed(gh);
    gh.addRepo("other", "repo", { installationId: 2 });
    expect(await status(client(gh, 2).repos.get({ owner, repo: repoName }))).toBe(404);
    expect(gh.takeViolations()).toMatchObject([{ kind: "auth" }]);
  });

  it("checks its own responses against the documented schemas", () => {
    const gh = new FakeGitHub();
    const repo = seed(gh);
    const issue = repo.userCreateIssue({ title: "t" });
    const op = operationById("issues/get");
    if (!op) throw new Error("issues/get missing from the description");
    const state = repo.issueStore.get(Number(issue.number));
    if (!state) throw new Error("issue missing");
    const good = renderIssue(repo, state);
    expect(checkResponse(op, 200, good)).toBe("");
    const { number: _, ...withoutNumber } = good;
    expect(checkResponse(op, 200, withoutNumber)).toMatch(/must have required property 'number'/);
    expect(checkResponse(op, 200, { ...good, state_reason: "bogus" })).toMatch(/state_reason/);
    expect(checkResponse(op, 404, { message: "Not Found", documentation_url: "x" })).toBe("");
  });
});

describe("FakeGitHub milestones", () => {
  const github = useFakeGitHub();

  it("stores due_on as midnight Pacific time of the Pacific date sent", async () => {
    const gh = github();
    seed(gh);
    const octokit = client(gh);
    const create = async (title: string, due_on: string) =>
      (await octokit.issues.createMilestone({ owner, repo: repoName, title, due_on })).data;
    expect((await create("a", "2026-03-15T00:00:00Z")).due_on).toBe("2026-03-14T07:00:00Z");
    expect((await create("b", "2026-03-15T12:00:00Z")).due_on).toBe("2026-03-15T07:00:00Z");
    expect((await create("c", "2026-01-10T12:00:00Z")).due_on).toBe("2026-01-10T08:00:00Z");
    // 2026-03-08 is the day daylight saving starts: midnight is still PST.
    expect((await create("d", "2026-03-08T20:00:00Z")).due_on).toBe("2026-03-08T08:00:00Z");

    const { data: updated } = await octokit.issues.updateMilestone({
      owner,
      repo: repoName,
      milestone_number: 1,
      due_on: "2026-11-02T12:00:00Z",
    });
    expect(updated.due_on).toBe("2026-11-02T08:00:00Z");
    const { data: listed } = await octokit.issues.listMilestones({ owner, repo: repoName });
    expect(listed.map((m) => m.title)).toEqual(["c", "d", "b", "a"]);
  });

  it("rejects a duplicate title with 422 already_exists", async () => {
    const gh = github();
    seed(gh);
    const octokit = client(gh);
    await octokit.issues.createMilestone({ owner, repo: repoName, title: "Q1" });
    const error = await octokit.issues
      .createMilestone({ owner, repo: repoName, title: "Q1" })
      .catch((e: { status: number; response: { data: unknown } }) => e);
    expect(error).toMatchObject({
      status: 422,
      response: { data: { errors: [{ resource: "Milestone", code: "already_exists" }] } },
    });
  });
});

describe("FakeGitHub labels", () => {
  const github = useFakeGitHub();

  it("creates, gets, updates labels; a second create is 422 already_exists", async () => {
    const gh = github();
    seed(gh);
    const octokit = client(gh);
    await octokit.issues.createLabel({
      owner,
      repo: repoName,
      name: "follow-through",
      color: "5319e7",
    });
    expect(
      await status(octokit.issues.createLabel({ owner, repo: repoName, name: "Follow-Through" })),
    ).toBe(422);
    const { data: label } = await octokit.issues.getLabel({
      owner,
      repo: repoName,
      name: "FOLLOW-THROUGH",
    });
    expect(label.color).toBe("5319e7");
    await octokit.issues.updateLabel({
      owner,
      repo: repoName,
      name: "follow-through",
      description: "Tracked",
    });
    const all = await octokit.paginate(octokit.issues.listLabelsForRepo, { owner, repo: repoName });
    expect(all.map((l) => l.name)).toContain("follow-through");
    expect(all.find((l) => l.name === "follow-through")?.description).toBe("Tracked");
    expect(all.find((l) => l.name === "bug")?.default).toBe(true);
  });
});

describe("FakeGitHub repository contents", () => {
  const github = useFakeGitHub();

  it("serves files and directories at a ref, raw or base64, and 404 for missing paths", async () => {
    const gh = github();
    const repo = seed(gh);
    const first = repo.commit({ "docs/postmortems/db.md": "v1\n", "README.md": "hi\n" });
    repo.commit({ "docs/postmortems/db.md": "v2\n" });
    const octokit = client(gh);
    const get = async (path: string, ref?: string) =>
      (await octokit.repos.getContent({ owner, repo: repoName, path, ref })).data;

    const old = await get("docs/postmortems/db.md", first);
    const current = await get("docs/postmortems/db.md");
    if (
      Array.isArray(old) ||
      Array.isArray(current) ||
      old.type !== "file" ||
      current.type !== "file"
    ) {
      throw new Error("expected files");
    }
    expect(decode(old.content)).toBe("v1\n");
    expect(decode(current.content)).toBe("v2\n");
    expect(current.sha).not.toBe(old.sha);

    const dir = await get("docs/postmortems");
    expect(Array.isArray(dir) && dir.map((e) => [e.name, e.type])).toEqual([["db.md", "file"]]);
    const root = await get("");
    expect(Array.isArray(root) && root.map((e) => [e.name, e.type])).toEqual([
      ["README.md", "file"],
      ["docs", "dir"],
    ]);

    const raw = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner,
      repo: repoName,
      path: "docs/postmortems/db.md",
      ref: first.slice(0, 7),
      mediaType: { format: "raw" },
    });
    expect(raw.data).toBe("v1\n");
    expect(await status(get("missing.md"))).toBe(404);
    expect(await status(get("README.md", "no-such-branch"))).toBe(404);
    expect(repo.file("docs/postmortems/db.md", first)).toBe("v1\n");
  });

  it("lists the recursive tree with git-compatible shas", async () => {
    const gh = github();
    const repo = seed(gh);
    repo.commit({ "README.md": "hi\n", "docs/a.md": "x\n" });
    const { data } = await client(gh).git.getTree({
      owner,
      repo: repoName,
      tree_sha: "main",
      recursive: "1",
    });
    // The same tree as `git write-tree` computes for these files.
    expect(data.sha).toBe("c0462dbd2fc06e0980e6b9fcc3e109df238ebb90");
    expect(data.tree.map((e) => [e.path, e.type])).toEqual([
      ["README.md", "blob"],
      ["docs", "tree"],
      ["docs/a.md", "blob"],
    ]);
  });

  it("compares refs with added, modified, removed and renamed files", async () => {
    const gh = github();
    const repo = seed(gh);
    const before = repo.commit({
      "docs/postmortems/2026-03-01-db.md": "# DB outage\n\nline\n",
      "docs/postmortems/old.md": "# Old\n",
      "docs/incidents/same.md": "unchanged content\n",
      "README.md": "hi\n",
    });
    repo.commit(
      {
        "docs/postmortems/2026-03-01-database.md": "# DB outage\n\nline\nmore\n",
        "README.md": null,
      },
      {
        renames: { "docs/postmortems/2026-03-01-db.md": "docs/postmortems/2026-03-01-database.md" },
      },
    );
    const after = repo.commit({
      "docs/postmortems/old.md": "# Old, edited\n",
      "docs/postmortems/new.md": "# New\n",
      "docs/incidents/same.md": null,
      "docs/archive/same.md": "unchanged content\n",
    });
    const { data } = await client(gh).repos.compareCommitsWithBasehead({
      owner,
      repo: repoName,
      basehead: `${before}...${after}`,
    });
    expect(data.status).toBe("ahead");
    expect(data.ahead_by).toBe(2);
    expect(data.commits.map((c) => c.sha)).toEqual([expect.any(String), after]);
    expect(
      data.files?.map((f) => [f.status, f.filename, f.previous_filename, f.additions, f.deletions]),
    ).toEqual([
      ["removed", "README.md", undefined, 0, 1],
      ["renamed", "docs/archive/same.md", "docs/incidents/same.md", 0, 0],
      [
        "renamed",
        "docs/postmortems/2026-03-01-database.md",
        "docs/postmortems/2026-03-01-db.md",
        1,
        0,
      ],
      ["added", "docs/postmortems/new.md", undefined, 1, 0],
      ["modified", "docs/postmortems/old.md", undefined, 1, 1],
    ]);
  });

  it("serves commits, branches, pull requests and their files", async () => {
    const gh = github();
    const repo = seed(gh);
    repo.commit({ "a.md": "a\n" });
    const head = repo.commit(
      { "docs/postmortems/x.md": "# X\n" },
      { branch: "pm", author: "alice" },
    );
    const number = repo.openPullRequest({ head: "pm", title: "Add post-mortem", user: "alice" });
    const octokit = client(gh);
    const { data: commit } = await octokit.repos.getCommit({ owner, repo: repoName, ref: head });
    expect(commit.files?.map((f) => [f.status, f.filename])).toEqual([
      ["added", "docs/postmortems/x.md"],
    ]);
    expect(commit.author?.login).toBe("alice");
    const { data: branch } = await octokit.repos.getBranch({ owner, repo: repoName, branch: "pm" });
    expect(branch.commit.sha).toBe(head);
    const { data: pull } = await octokit.pulls.get({ owner, repo: repoName, pull_number: number });
    expect(pull).toMatchObject({
      head: { ref: "pm", sha: head },
      base: { ref: "main" },
      changed_files: 1,
    });
    const { data: files } = await octokit.pulls.listFiles({
      owner,
      repo: repoName,
      pull_number: number,
    });
    expect(files.map((f) => f.filename)).toEqual(["docs/postmortems/x.md"]);
    const { data: pulls } = await octokit.pulls.list({
      owner,
      repo: repoName,
      head: `${owner}:pm`,
    });
    expect(pulls.map((p) => p.number)).toEqual([number]);

    const merge = repo.mergePullRequest(number);
    expect(repo.head()).toBe(merge);
    expect(repo.file("docs/postmortems/x.md")).toBe("# X\n");
    const { data: merged } = await octokit.pulls.get({
      owner,
      repo: repoName,
      pull_number: number,
    });
    expect(merged).toMatchObject({ merged: true, state: "closed", merge_commit_sha: merge });
  });
});

describe("FakeGitHub check runs", () => {
  const github = useFakeGitHub();

  it("creates, updates (annotations accumulate) and lists check runs for a ref", async () => {
    const gh = github();
    const repo = seed(gh);
    const sha = repo.commit({ "a.md": "a\n" });
    const octokit = client(gh);
    const annotation = (line: number) => ({
      path: "a.md",
      start_line: line,
      end_line: line,
      annotation_level: "warning" as const,
      message: `line ${line}`,
    });
    const { data: run } = await octokit.checks.create({
      owner,
      repo: repoName,
      name: "Post-mortem",
      head_sha: sha,
      status: "in_progress",
      output: { title: "Checking", summary: "…", annotations: [annotation(1)] },
    });
    await octokit.checks.update({
      owner,
      repo: repoName,
      check_run_id: run.id,
      conclusion: "neutral",
      output: { title: "2 findings", summary: "see annotations", annotations: [annotation(2)] },
    });
    const { data } = await octokit.checks.listForRef({ owner, repo: repoName, ref: "main" });
    expect(data.total_count).toBe(1);
    expect(data.check_runs[0]).toMatchObject({
      status: "completed",
      conclusion: "neutral",
      output: { title: "2 findings", annotations_count: 2 },
    });
    expect(repo.checkRuns()[0]?.annotations.map((a) => a.message)).toEqual(["line 1", "line 2"]);
  });

  it("rejects more than 50 annotations in one request", async () => {
    const gh = github();
    const repo = seed(gh);
    const sha = repo.commit({ "a.md": "a\n" });
    const annotations = Array.from({ length: 51 }, (_, i) => ({
      path: "a.md",
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: "notice" as const,
      message: "m",
    }));
    const result = await status(
      client(gh).checks.create({
        owner,
        repo: repoName,
        name: "Post-mortem",
        head_sha: sha,
        output: { title: "t", summary: "s", annotations },
      }),
    );
    expect(result).toBe(422);
    expect(gh.takeViolations()[0]?.message).toMatch(/annotations must NOT have more than 50 items/);
  });
});

describe("FakeGitHub failure injection", () => {
  const github = useFakeGitHub();

  it("fails matching requests in order, then answers normally", async () => {
    const gh = github();
    seed(gh);
    const octokit = client(gh);
    gh.failNext({ operationId: "repos/get", status: 500, times: 2 });
    gh.failNext({ path: /\/issues$/, method: "POST", status: 502 });
    const get = () => status(octokit.repos.get({ owner, repo: repoName }));
    expect([await get(), await get(), await get()]).toEqual([500, 500, 200]);
    expect(await status(octokit.issues.create({ owner, repo: repoName, title: "t" }))).toBe(502);
    expect(gh.repo(owner, repoName).issues()).toHaveLength(0);
    expect(gh.requests.filter((r) => r.injected).map((r) => r.status)).toEqual([500, 500, 502]);
  });

  it("can fail after the write happened", async () => {
    const gh = github();
    seed(gh);
    gh.failNext({ operationId: "issues/create", status: 504, processed: true });
    const result = await status(client(gh).issues.create({ owner, repo: repoName, title: "t" }));
    expect(result).toBe(504);
    expect(
      gh
        .repo(owner, repoName)
        .issues()
        .map((i) => i.title),
    ).toEqual(["t"]);
  });

  it("answers a secondary rate limit with retry-after, or a 429", async () => {
    const gh = github();
    seed(gh);
    const octokit = client(gh);
    gh.failNext({ operationId: "issues/create", ...secondaryRateLimit(1) });
    gh.failNext({ operationId: "issues/create", ...tooManyRequests(2) });
    const first = await octokit.issues
      .create({ owner, repo: repoName, title: "t" })
      .catch(
        (e: {
          status: number;
          response: { headers: Record<string, string>; data: { message: string } };
        }) => e,
      );
    expect(first).toMatchObject({ status: 403, response: { headers: { "retry-after": "1" } } });
    expect("response" in first && first.response.data.message).toMatch(/secondary rate limit/);
    expect(await status(octokit.issues.create({ owner, repo: repoName, title: "t" }))).toBe(429);
  });

  it("rejects fetch with a TypeError for network errors", async () => {
    const gh = github();
    seed(gh);
    gh.failNext({ path: `/repos/${owner}/${repoName}`, networkError: true, times: 2 });
    await expect(gh.fetch(`https://api.github.com/repos/${owner}/${repoName}`)).rejects.toThrow(
      TypeError,
    );
    await expect(client(gh).repos.get({ owner, repo: repoName })).rejects.toMatchObject({
      status: 500,
      message: "fetch failed",
    });
    expect(gh.requests.map((r) => r.status)).toEqual([0, 0]);
  });

  it("paces content creation per installation when asked to", async () => {
    let now = at("2026-03-01T10:00:00Z");
    const gh = new FakeGitHub({ now: () => now, secondaryRateLimit: { perMinute: 3 } });
    seed(gh);
    const octokit = client(gh);
    const create = () => status(octokit.issues.create({ owner, repo: repoName, title: "t" }));
    expect([await create(), await create(), await create(), await create()]).toEqual([
      200, 200, 200, 403,
    ]);
    expect(gh.requests.at(-1)?.status).toBe(403);
    now = at("2026-03-01T10:01:01Z");
    expect(await create()).toBe(200);
    gh.assertNoViolations();
  });
});

describe("FakeGitHub transport", () => {
  const github = useFakeGitHub();

  it("accounts for reads and writes", async () => {
    const gh = github();
    seed(gh);
    const octokit = client(gh);
    await octokit.repos.get({ owner, repo: repoName });
    await octokit.issues.create({ owner, repo: repoName, title: "t" });
    await octokit.issues.update({ owner, repo: repoName, issue_number: 1, body: "b" });
    expect(gh.reads().map((r) => r.operationId)).toEqual(["repos/get"]);
    expect(gh.writes().map((r) => [r.operationId, r.route, r.body])).toEqual([
      ["issues/create", "/repos/{owner}/{repo}/issues", { title: "t" }],
      ["issues/update", "/repos/{owner}/{repo}/issues/{issue_number}", { body: "b" }],
    ]);
    gh.resetRequests();
    expect(gh.requests).toEqual([]);
  });

  it("interleaves concurrent requests, so races show up as in production", async () => {
    const gh = github();
    gh.latencyMs = 2;
    seed(gh);
    const octokit = client(gh);
    const ensure = async () => {
      const { data } = await octokit.issues.listForRepo({ owner, repo: repoName, labels: "pm" });
      if (data.length === 0) {
        await octokit.issues.create({ owner, repo: repoName, title: "tracking", labels: ["pm"] });
      }
    };
    await Promise.all([ensure(), ensure()]);
    expect(gh.repo(owner, repoName).issues()).toHaveLength(2);
  });

  it("works behind Probot's Octokit with app authentication, on github.com and GHES", async () => {
    const gh = github();
    const repo = gh.addRepo(owner, repoName, { installationId: 42 });
    repo.commit({ ".github/follow-through.yml": "labels: [pm]\n" });
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const TestOctokit = ProbotOctokit.defaults(
      (o: ConstructorParameters<typeof ProbotOctokit>[0]) => ({
        ...o,
        request: { ...o?.request, fetch: gh.fetch },
        throttle: { ...o?.throttle, enabled: false },
        retry: { enabled: false },
      }),
    );
    const asApp = new TestOctokit({ auth: { appId: gh.app.id, privateKey } });
    const { data: installation } = await asApp.rest.apps.getRepoInstallation({
      owner,
      repo: repoName,
    });
    expect(installation.id).toBe(42);
    for (const baseUrl of ["https://api.github.com", "https://ghe.example.com/api/v3"]) {
      const octokit = new TestOctokit({
        auth: { appId: gh.app.id, privateKey, installationId: installation.id },
        baseUrl,
      });
      const config = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
        owner,
        repo: repoName,
        path: ".github/follow-through.yml",
        mediaType: { format: "raw" },
      });
      expect(config.data).toBe("labels: [pm]\n");
    }
    expect(gh.countBy("apps/create-installation-access-token")).toBe(2);
    expect(gh.requests.at(-1)?.installationId).toBe(42);
  });
});

describe("FakeGitHub responses", () => {
  const github = useFakeGitHub();

  it("match GitHub's schemas for every implemented endpoint exercised here", async () => {
    const gh = github();
    const repo = seed(gh);
    const base = repo.commit({ "docs/postmortems/a.md": "# A\n" });
    const head = repo.commit(
      { "docs/postmortems/b.md": "# A\n" },
      {
        branch: "feature",
        renames: { "docs/postmortems/a.md": "docs/postmortems/b.md" },
      },
    );
    const pr = repo.openPullRequest({ head: "feature", title: "rename", fromFork: true });
    const octokit = client(gh);
    const r = { owner, repo: repoName };
    const { data: m } = await octokit.issues.createMilestone({
      ...r,
      title: "M",
      due_on: "2026-04-01T12:00:00Z",
    });
    const { data: issue } = await octokit.issues.create({
      ...r,
      title: "T",
      labels: ["x"],
      assignee: "alice",
      milestone: m.number,
    });
    await octokit.issues.update({
      ...r,
      issue_number: issue.number,
      state: "closed",
      state_reason: "completed",
      milestone: null,
    });
    const { data: comment } = await octokit.issues.createComment({
      ...r,
      issue_number: issue.number,
      body: "c",
    });
    await octokit.issues.updateComment({ ...r, comment_id: comment.id, body: "d" });
    await octokit.issues.getComment({ ...r, comment_id: comment.id });
    await octokit.issues.listCommentsForRepo(r);
    await octokit.issues.removeAssignees({
      ...r,
      issue_number: issue.number,
      assignees: ["alice"],
    });
    await octokit.issues.addLabels({ ...r, issue_number: issue.number, labels: ["y"] });
    await octokit.issues.setLabels({ ...r, issue_number: issue.number, labels: ["x", "z"] });
    await octokit.issues.removeLabel({ ...r, issue_number: issue.number, name: "z" });
    await octokit.issues.listLabelsOnIssue({ ...r, issue_number: issue.number });
    await octokit.issues.listAssignees(r);
    await octokit.issues.updateMilestone({ ...r, milestone_number: m.number, state: "closed" });
    await octokit.issues.listMilestones({ ...r, state: "all", sort: "completeness" });
    await octokit.issues.deleteLabel({ ...r, name: "x" });
    await octokit.issues.get({ ...r, issue_number: pr });
    await octokit.repos.get(r);
    await octokit.repos.compareCommitsWithBasehead({
      ...r,
      basehead: `main...feature`,
      per_page: 1,
    });
    await octokit.repos.getCommit({ ...r, ref: head });
    await octokit.git.getTree({ ...r, tree_sha: base });
    await octokit.git.getRef({ ...r, ref: "heads/main" });
    await octokit.pulls.get({ ...r, pull_number: pr });
    await octokit.pulls.list({ ...r, state: "all" });
    await octokit.pulls.listCommits({ ...r, pull_number: pr });
    const { data: run } = await octokit.checks.create({ ...r, name: "c", head_sha: head });
    await octokit.checks.get({ ...r, check_run_id: run.id });
    await octokit.checks.listAnnotations({ ...r, check_run_id: run.id });
    await octokit.checks.listForRef({ ...r, ref: head, filter: "all" });
    await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...r,
      path: "docs",
      mediaType: { format: "object" },
    });
    await octokit.apps.listReposAccessibleToInstallation();
    const jwt = new Octokit({
      auth: "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln",
      request: { fetch: gh.fetch },
    });
    await jwt.apps.listInstallations();
    await jwt.apps.getAuthenticated();
    await jwt.apps.createInstallationAccessToken({ installation_id: 1 });
    expect(gh.requests.every((q) => q.status < 400)).toBe(true);
    // afterEach asserts that no request or response broke the description.
  });
});
