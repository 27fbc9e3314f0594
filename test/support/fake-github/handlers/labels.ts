import {
  type FakeResponse,
  json,
  noContent,
  notFound,
  paginate,
  validationFailed,
} from "../http.js";
import type { LabelState } from "../model.js";
import { renderLabel, renderMilestone } from "../render.js";
import type { FakeRepo } from "../repo.js";
import { type Ctx, type Handler, repoOf, str } from "./context.js";

function labelOf(ctx: Ctx): { repo: FakeRepo; label: LabelState } {
  const repo = repoOf(ctx);
  const label = repo.labelByName(String(ctx.params.name));
  if (!label) throw notFound();
  return { repo, label };
}

/** GitHub takes six hex digits without `#`, and descriptions of at most 100 characters. */
function checkLabelFields(color: string | undefined, description: string | undefined): void {
  if (color !== undefined && !/^[0-9a-fA-F]{6}$/.test(color)) {
    throw validationFailed(
      [{ resource: "Label", code: "invalid", field: "color", value: color }],
      `label color must be six hex digits without "#", not ${JSON.stringify(color)}`,
    );
  }
  if (description !== undefined && description.length > 100) {
    throw validationFailed(
      [{ resource: "Label", code: "invalid", field: "description", value: description }],
      "label description is longer than 100 characters",
    );
  }
}

function alreadyExists(resource: string, field: string) {
  return validationFailed([{ resource, code: "already_exists", field }]);
}

function listMilestones(ctx: Ctx): FakeResponse {
  const repo = repoOf(ctx);
  const state = str(ctx.params.state) ?? "open";
  const sort = str(ctx.params.sort) ?? "due_on";
  const sign = (str(ctx.params.direction) ?? "asc") === "asc" ? 1 : -1;
  const counts = (n: number) => {
    const issues = repo.issueList().filter((i) => i.milestone === n);
    const closed = issues.filter((i) => i.state === "closed").length;
    return issues.length ? closed / issues.length : 0;
  };
  const list = [...repo.milestoneStore.values()]
    .filter((m) => state === "all" || m.state === state)
    .sort((a, b) => {
      if (sort === "completeness")
        return sign * (counts(a.number) - counts(b.number)) || a.number - b.number;
      // Milestones without a due date come last.
      if (!a.dueOn || !b.dueOn) return (a.dueOn ? -1 : b.dueOn ? 1 : 0) || a.number - b.number;
      return sign * (a.dueOn.getTime() - b.dueOn.getTime()) || a.number - b.number;
    });
  const page = paginate(list, ctx.url, ctx.params);
  return json(
    200,
    page.items.map((m) => renderMilestone(repo, m)),
    page.headers,
  );
}

function milestoneOf(ctx: Ctx) {
  const repo = repoOf(ctx);
  const milestone = repo.milestoneState(Number(ctx.params.milestone_number));
  if (!milestone) throw notFound();
  return { repo, milestone };
}

export const labelHandlers: Record<string, Handler> = {
  "issues/list-labels-for-repo": (ctx) => {
    const repo = repoOf(ctx);
    const labels = [...repo.labelStore.values()]
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
      .map((l) => renderLabel(repo, l));
    const page = paginate(labels, ctx.url, ctx.params);
    return json(200, page.items, page.headers);
  },
  "issues/get-label": (ctx) => {
    const { repo, label } = labelOf(ctx);
    return json(200, renderLabel(repo, label));
  },
  "issues/create-label": (ctx) => {
    const repo = repoOf(ctx);
    const name = String(ctx.body.name);
    const color = str(ctx.body.color);
    const description = str(ctx.body.description);
    checkLabelFields(color, description);
    if (repo.labelByName(name)) throw alreadyExists("Label", "name");
    const label = repo.addLabelState(name, color ?? "ededed", description ?? null);
    return json(201, renderLabel(repo, label), {
      location: `${repo.apiBase}/labels/${encodeURIComponent(name)}`,
    });
  },
  "issues/update-label": (ctx) => {
    const { repo, label } = labelOf(ctx);
    const newName = str(ctx.body.new_name);
    const color = str(ctx.body.color);
    const description = str(ctx.body.description);
    checkLabelFields(color, description);
    const clash = newName === undefined ? undefined : repo.labelByName(newName);
    if (clash && clash.id !== label.id) throw alreadyExists("Label", "name");
    if (newName !== undefined) label.name = newName;
    if (color !== undefined) label.color = color.toLowerCase();
    if (description !== undefined) label.description = description;
    return json(200, renderLabel(repo, label));
  },
  "issues/delete-label": (ctx) => {
    const { repo, label } = labelOf(ctx);
    repo.labelStore.delete(label.id);
    for (const issue of repo.issueStore.values()) {
      issue.labelIds = issue.labelIds.filter((id) => id !== label.id);
    }
    return noContent();
  },

  "issues/list-milestones": listMilestones,
  "issues/get-milestone": (ctx) => {
    const { repo, milestone } = milestoneOf(ctx);
    return json(200, renderMilestone(repo, milestone));
  },
  "issues/create-milestone": (ctx) => {
    const repo = repoOf(ctx);
    const milestone = repo.addMilestoneState(
      {
        title: String(ctx.body.title),
        description: str(ctx.body.description),
        state: ctx.body.state === "closed" ? "closed" : "open",
        due_on: str(ctx.body.due_on),
      },
      ctx.actor.login,
    );
    return json(201, renderMilestone(repo, milestone), {
      location: `${repo.apiBase}/milestones/${milestone.number}`,
    });
  },
  "issues/update-milestone": (ctx) => {
    const { repo, milestone } = milestoneOf(ctx);
    const b = ctx.body;
    const title = str(b.title);
    if (title !== undefined && title !== milestone.title) {
      if ([...repo.milestoneStore.values()].some((m) => m.title === title)) {
        throw alreadyExists("Milestone", "title");
      }
      milestone.title = title;
    }
    if (b.description !== undefined) milestone.description = str(b.description) ?? null;
    const now = ctx.server.now();
    if (b.due_on !== undefined) {
      const due = str(b.due_on);
      milestone.dueOn = due ? repo.dueOn(due) : null;
    }
    if (b.state === "closed" && milestone.state === "open") {
      milestone.state = "closed";
      milestone.closedAt = now;
    } else if (b.state === "open" && milestone.state === "closed") {
      milestone.state = "open";
      milestone.closedAt = null;
    }
    milestone.updatedAt = now;
    return json(200, renderMilestone(repo, milestone));
  },
  "issues/delete-milestone": (ctx) => {
    const { repo, milestone } = milestoneOf(ctx);
    repo.milestoneStore.delete(milestone.number);
    for (const issue of repo.issueStore.values()) {
      if (issue.milestone === milestone.number) issue.milestone = null;
    }
    return noContent();
  },
};
