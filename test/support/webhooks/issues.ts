import type { RestEndpointMethodTypes } from "@octokit/rest";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { example } from "./examples.js";
import {
  type Actor,
  adaptRepository,
  applyEnvelope,
  child,
  DEFAULT_SENDER,
  isJson,
  type Json,
  type LabelInput,
  type MilestoneInput,
  makeLabel,
  makeMilestone,
  nodeId,
  type RepoRef,
  type ResolvedRepo,
  resolveRepo,
  stableId,
  timestamp,
  userFrom,
} from "./objects.js";
import { assertValidWebhook } from "./schema.js";

export type IssuesAction =
  | "opened"
  | "closed"
  | "reopened"
  | "edited"
  | "assigned"
  | "unassigned"
  | "milestoned"
  | "demilestoned"
  | "labeled"
  | "unlabeled"
  | "deleted"
  | "transferred";

export type IssuesPayload<A extends IssuesAction = IssuesAction> =
  EmitterWebhookEvent<`issues.${A}`>["payload"];

/** What `GET /repos/{owner}/{repo}/issues/{issue_number}` returns. */
export type RestIssue = RestEndpointMethodTypes["issues"]["get"]["response"]["data"];

export interface UserInput {
  login: string;
  id?: number;
  type?: string;
}

/** A REST issue; only number and title are required, the rest is filled in. */
export type IssueInput = Omit<
  Partial<RestIssue>,
  "user" | "assignee" | "assignees" | "labels" | "milestone"
> & {
  number: number;
  title: string;
  user?: UserInput | null;
  assignee?: UserInput | null;
  assignees?: UserInput[] | null;
  labels?: (string | Partial<LabelInput>)[];
  milestone?: MilestoneInput | null;
};

export interface IssuesOptions {
  /** Default {@link DEFAULT_SENDER}; use {@link APP_BOT} for events the app caused. */
  sender?: Actor;
  /** `edited`: e.g. `{ body: { from: "old" } }` (default `{}`); `transferred`: the new issue and repository. */
  changes?: Json;
  /** `labeled` (default: the issue's last label) and `unlabeled` (required). */
  label?: string | LabelInput;
  /** `assigned` (default: the issue's last assignee) and `unassigned` (required). */
  assignee?: string | UserInput;
  /** `milestoned` (default: the issue's milestone) and `demilestoned` (required). */
  milestone?: MilestoneInput;
}

// Optional REST fields the webhook issue also carries, copied when present.
const PASSTHROUGH = [
  "draft",
  "pull_request",
  "type",
  "sub_issues_summary",
  "issue_dependencies_summary",
  "issue_field_values",
] as const;

function reactions(url: string): Json {
  const counts = ["+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"];
  return { url, total_count: 0, ...Object.fromEntries(counts.map((k) => [k, 0])) };
}

function labelFrom(repo: ResolvedRepo, label: string | Partial<LabelInput>): Json {
  if (typeof label === "string") return makeLabel(repo, label);
  if (typeof label.name !== "string") {
    throw new Error(`Expected a label with a name, got ${JSON.stringify(label)}`);
  }
  return makeLabel(repo, { ...label, name: label.name });
}

/**
 * Converts a REST issue to the webhook issue shape: keeps what the REST object has, fills the
 * fields webhooks require (reactions, author_association, ...), and drops REST-only fields
 * (`closed_by`, `body_html`, `repository`, ...).
 */
export function toWebhookIssue(
  repoRef: RepoRef,
  input: IssueInput,
  action: IssuesAction = "opened",
  template: Json = {},
): Json {
  const repo = resolveRepo(repoRef);
  const n = input.number;
  const id = input.id ?? stableId(`issue:${repo.fullName}#${n}`);
  const api = `https://api.github.com/repos/${repo.fullName}/issues/${n}`;
  const now = timestamp();
  const state = input.state ?? (action === "closed" ? "closed" : "open");
  const closed = state === "closed";
  const assignees = (input.assignees ?? (input.assignee ? [input.assignee] : [])).map(userFrom);
  const issue: Json = {
    url: input.url ?? api,
    repository_url: input.repository_url ?? `https://api.github.com/repos/${repo.fullName}`,
    labels_url: input.labels_url ?? `${api}/labels{/name}`,
    comments_url: input.comments_url ?? `${api}/comments`,
    events_url: input.events_url ?? `${api}/events`,
    html_url: input.html_url ?? `https://github.com/${repo.fullName}/issues/${n}`,
    timeline_url: input.timeline_url ?? `${api}/timeline`,
    id,
    node_id: input.node_id ?? nodeId("Issue", id),
    number: n,
    title: input.title,
    user: input.user === null ? null : userFrom(input.user ?? DEFAULT_SENDER),
    labels: (input.labels ?? []).map((label) => labelFrom(repo, label)),
    state,
    locked: input.locked ?? false,
    assignee: input.assignee === undefined ? (assignees[0] ?? null) : userFrom(input.assignee),
    assignees,
    milestone: input.milestone ? makeMilestone(repo, input.milestone) : null,
    comments: input.comments ?? 0,
    created_at: input.created_at ?? now,
    updated_at: input.updated_at ?? now,
    closed_at: input.closed_at ?? (closed ? now : null),
    author_association:
      input.author_association ??
      (typeof template.author_association === "string" ? template.author_association : "NONE"),
    active_lock_reason: input.active_lock_reason ?? null,
    body: input.body ?? null,
    reactions: input.reactions ?? reactions(`${api}/reactions`),
    performed_via_github_app: input.performed_via_github_app ?? null,
    state_reason:
      input.state_reason !== undefined
        ? input.state_reason
        : closed
          ? "completed"
          : action === "reopened"
            ? "reopened"
            : null,
  };
  for (const key of PASSTHROUGH) {
    if (input[key] !== undefined) issue[key] = input[key];
  }
  return issue;
}

function required<T>(value: T | undefined | null, action: IssuesAction, what: string): T {
  if (value === undefined || value === null) {
    throw new Error(`issuesPayload(${action}) needs options.${what}`);
  }
  return value;
}

function transferChanges(
  payload: Json,
  repo: ResolvedRepo,
  issue: IssueInput,
  action: IssuesAction,
): Json {
  const target = resolveRepo({
    owner: repo.owner,
    name: `${repo.name}-archive`,
    ownerType: repo.ownerType,
    installationId: repo.installationId,
  });
  const changes = isJson(payload.changes) ? payload.changes : {};
  const newRepository = isJson(changes.new_repository)
    ? changes.new_repository
    : child(payload, "repository");
  return {
    new_issue: toWebhookIssue(target, { ...issue, id: undefined, node_id: undefined }, action),
    new_repository: adaptRepository(newRepository, target),
  };
}

/**
 * An `issues` payload about `issue` (a REST issue, converted to the webhook shape). Extra
 * top-level fields (`label`, `assignee`, `milestone`, `changes`) are set for the actions that
 * carry them.
 */
export function issuesPayload<A extends IssuesAction>(
  action: A,
  repoRef: RepoRef,
  issue: IssueInput,
  options: IssuesOptions = {},
): IssuesPayload<A> {
  const repo = resolveRepo(repoRef);
  const contradicts =
    (action === "closed" && issue.state === "open") ||
    (action === "reopened" && issue.state === "closed");
  if (contradicts)
    throw new Error(`issuesPayload(${action}): the issue's state is "${issue.state}"`);
  // There is no `closed` example; a `reopened` one has the same shape.
  const payload = example("issues", action, action === "closed" ? "reopened" : "opened");
  const template = child(payload, "issue");
  const changes = action === "transferred" ? transferChanges(payload, repo, issue, action) : {};
  for (const key of ["label", "assignee", "milestone", "changes"]) delete payload[key];
  applyEnvelope(payload, repo, options.sender ?? DEFAULT_SENDER);
  payload.issue = toWebhookIssue(repo, issue, action, template);
  const converted = child(payload, "issue");
  const labels = converted.labels as Json[];
  const assignees = converted.assignees as Json[];

  switch (action) {
    case "labeled":
      payload.label = options.label
        ? makeLabel(repo, options.label)
        : structuredClone(required(labels.at(-1), action, "label"));
      break;
    case "unlabeled":
      payload.label = makeLabel(repo, required(options.label, action, "label"));
      break;
    case "assigned":
      payload.assignee = options.assignee
        ? userFrom(options.assignee)
        : structuredClone(required(assignees.at(-1), action, "assignee"));
      break;
    case "unassigned":
      payload.assignee = userFrom(required(options.assignee, action, "assignee"));
      break;
    case "milestoned":
      payload.milestone = options.milestone
        ? makeMilestone(repo, options.milestone)
        : structuredClone(required(converted.milestone as Json | null, action, "milestone"));
      break;
    case "demilestoned":
      payload.milestone = makeMilestone(repo, required(options.milestone, action, "milestone"));
      break;
    case "edited":
      payload.changes = options.changes ?? {};
      break;
    case "transferred":
      payload.changes = options.changes ?? changes;
      break;
  }

  assertValidWebhook(`issues.${action}`, payload, "issuesPayload");
  return payload as unknown as IssuesPayload<A>;
}
