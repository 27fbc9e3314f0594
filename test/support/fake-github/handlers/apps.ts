import { iso } from "../dates.js";
import { json, notFound, paginate } from "../http.js";
import { renderApp, renderInstallation, renderRepository } from "../render-accounts.js";
import { type Handler, repoOf } from "./context.js";

function installation(ctx: Parameters<Handler>[0], id: number) {
  const account = ctx.server.installationAccount(id);
  if (!account) throw notFound("Not Found");
  return renderInstallation(ctx.server, id, account);
}

export const appHandlers: Record<string, Handler> = {
  "apps/get-authenticated": (ctx) => json(200, renderApp(ctx.server)),

  "apps/create-installation-access-token": (ctx) => {
    const id = Number(ctx.params.installation_id);
    installation(ctx, id);
    const { token, expiresAt } = ctx.server.issueToken(id);
    return json(201, {
      token,
      expires_at: iso(expiresAt),
      permissions: ctx.server.app.permissions,
      repository_selection: "all",
    });
  },

  "apps/list-installations": (ctx) => {
    const all = ctx.server.installationIds().map((id) => installation(ctx, id));
    const page = paginate(all, ctx.url, ctx.params);
    return json(200, page.items, page.headers);
  },

  "apps/get-installation": (ctx) =>
    json(200, installation(ctx, Number(ctx.params.installation_id))),

  "apps/get-repo-installation": (ctx) => json(200, installation(ctx, repoOf(ctx).installationId)),

  "apps/list-repos-accessible-to-installation": (ctx) => {
    const repos = ctx.server
      .repoList()
      .filter((r) => r.installationId === ctx.installationId)
      .map((r) => renderRepository(r));
    const page = paginate(repos, ctx.url, ctx.params);
    return json(
      200,
      { total_count: repos.length, repository_selection: "all", repositories: page.items },
      page.headers,
    );
  },
};
