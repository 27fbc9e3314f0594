/** From a parsed post-mortem to the issues it wants: titles, assignees, milestones, labels. Pure. */
import type { Config } from "../config.js";
import { identityKeys } from "../postmortem/identity.js";
import type { Action, Postmortem } from "../postmortem/model.js";
import { issueTitle } from "../render/text.js";
import { milestoneFor } from "./milestones.js";
import type { DesiredAction, RepoRef } from "./model.js";

/** The most assignees GitHub accepts on one issue. */
export const MAX_ASSIGNEES = 10;

export interface DesiredInput {
  pm: Postmortem;
  config: Config;
  repo: RepoRef;
  /** Whether a login can be assigned in the repository (answers for every login the document names). */
  assignable: (login: string) => boolean;
}

export function desiredActions({ pm, config, repo, assignable }: DesiredInput): DesiredAction[] {
  const keys = identityKeys(pm.actions);
  return pm.actions.map((action, index) => {
    const key = keys[index] as string;
    const linkedNumber = linkedIssueNumber(action.link, repo);
    return {
      key,
      index,
      action,
      title: issueTitle(action.text),
      // GitHub takes at most 10 assignees; the body names every owner.
      assignees: action.assignees.filter(assignable).slice(0, MAX_ASSIGNEES),
      unassignable: action.assignees.filter((login) => !assignable(login)),
      milestone: milestoneFor(action.due, config.milestones),
      labels: actionLabels(action, config),
      linkedNumber,
      needsIssue: !action.done && action.link === null,
    };
  });
}

/** `#12`, or a URL to an issue or pull request of this repository → 12. */
export function linkedIssueNumber(link: string | null, repo: RepoRef): number | null {
  if (!link) return null;
  const ref = link.match(/^#(\d+)$/);
  if (ref?.[1]) return Number(ref[1]);
  const prefix = `${repo.htmlUrl.replace(/\/$/, "")}/`.toLowerCase();
  if (!link.toLowerCase().startsWith(prefix)) return null;
  const url = link.slice(prefix.length).match(/^(?:issues|pull)\/(\d+)/);
  return url?.[1] ? Number(url[1]) : null;
}

export function actionLabels(action: Action, config: Config): string[] {
  const labels = [config.labels.action];
  if (config.labels.type && action.type)
    labels.push(labelName(`type: ${action.type.toLowerCase()}`));
  if (config.labels.priority && action.priority)
    labels.push(labelName(`priority: ${action.priority}`));
  return labels;
}

/** GitHub label names are at most 50 characters. */
function labelName(name: string): string {
  return name.length > 50 ? name.slice(0, 50) : name;
}
