import {
  type FakeResponse,
  json,
  noContent,
  notFound,
  paginate,
  validationFailed,
} from "../http.js";
import type { CommentState, IssueState } from "../model.js";
import { renderComment, renderIssue, renderLabel } from "../render.js";
import { type Rest, renderLogin } from "../render-accounts.js";
import { BODY_MAX, type FakeRepo, type IssuePatch } from "../repo.js";
import { type Ctx, type Handler, repoOf, str } from "./context.js";

type LabelItem = string | { name?: string };
type LoginItem = string | { login?: string };

function labelNames(items: unknown): string[] | undefined {
  if (!Array.isArray(items)) return undefined;
  return (items as LabelItem[])
    .map((item) => (typeof item === "string" ? item : (item.name ?? "")))
    .filter((name) => name !== "");
}

function logins(items: unknown): string[] {
  if (!Array.isArray(items)) return [];
  return (items as LoginItem[])
    .map((item) => (typeof item === "string" ? item : (item.login ?? "")))
    .filter((login) => login !== "");
}

/** The description allows the milestone number as a string too. */
function milestoneNumber(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  throw validationFailed([
    { resource: "Issue", code: "invalid", field: "milestone", value: String(value) },
  ]);
}

function titleOf(value: unknown): string | undefined {
  return typeof value === "number" ? String(value) : str(value);
}

function issueOf(ctx: Ctx): { repo: FakeRepo; issue: IssueState } {
  const repo = repoOf(ctx);
  return { repo, issue: repo.issueState(Number(ctx.params.issue_number)) };
}

/** `type` and `issue_field_values` of a create or update, checked before anything changes. */
function nativeOf(ctx: Ctx, repo: FakeRepo) {
  const b = ctx.body;
  const meta = ctx.server.orgMeta(repo.owner.login);
  const name =
    typeof b.type === "object" && b.type !== null ? (b.type as { value?: unknown }).value : b.type;
  const type =
    b.type === undefined ? undefined : typeof name === "string" ? meta.typeNamed(name).id : null;
  const fields =
    b.issue_field_values === undefined ? undefined : meta.fieldValues(b.issue_field_values);
  return (issue: IssueState) => {
    if (type !== undefined) issue.type = type;
    for (const [id, value] of fields ?? []) issue.fieldValues.set(id, value);
  };
}

function createIssue(ctx: Ctx): FakeResponse {
  const repo = repoOf(ctx);
  const b = ctx.body;
  const native = nativeOf(ctx, repo);
  const assignees = logins(b.assignees);
  const single = str(b.assignee);
  if (single && !assignees.includes(single)) assignees.unshift(single);
  const issue = repo.createIssueState(
    {
      title: titleOf(b.title) ?? "",
      body: b.body === undefined ? null : (str(b.body) ?? null),
      assignees,
      milestone: milestoneNumber(b.milestone) ?? null,
      labels: labelNames(b.labels) ?? [],
    },
    ctx.actor,
  );
  native(issue);
  return json(201, renderIssue(repo, issue), {
    location: `${repo.apiBase}/issues/${issue.number}`,
  });
}

function updateIssue(ctx: Ctx): FakeResponse {
  const { repo, issue } = issueOf(ctx);
  const b = ctx.body;
  const native = nativeOf(ctx, repo);
  const patch: IssuePatch = {};
  const title = titleOf(b.title);
  if (title !== undefined) patch.title = title;
  if ("body" in b) patch.body = str(b.body) ?? null;
  if (b.assignees !== undefined) patch.assignees = logins(b.assignees);
  else if ("assignee" in b) patch.assignees = b.assignee ? [String(b.assignee)] : [];
  if ("milestone" in b) patch.milestone = milestoneNumber(b.milestone) ?? null;
  if (b.labels !== undefined) patch.labels = labelNames(b.labels);
  if (b.state === "open" || b.state === "closed") patch.state = b.state;
  if (b.state_reason !== undefined)
    patch.state_reason = b.state_reason as IssuePatch["state_reason"];
  repo.updateIssueState(issue, patch, ctx.actor);
  native(issue);
  return json(200, renderIssue(repo, issue));
}

function sortIssues(list: IssueState[], repo: FakeRepo, sort: string, direction: string) {
  const key = (i: IssueState) =>
    sort === "updated"
      ? i.updatedAt.getTime()
      : sort === "comments"
        ? repo.commentList(i.number).length
        : i.createdAt.getTime();
  const sign = direction === "asc" ? 1 : -1;
  return list.sort((a, b) => sign * (key(a) - key(b) || a.number - b.number));
}

function listIssues(ctx: Ctx): FakeResponse {
  const repo = repoOf(ctx);
  const p = ctx.params;
  const state = str(p.state) ?? "open";
  const wanted = (str(p.labels) ?? "")
    .split(",")
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  const milestone = str(p.milestone);
  if (milestone !== undefined && !/^(\d+|\*|none)$/.test(milestone)) {
    throw validationFailed(
      [{ resource: "Issue", code: "invalid", field: "milestone", value: milestone }],
      `milestone must be a number, "*" or "none", not ${JSON.stringify(milestone)}`,
    );
  }
  const assignee = str(p.assignee)?.toLowerCase();
  const creator = str(p.creator)?.toLowerCase();
  const mentioned = str(p.mentioned)?.toLowerCase();
  const since = str(p.since) ? new Date(String(p.since)).getTime() : undefined;
  const selected = repo.issueList().filter((issue) => {
    if (state !== "all" && issue.state !== state) return false;
    const names = repo.issueLabels(issue).map((l) => l.name.toLowerCase());
    if (!wanted.every((w) => names.includes(w))) return false;
    if (milestone === "none" && issue.milestone !== null) return false;
    if (milestone === "*" && issue.milestone === null) return false;
    if (milestone && /^\d+$/.test(milestone) && issue.milestone !== Number(milestone)) return false;
    const assigned = issue.assignees.map((a) => a.toLowerCase());
    if (assignee === "none" && assigned.length > 0) return false;
    if (assignee === "*" && assigned.length === 0) return false;
    if (assignee && assignee !== "none" && assignee !== "*" && !assigned.includes(assignee)) {
      return false;
    }
    if (creator && issue.author.toLowerCase() !== creator) return false;
    if (mentioned && !(issue.body ?? "").toLowerCase().includes(`@${mentioned}`)) return false;
    if (since !== undefined && issue.updatedAt.getTime() < since) return false;
    return true;
  });
  sortIssues(selected, repo, str(p.sort) ?? "created", str(p.direction) ?? "desc");
  const page = paginate(selected, ctx.url, p);
  return json(
    200,
    page.items.map((i) => renderIssue(repo, i)),
    page.headers,
  );
}

function commentOf(ctx: Ctx): { repo: FakeRepo; comment: CommentState } {
  const repo = repoOf(ctx);
  const comment = repo.commentStore.get(Number(ctx.params.comment_id));
  if (!comment) throw notFound();
  return { repo, comment };
}

function listComments(repo: FakeRepo, comments: CommentState[], ctx: Ctx): FakeResponse {
  const since = str(ctx.params.since);
  const selected = comments.filter((c) => !since || c.updatedAt >= new Date(since));
  const desc = ctx.params.sort !== undefined && ctx.params.direction === "desc";
  selected.sort(
    (a, b) => (desc ? -1 : 1) * (a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id),
  );
  const page = paginate(selected, ctx.url, ctx.params);
  return json(
    200,
    page.items.map((c) => renderComment(repo, c)),
    page.headers,
  );
}

function issueLabelList(repo: FakeRepo, issue: IssueState): Rest[] {
  return repo.issueLabels(issue).map((l) => renderLabel(repo, l));
}

function labelsBody(body: unknown): string[] {
  if (Array.isArray(body)) return labelNames(body) ?? [];
  return labelNames((body as { labels?: unknown }).labels) ?? [];
}

export const issueHandlers: Record<string, Handler> = {
  "issues/create": createIssue,
  "issues/get": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    return json(200, renderIssue(repo, issue));
  },
  "issues/update": updateIssue,
  "issues/list-for-repo": listIssues,

  "issues/list-comments": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    return listComments(repo, repo.commentList(issue.number), ctx);
  },
  "issues/list-comments-for-repo": (ctx) => {
    const repo = repoOf(ctx);
    return listComments(repo, [...repo.commentStore.values()], ctx);
  },
  "issues/create-comment": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const comment = repo.addCommentState(issue.number, String(ctx.body.body), ctx.actor);
    return json(201, renderComment(repo, comment), {
      location: `${repo.apiBase}/issues/comments/${comment.id}`,
    });
  },
  "issues/get-comment": (ctx) => {
    const { repo, comment } = commentOf(ctx);
    return json(200, renderComment(repo, comment));
  },
  "issues/update-comment": (ctx) => {
    const { repo, comment } = commentOf(ctx);
    const body = String(ctx.body.body);
    if (body.length > BODY_MAX) {
      throw validationFailed(
        [
          {
            resource: "IssueComment",
            code: "custom",
            field: "body",
            message: `body is too long (maximum is ${BODY_MAX} characters)`,
          },
        ],
        `comment body is longer than ${BODY_MAX} characters`,
      );
    }
    if (body !== comment.body) {
      comment.body = body;
      comment.updatedAt = ctx.server.now();
    }
    return json(200, renderComment(repo, comment));
  },
  "issues/delete-comment": (ctx) => {
    const { repo, comment } = commentOf(ctx);
    repo.commentStore.delete(comment.id);
    return noContent();
  },

  "issues/check-user-can-be-assigned": (ctx) => {
    const repo = repoOf(ctx);
    if (!repo.isAssignable(String(ctx.params.assignee))) throw notFound();
    return noContent();
  },
  "issues/list-assignees": (ctx) => {
    const repo = repoOf(ctx);
    const users = repo.assignableUsers().map((login) => renderLogin(ctx.server, login));
    const page = paginate(users, ctx.url, ctx.params);
    return json(200, page.items, page.headers);
  },
  "issues/add-assignees": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    // Users who cannot be assigned are silently left out; an issue holds at most 10.
    const added = logins(ctx.body.assignees).filter((l) => repo.isAssignable(l));
    const merged = [...issue.assignees];
    for (const login of added) {
      const canonical = ctx.server.user(login).login;
      if (!merged.some((m) => m.toLowerCase() === login.toLowerCase())) merged.push(canonical);
    }
    repo.updateIssueState(issue, { assignees: merged.slice(0, 10) }, ctx.actor);
    return json(201, renderIssue(repo, issue));
  },
  "issues/remove-assignees": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const removed = new Set(logins(ctx.body.assignees).map((l) => l.toLowerCase()));
    const kept = issue.assignees.filter((a) => !removed.has(a.toLowerCase()));
    repo.updateIssueState(issue, { assignees: kept }, ctx.actor);
    return json(200, renderIssue(repo, issue));
  },

  "issues/list-labels-on-issue": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const page = paginate(issueLabelList(repo, issue), ctx.url, ctx.params);
    return json(200, page.items, page.headers);
  },
  "issues/add-labels": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const names = [...repo.issueLabels(issue).map((l) => l.name), ...labelsBody(ctx.body)];
    repo.updateIssueState(issue, { labels: names }, ctx.actor);
    return json(200, issueLabelList(repo, issue));
  },
  "issues/set-labels": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    repo.updateIssueState(issue, { labels: labelsBody(ctx.body) }, ctx.actor);
    return json(200, issueLabelList(repo, issue));
  },
  "issues/remove-label": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const name = String(ctx.params.name).toLowerCase();
    const current = repo.issueLabels(issue).map((l) => l.name);
    if (!current.some((l) => l.toLowerCase() === name)) throw notFound("Label does not exist");
    repo.updateIssueState(
      issue,
      { labels: current.filter((l) => l.toLowerCase() !== name) },
      ctx.actor,
    );
    return json(200, issueLabelList(repo, issue));
  },
  "issues/remove-all-labels": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    repo.updateIssueState(issue, { labels: [] }, ctx.actor);
    return noContent();
  },
};
