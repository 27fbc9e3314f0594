import { type FakeResponse, json, notFound, paginate, validationFailed } from "../http.js";
import type { IssueState } from "../model.js";
import { createPull, type PullPatch, updatePull } from "../pull-requests.js";
import { renderPull } from "../render.js";
import { renderCommit, renderDiffEntry } from "../render-git.js";
import type { FakeRepo } from "../repo.js";
import { type Ctx, type Handler, repoOf, str } from "./context.js";

function pullOf(ctx: Ctx): { repo: FakeRepo; issue: IssueState } {
  const repo = repoOf(ctx);
  const issue = repo.issueStore.get(Number(ctx.params.pull_number));
  if (!issue?.pull || issue.deleted) throw notFound();
  return { repo, issue };
}

function list(ctx: Ctx): FakeResponse {
  const repo = repoOf(ctx);
  const state = str(ctx.params.state) ?? "open";
  const head = str(ctx.params.head);
  const base = str(ctx.params.base);
  const sort = str(ctx.params.sort) ?? "created";
  const direction = str(ctx.params.direction) ?? (sort === "created" ? "desc" : "asc");
  const pulls = repo.issueList().filter((i) => {
    const pull = i.pull;
    if (!pull) return false;
    if (state !== "all" && i.state !== state) return false;
    if (base && pull.baseRef !== base) return false;
    if (head) {
      const [user, ref] = head.includes(":") ? head.split(":", 2) : [undefined, head];
      const owner = pull.fromFork ? pull.forkOwner : repo.owner.login;
      if (ref !== pull.headRef || (user && user.toLowerCase() !== owner.toLowerCase()))
        return false;
    }
    return true;
  });
  const key = (i: IssueState) =>
    sort === "updated" ? i.updatedAt.getTime() : i.createdAt.getTime();
  pulls.sort((a, b) => (direction === "asc" ? 1 : -1) * (key(a) - key(b) || a.number - b.number));
  const page = paginate(pulls, ctx.url, ctx.params);
  return json(
    200,
    page.items.map((i) => renderPull(repo, i, false)),
    page.headers,
  );
}

function create(ctx: Ctx): FakeResponse {
  const repo = repoOf(ctx);
  const b = ctx.body;
  if (b.issue !== undefined) throw new Error("the fake does not turn issues into pull requests");
  if (b.head_repo !== undefined) throw new Error("the fake does not model forks through the API");
  const title = str(b.title);
  if (title === undefined) {
    throw validationFailed(
      [{ resource: "PullRequest", code: "missing_field", field: "title" }],
      "a pull request needs a title (or an issue to convert)",
    );
  }
  const issue = createPull(
    repo,
    {
      title,
      body: str(b.body) ?? null,
      head: String(b.head),
      base: String(b.base),
      draft: b.draft === true,
    },
    ctx.actor,
  );
  return json(201, renderPull(repo, issue, true), {
    location: `${repo.apiBase}/pulls/${issue.number}`,
  });
}

function update(ctx: Ctx): FakeResponse {
  const { repo, issue } = pullOf(ctx);
  const b = ctx.body;
  const patch: PullPatch = {};
  if (typeof b.title === "string") patch.title = b.title;
  if ("body" in b) patch.body = str(b.body) ?? null;
  if (b.state === "open" || b.state === "closed") patch.state = b.state;
  if (typeof b.base === "string") patch.base = b.base;
  updatePull(repo, issue, patch, ctx.actor);
  return json(200, renderPull(repo, issue, true));
}

export const pullHandlers: Record<string, Handler> = {
  "pulls/create": create,
  "pulls/update": update,
  "pulls/get": (ctx) => {
    const { repo, issue } = pullOf(ctx);
    return json(200, renderPull(repo, issue, true));
  },
  "pulls/list": list,
  "pulls/list-files": (ctx) => {
    const { repo, issue } = pullOf(ctx);
    // GitHub lists at most 3000 files of a pull request.
    const files = repo.pullFiles(issue).slice(0, 3000);
    const head = repo.pullHead(issue);
    const page = paginate(files, ctx.url, ctx.params);
    return json(
      200,
      page.items.map((f) => renderDiffEntry(repo, f, head)),
      page.headers,
    );
  },
  "pulls/list-commits": (ctx) => {
    const { repo, issue } = pullOf(ctx);
    const commits = repo.pullCommits(issue).slice(0, 250);
    const page = paginate(commits, ctx.url, ctx.params);
    return json(
      200,
      page.items.map((c) => renderCommit(repo, c)),
      page.headers,
    );
  },
};
