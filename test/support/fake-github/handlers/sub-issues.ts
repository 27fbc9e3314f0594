import { json, notFound, paginate } from "../http.js";
import type { IssueState } from "../model.js";
import { renderIssue } from "../render.js";
import type { FakeRepo } from "../repo.js";
import { type Ctx, type Handler, repoOf } from "./context.js";

/** The issue in the path, where sub-issues exist (an older GHES answers 404 to all of these). */
function parentOf(ctx: Ctx): { repo: FakeRepo; issue: IssueState } {
  const repo = repoOf(ctx);
  if (!repo.subIssues) throw notFound();
  return { repo, issue: repo.issueState(Number(ctx.params.issue_number)) };
}

export const subIssueHandlers: Record<string, Handler> = {
  "issues/add-sub-issue": (ctx) => {
    const { repo, issue } = parentOf(ctx);
    repo.addSubIssue(issue, Number(ctx.body.sub_issue_id), ctx.body.replace_parent === true);
    return json(201, renderIssue(repo, issue), {
      location: `${repo.apiBase}/issues/${issue.number}/sub_issues`,
    });
  },
  "issues/remove-sub-issue": (ctx) => {
    const { repo, issue } = parentOf(ctx);
    const child = repo.subIssueList(issue.number).find((i) => i.id === ctx.body.sub_issue_id);
    if (!child) throw notFound();
    child.parent = null;
    issue.updatedAt = ctx.server.now();
    return json(200, renderIssue(repo, issue), {
      location: `${repo.apiBase}/issues/${issue.number}/sub_issues`,
    });
  },
  "issues/list-sub-issues": (ctx) => {
    const { repo, issue } = parentOf(ctx);
    const page = paginate(repo.subIssueList(issue.number), ctx.url, ctx.params);
    return json(
      200,
      page.items.map((i) => renderIssue(repo, i)),
      page.headers,
    );
  },
  "issues/get-parent": (ctx) => {
    const { repo, issue } = parentOf(ctx);
    if (issue.parent === null) throw notFound();
    return json(200, renderIssue(repo, repo.issueState(issue.parent)));
  },
};
