import { json, notFound } from "../http.js";
import { renderIssueField, renderIssueType } from "../issue-meta.js";
import { type Handler, repoOf } from "./context.js";

/** Issue types and fields are an organization's: a user's repositories answer 404. */
export const issueMetaHandlers: Record<string, Handler> = {
  "repos/list-issue-types": (ctx) => {
    const repo = repoOf(ctx);
    if (repo.owner.type !== "Organization") throw notFound();
    return json(200, ctx.server.orgMeta(repo.owner.login).types.map(renderIssueType));
  },
  "orgs/list-issue-fields": (ctx) => {
    const org = String(ctx.params.org);
    if (ctx.server.user(org).type !== "Organization") throw notFound();
    return json(200, ctx.server.orgMeta(org).fields.map(renderIssueField));
  },
};
