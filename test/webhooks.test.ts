import { Webhooks } from "@octokit/webhooks";
import { verify } from "@octokit/webhooks-methods";
import { Probot, ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { toJsonSchema } from "./support/webhooks/schema.js";
import {
  APP_BOT,
  checkRunPayload,
  checkSuitePayload,
  deliver,
  type IssuesAction,
  installationPayload,
  installationRepositoriesPayload,
  issuesPayload,
  type PullRequestAction,
  pullRequestPayload,
  pushPayload,
  type RepoRef,
  type RestIssue,
  signWebhook,
  validateWebhook,
  webhookKey,
  ZERO_SHA,
} from "./support/webhooks.js";

const repo: RepoRef = { owner: "acme", name: "handbook", installationId: 77 };
const sha = (c: string) => c.repeat(40);

const user = (login: string, id: number, type = "User") => {
  const api = `https://api.github.com/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: `MDQ6VXNlcj${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url:
      type === "Bot"
        ? `https://github.com/apps/${login.replace("[bot]", "")}`
        : `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    site_admin: false,
  };
};

/** What `GET /repos/acme/handbook/issues/12` returns for a closed follow-up action. */
const restIssue: RestIssue = {
  id: 9001,
  node_id: "I_kwDOAbc123",
  url: "https://api.github.com/repos/acme/handbook/issues/12",
  repository_url: "https://api.github.com/repos/acme/handbook",
  labels_url: "https://api.github.com/repos/acme/handbook/issues/12/labels{/name}",
  comments_url: "https://api.github.com/repos/acme/handbook/issues/12/comments",
  events_url: "https://api.github.com/repos/acme/handbook/issues/12/events",
  html_url: "https://github.com/acme/handbook/issues/12",
  number: 12,
  state: "closed",
  state_reason: "not_planned",
  title: "Add alerting on replication lag",
  body: "From [the post-mortem](docs/postmortems/2026-03-01-db-outage.md#L40).\n\n<!-- follow-through:action {} -->",
  user: user("follow-through[bot]", 555, "Bot"),
  labels: [
    {
      id: 31,
      node_id: "LA_31",
      url: "https://api.github.com/repos/acme/handbook/labels/follow-up",
      name: "follow-up",
      description: "Post-mortem follow-up action",
      color: "5319e7",
      default: false,
    },
    "postmortem:2026-03-01",
  ],
  assignee: user("dana", 42),
  assignees: [user("dana", 42), user("lee", 43)],
  milestone: {
    url: "https://api.github.com/repos/acme/handbook/milestones/3",
    html_url: "https://github.com/acme/handbook/milestone/3",
    labels_url: "https://api.github.com/repos/acme/handbook/milestones/3/labels",
    id: 3003,
    node_id: "MI_3003",
    number: 3,
    state: "open",
    title: "Due 2026-03-15",
    description: null,
    creator: user("follow-through[bot]", 555, "Bot"),
    open_issues: 2,
    closed_issues: 1,
    created_at: "2026-03-02T09:00:00Z",
    updated_at: "2026-03-10T09:00:00Z",
    closed_at: null,
    due_on: "2026-03-15T12:00:00Z",
  },
  locked: false,
  active_lock_reason: null,
  comments: 1,
  closed_at: "2026-03-10T09:00:00Z",
  created_at: "2026-03-02T09:00:00Z",
  updated_at: "2026-03-10T09:00:00Z",
  closed_by: user("dana", 42),
  author_association: "NONE",
  timeline_url: "https://api.github.com/repos/acme/handbook/issues/12/timeline",
  reactions: {
    url: "https://api.github.com/repos/acme/handbook/issues/12/reactions",
    total_count: 0,
    "+1": 0,
    "-1": 0,
    laugh: 0,
    confused: 0,
    heart: 0,
    hooray: 0,
    eyes: 0,
    rocket: 0,
  },
};

const openIssue = { ...restIssue, state: "open", state_reason: null, closed_at: null };

// Leftovers from the examples these payloads start from would point at someone else's repo.
function expectNoExampleLeftovers(payload: unknown): void {
  expect(JSON.stringify(payload)).not.toMatch(/codertocat|hello-world|octocoders|super-duper/i);
}

describe("push", () => {
  it("describes a push to the default branch", () => {
    const payload = pushPayload(repo, {
      ref: "refs/heads/main",
      before: sha("a"),
      after: sha("c"),
      commits: [
        { id: sha("b"), message: "Add post-mortem", added: ["docs/postmortems/pm.md"] },
        { id: sha("c"), message: "Fix owner", modified: ["docs/postmortems/pm.md"] },
      ],
    });
    expect(validateWebhook("push", payload)).toEqual([]);
    expect(payload.ref).toBe("refs/heads/main");
    expect(payload.repository.default_branch).toBe("main");
    expect(payload.repository.master_branch).toBe("main");
    expect(payload.repository.full_name).toBe("acme/handbook");
    expect(payload.repository.owner?.login).toBe("acme");
    expect(payload.installation?.id).toBe(77);
    expect(payload.commits.map((c) => c.id)).toEqual([sha("b"), sha("c")]);
    expect(payload.commits[1]?.modified).toEqual(["docs/postmortems/pm.md"]);
    expect(payload.head_commit?.id).toBe(sha("c"));
    expect(payload.head_commit?.message).toBe("Fix owner");
    expect(payload).toMatchObject({ created: false, deleted: false, forced: false });
    expectNoExampleLeftovers(payload);
  });

  it("honours a custom default branch and a forced push", () => {
    const payload = pushPayload(
      { ...repo, defaultBranch: "trunk" },
      { ref: "refs/heads/trunk", before: sha("a"), after: sha("d"), forced: true },
    );
    expect(payload.repository.default_branch).toBe("trunk");
    expect(payload.repository.master_branch).toBe("trunk");
    expect(payload.forced).toBe(true);
    // No commits listed: the head commit is still the one at `after`.
    expect(payload.commits).toEqual([]);
    expect(payload.head_commit?.id).toBe(sha("d"));
  });

  it("infers created and deleted from the zero sha", () => {
    const created = pushPayload(repo, {
      ref: "refs/heads/pm",
      before: ZERO_SHA,
      after: sha("e"),
      headCommit: { id: sha("e"), message: "Start post-mortem" },
    });
    expect(created).toMatchObject({ created: true, deleted: false });
    expect(created.head_commit?.message).toBe("Start post-mortem");

    const deleted = pushPayload(repo, { ref: "refs/heads/pm", before: sha("e"), after: ZERO_SHA });
    expect(deleted).toMatchObject({ created: false, deleted: true, head_commit: null });
    expect(validateWebhook("push", deleted)).toEqual([]);
  });

  it("refuses inconsistent pushes", () => {
    expect(() =>
      pushPayload(repo, {
        ref: "refs/heads/main",
        before: sha("a"),
        after: sha("c"),
        commits: [{ id: sha("b"), message: "not the head" }],
      }),
    ).toThrow(/last commit .* must be after/);
    expect(() => pushPayload(repo, { ref: "main", before: sha("a"), after: sha("b") })).toThrow(
      /must be a full ref/,
    );
  });

  it("describes a user-owned repository without an organization", () => {
    const payload = pushPayload(
      { owner: "dana", name: "notes", ownerType: "User" },
      { ref: "refs/heads/main", before: sha("a"), after: sha("b") },
    );
    expect(payload.organization).toBeUndefined();
    expect(payload.repository.owner?.type).toBe("User");
    expect(payload.installation?.id).toBe(1);
  });
});

describe("pull_request", () => {
  const actions: PullRequestAction[] = [
    "opened",
    "synchronize",
    "reopened",
    "ready_for_review",
    "closed",
    "edited",
  ];

  it.each(actions)("builds a valid %s payload", (action) => {
    const payload = pullRequestPayload(action, repo, {
      number: 8,
      headSha: sha("f"),
      headRef: "pm/db-outage",
      title: "Post-mortem: database outage",
    });
    expect(validateWebhook("pull_request", payload)).toEqual([]);
    expect(payload.action).toBe(action);
    expect(payload.number).toBe(8);
    expect(payload.pull_request).toMatchObject({
      number: 8,
      title: "Post-mortem: database outage",
      head: { ref: "pm/db-outage", sha: sha("f") },
      base: { ref: "main" },
    });
    expect(payload.pull_request.head.repo?.full_name).toBe("acme/handbook");
    expectNoExampleLeftovers(payload);
  });

  it("puts the head of a fork pull request in another repository", () => {
    const payload = pullRequestPayload("opened", repo, {
      number: 9,
      headSha: sha("1"),
      headRef: "main",
      fromFork: true,
    });
    const { head, base } = payload.pull_request;
    expect(base.repo.full_name).toBe("acme/handbook");
    expect(head.repo?.full_name).toBe("outside-contributor/handbook");
    expect(head.repo?.fork).toBe(true);
    expect(head.repo?.id).not.toBe(base.repo.id);
    expect(head.label).toBe("outside-contributor:main");
    expect(payload.pull_request.user?.login).toBe("outside-contributor");
  });

  it("describes a merge", () => {
    const payload = pullRequestPayload("closed", repo, {
      number: 8,
      headSha: sha("f"),
      headRef: "pm",
      baseSha: sha("0"),
      merged: true,
      mergeCommitSha: sha("9"),
    });
    expect(payload.pull_request).toMatchObject({
      state: "closed",
      merged: true,
      merge_commit_sha: sha("9"),
      base: { sha: sha("0") },
    });
    expect(payload.pull_request.merged_at).toEqual(expect.any(String));
    const unmerged = pullRequestPayload("closed", repo, {
      number: 8,
      headSha: sha("f"),
      headRef: "pm",
    });
    expect(unmerged.pull_request).toMatchObject({ merged: false, merged_at: null });
  });

  it("carries draft state, synchronize shas and edit changes", () => {
    const draft = pullRequestPayload("opened", repo, {
      number: 1,
      headSha: sha("2"),
      headRef: "x",
      draft: true,
    });
    expect(draft.pull_request.draft).toBe(true);
    const sync = pullRequestPayload("synchronize", repo, {
      number: 1,
      headSha: sha("3"),
      headRef: "x",
      before: sha("2"),
    });
    expect(sync).toMatchObject({ before: sha("2"), after: sha("3") });
    const edited = pullRequestPayload("edited", repo, {
      number: 1,
      headSha: sha("3"),
      headRef: "x",
      changes: { title: { from: "WIP" } },
    });
    expect(edited.changes).toEqual({ title: { from: "WIP" } });
  });

  it("refuses contradictory options", () => {
    expect(() =>
      pullRequestPayload("opened", repo, {
        number: 1,
        headSha: sha("2"),
        headRef: "x",
        merged: true,
      }),
    ).toThrow(/merged is only for the closed action/);
  });
});

describe("checks", () => {
  it("builds a check_suite.rerequested payload for the app's suite", () => {
    const payload = checkSuitePayload("rerequested", repo, {
      headSha: sha("4"),
      pullRequests: [8, 9],
    });
    expect(validateWebhook("check_suite", payload)).toEqual([]);
    expect(payload.check_suite.head_sha).toBe(sha("4"));
    expect(payload.check_suite.app.slug).toBe("follow-through");
    expect(payload.check_suite.pull_requests.map((p) => p.number)).toEqual([8, 9]);
    expect(payload.check_suite.pull_requests[0]?.head.sha).toBe(sha("4"));
    expectNoExampleLeftovers(payload);
  });

  it("builds a check_run.rerequested payload", () => {
    const payload = checkRunPayload("rerequested", repo, {
      id: 123,
      headSha: sha("5"),
      name: "Post-mortem",
      pullRequests: [8],
    });
    expect(validateWebhook("check_run", payload)).toEqual([]);
    expect(payload.check_run).toMatchObject({ id: 123, name: "Post-mortem", head_sha: sha("5") });
    expect(payload.check_run.check_suite.head_sha).toBe(sha("5"));
    expect(payload.check_run.pull_requests.map((p) => p.number)).toEqual([8]);
    expect(payload.check_run.app?.slug).toBe("follow-through");
    expectNoExampleLeftovers(payload);
  });

  it("uses the pull request ids pullRequestPayload uses", () => {
    const pr = pullRequestPayload("opened", repo, { number: 8, headSha: sha("5"), headRef: "x" });
    const run = checkRunPayload("rerequested", repo, {
      id: 1,
      headSha: sha("5"),
      name: "Post-mortem",
      pullRequests: [8],
    });
    expect(run.check_run.pull_requests[0]?.id).toBe(pr.pull_request.id);
    expect(run.check_run.pull_requests[0]?.base.sha).toBe(pr.pull_request.base.sha);
  });
});

describe("issues", () => {
  const actions: IssuesAction[] = [
    "opened",
    "closed",
    "reopened",
    "edited",
    "assigned",
    "unassigned",
    "milestoned",
    "demilestoned",
    "labeled",
    "unlabeled",
    "deleted",
    "transferred",
  ];

  it.each(actions)("builds a valid %s payload", (action) => {
    const issue = action === "closed" ? restIssue : openIssue;
    const payload = issuesPayload(action, repo, issue, {
      label: "follow-up",
      assignee: "dana",
      milestone: { number: 3, title: "Due 2026-03-15" },
    });
    expect(validateWebhook("issues", payload)).toEqual([]);
    expect(payload.action).toBe(action);
    expect(payload.issue.number).toBe(12);
    expect(payload.repository.full_name).toBe("acme/handbook");
    expectNoExampleLeftovers(payload);
  });

  it("keeps what the REST issue says", () => {
    const { issue } = issuesPayload("closed", repo, restIssue);
    expect(issue).toMatchObject({
      id: 9001,
      node_id: "I_kwDOAbc123",
      number: 12,
      title: restIssue.title,
      body: restIssue.body,
      state: "closed",
      state_reason: "not_planned",
      closed_at: "2026-03-10T09:00:00Z",
      html_url: "https://github.com/acme/handbook/issues/12",
    });
    expect(issue.labels?.map((l) => l.name)).toEqual(["follow-up", "postmortem:2026-03-01"]);
    expect(issue.labels?.[0]).toMatchObject({ id: 31, color: "5319e7" });
    expect(issue.assignees.map((a) => a?.login)).toEqual(["dana", "lee"]);
    expect(issue.assignee?.login).toBe("dana");
    expect(issue.milestone).toMatchObject({
      number: 3,
      title: "Due 2026-03-15",
      due_on: "2026-03-15T12:00:00Z",
    });
    expect(issue.user?.login).toBe("follow-through[bot]");
    expect(issue.user?.type).toBe("Bot");
    // REST-only fields are not part of the webhook issue.
    expect(issue).not.toHaveProperty("closed_by");
  });

  it("fills what a partial issue leaves out", () => {
    const { issue } = issuesPayload("opened", repo, { number: 4, title: "Rotate the keys" });
    expect(issue).toMatchObject({
      number: 4,
      state: "open",
      state_reason: null,
      body: null,
      labels: [],
      assignees: [],
      assignee: null,
      milestone: null,
      url: "https://api.github.com/repos/acme/handbook/issues/4",
    });
    expect(issue.reactions.total_count).toBe(0);
  });

  it("names the app's bot as the sender of events the app caused", () => {
    const payload = issuesPayload("closed", repo, restIssue, { sender: APP_BOT });
    expect(payload.sender).toMatchObject({ login: "follow-through[bot]", type: "Bot" });
    expect(payload.sender.html_url).toBe("https://github.com/apps/follow-through");
  });

  it("carries the label, assignee, milestone and changes of the action", () => {
    expect(issuesPayload("labeled", repo, openIssue).label?.name).toBe("postmortem:2026-03-01");
    expect(
      issuesPayload("unlabeled", repo, openIssue, { label: { name: "stale", color: "cccccc" } })
        .label,
    ).toMatchObject({ name: "stale", color: "cccccc" });
    expect(issuesPayload("assigned", repo, openIssue).assignee?.login).toBe("lee");
    expect(issuesPayload("milestoned", repo, openIssue).milestone.number).toBe(3);
    const edited = issuesPayload("edited", repo, openIssue, {
      changes: { body: { from: "old body" } },
    });
    expect(edited.changes).toEqual({ body: { from: "old body" } });
    const transferred = issuesPayload("transferred", repo, openIssue);
    expect(transferred.changes.new_repository.full_name).toBe("acme/handbook-archive");
    expect(transferred.changes.new_issue.number).toBe(12);
  });

  it("asks for what an action needs and refuses contradictions", () => {
    expect(() => issuesPayload("unlabeled", repo, openIssue)).toThrow(/needs options.label/);
    expect(() => issuesPayload("demilestoned", repo, openIssue)).toThrow(/needs options.milestone/);
    expect(() => issuesPayload("closed", repo, openIssue)).toThrow(/state is "open"/);
  });

  it("throws a readable error when the result is not schema-valid", () => {
    const broken = { ...openIssue, number: "12" as unknown as number };
    expect(() => issuesPayload("opened", repo, broken)).toThrow(
      /issuesPayload built an invalid "issues-opened" payload:\n {2}- \/issue\/number must be integer \(got "12"\)/,
    );
  });
});

describe("installation", () => {
  it("builds installation.created", () => {
    const payload = installationPayload("created", repo, { repositories: [repo] });
    expect(validateWebhook("installation", payload)).toEqual([]);
    expect(payload.installation.id).toBe(77);
    expect(payload.installation.app_slug).toBe("follow-through");
    expect(payload.repositories?.map((r) => r.full_name)).toEqual(["acme/handbook"]);
    expectNoExampleLeftovers(payload);
  });

  it("builds installation_repositories.added", () => {
    const payload = installationRepositoriesPayload("added", repo, {
      added: [repo, { owner: "acme", name: "runbooks" }],
    });
    expect(validateWebhook("installation_repositories", payload)).toEqual([]);
    expect(payload.repositories_added.map((r) => r.full_name)).toEqual([
      "acme/handbook",
      "acme/runbooks",
    ]);
    expect(payload.repositories_removed).toEqual([]);
    expectNoExampleLeftovers(payload);
  });
});

describe("validateWebhook", () => {
  const valid = () =>
    issuesPayload("closed", repo, restIssue) as unknown as Record<string, unknown>;

  it("names a missing property", () => {
    const { repository: _, ...payload } = valid();
    expect(validateWebhook("issues", payload)).toContain(
      "(root) must have required property 'repository'",
    );
  });

  it("names a property of the wrong type with the value it got", () => {
    const payload = valid();
    (payload.issue as Record<string, unknown>).number = "12";
    expect(validateWebhook("issues", payload)).toContain(
      '/issue/number must be integer (got "12")',
    );
  });

  it("lists allowed values for an enum", () => {
    const payload = valid();
    (payload.issue as Record<string, unknown>).state = "done";
    expect(validateWebhook("issues.closed", payload).join("\n")).toMatch(
      /\/issue\/state must be equal to one of the allowed values: "closed", "open" \(got "done"\)/,
    );
  });

  it("resolves event names in every spelling", () => {
    const payload = valid();
    expect(webhookKey("issues", payload)).toBe("issues-closed");
    expect(webhookKey("issues.closed")).toBe("issues-closed");
    expect(webhookKey("issues-closed")).toBe("issues-closed");
    expect(webhookKey("check_suite", { action: "rerequested" })).toBe("check-suite-rerequested");
    expect(webhookKey("push", {})).toBe("push");
    expect(() => validateWebhook("no_such_event", {})).toThrow(/No webhook schema/);
  });

  it("checks against the action's own schema", () => {
    const payload = valid();
    payload.action = "milestoned";
    expect(validateWebhook("issues", payload)).toContain(
      "(root) must have required property 'milestone'",
    );
  });
});

describe("toJsonSchema", () => {
  it("turns OpenAPI 3.0 nullable into JSON Schema", () => {
    expect(toJsonSchema({ type: "string", nullable: true })).toEqual({ type: ["string", "null"] });
    expect(toJsonSchema({ type: "string", enum: ["a"], nullable: true })).toEqual({
      type: ["string", "null"],
      enum: ["a", null],
    });
    expect(toJsonSchema({ $ref: "#/components/schemas/user", nullable: true })).toEqual({
      anyOf: [{ $ref: "#/$defs/user" }, { type: "null" }],
    });
    expect(
      toJsonSchema({
        type: "object",
        properties: { nullable: { type: "integer", nullable: false } },
        items: { allOf: [{ type: "object", nullable: true }] },
      }),
    ).toEqual({
      type: "object",
      properties: { nullable: { type: "integer" } },
      items: { allOf: [{ type: ["object", "null"] }] },
    });
  });
});

describe("signWebhook", () => {
  const secret = "development-secret";
  const body = JSON.stringify(
    pushPayload(repo, { ref: "refs/heads/main", before: sha("a"), after: sha("b") }),
  );

  it("produces the x-hub-signature-256 value @octokit/webhooks accepts", async () => {
    const signature = signWebhook(body, secret);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await verify(secret, body, signature)).toBe(true);
    expect(await new Webhooks({ secret }).verify(body, signature)).toBe(true);
    expect(await verify("another-secret", body, signature)).toBe(false);
    expect(await verify(secret, `${body} `, signature)).toBe(false);
  });
});

describe("deliver", () => {
  it("hands the payload to Probot's handlers", async () => {
    const probot = new Probot({
      githubToken: "test-token",
      secret: "development-secret",
      logLevel: "fatal",
      Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
        ...options,
        throttle: { ...(options.throttle as object), enabled: false },
      })),
    });
    const seen: string[] = [];
    await probot.load((app) => {
      app.on("issues.closed", async (context) => {
        seen.push(`${context.name}.${context.payload.action}#${context.payload.issue.number}`);
      });
      app.on("push", async (context) => {
        seen.push(`${context.name}:${context.payload.ref}`);
      });
    });
    await deliver(probot, "issues", issuesPayload("closed", repo, restIssue, { sender: APP_BOT }));
    await deliver(
      probot,
      "push",
      pushPayload(repo, { ref: "refs/heads/main", before: sha("a"), after: sha("b") }),
      "delivery-1",
    );
    expect(seen).toEqual(["issues.closed#12", "push:refs/heads/main"]);

    // The same push, signed, passes Probot's own signature check.
    const body = JSON.stringify(
      pushPayload(repo, { ref: "refs/heads/pm", before: sha("a"), after: sha("b") }),
    );
    await probot.webhooks.verifyAndReceive({
      id: "delivery-2",
      name: "push",
      payload: body,
      signature: signWebhook(body, "development-secret"),
    });
    expect(seen.at(-1)).toBe("push:refs/heads/pm");
    await expect(
      probot.webhooks.verifyAndReceive({
        id: "delivery-3",
        name: "push",
        payload: body,
        signature: signWebhook(body, "wrong-secret"),
      }),
    ).rejects.toThrow(/signature does not match/);
  });
});
