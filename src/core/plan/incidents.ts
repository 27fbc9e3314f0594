/**
 * Incident issues and their post-mortems, decided without I/O: which closed incidents are due a
 * post-mortem, which references of a document are incidents, and how the review lists them.
 */
import type { Config } from "../config.js";
import type { Finding } from "../postmortem/model.js";
import type { IssueState, TrackingView } from "./model.js";
import { hasLabel } from "./plan.js";

export type IncidentConfig = Exclude<Config["incidents"], false>;

const HOUR = 3_600_000;
/**
 * A closed incident is looked at for this many days after its post-mortem fell due, then let go:
 * a week of missed daily runs still reminds, and a reminded incident costs at most that many reads.
 */
export const REMINDER_WINDOW_DAYS = 7;
/** Most post-mortem due comments one run posts in a repository; the rest follow on the next runs. */
export const MAX_INCIDENT_REMINDERS_PER_RUN = 50;
export const NO_POSTMORTEM_LABEL = "no-postmortem";

/** What a `#N` in a document turned out to be. */
export interface IncidentRef {
  number: number;
  kind: "incident" | "not-incident" | "missing";
  state: "open" | "closed";
  title: string;
  url: string;
}

/** The references that are incident issues, in the document's order. */
export function incidentNumbers(refs: IncidentRef[]): number[] {
  return refs.filter((r) => r.kind === "incident").map((r) => r.number);
}

/** What a reference is, from the issue GitHub answered (null: no such issue). */
export function classifyRef(
  number: number,
  issue: IssueState | null,
  input: { label: string; ownedByApp: boolean; htmlUrl: string },
): IncidentRef {
  const url = `${input.htmlUrl}/issues/${number}`;
  if (!issue) return { number, kind: "missing", state: "open", title: "", url };
  const { label, ownedByApp } = input;
  const incident = !ownedByApp && hasLabel(issue.labels, label);
  return {
    number,
    kind: incident ? "incident" : "not-incident",
    state: issue.state,
    title: issue.title,
    url,
  };
}

/**
 * The view with the issues the document refers to that were not incidents when it was synced: one
 * labelled an incident later still counts as having this post-mortem.
 */
export function withReferences(view: TrackingView, refs: IncidentRef[] = []): TrackingView {
  const references = refs.filter((r) => r.kind === "not-incident").map((r) => r.number);
  return references.length > 0 ? { ...view, references } : view;
}

/** A notice for each reference that is not an incident issue (a typo, or an ordinary issue). */
export function referenceNotices(refs: IncidentRef[], label: string): Finding[] {
  return refs
    .filter((r) => r.kind !== "incident")
    .map((r) => ({
      level: "notice" as const,
      rule: "incident-reference",
      message:
        r.kind === "missing"
          ? `#${r.number} is not an issue of this repository, so it is not linked as this post-mortem's incident`
          : `#${r.number} is not labelled "${label}", so it is not linked as this post-mortem's incident`,
      line: null,
    }));
}

/** When an incident's post-mortem is due: its close plus the configured hours. */
export function postmortemDueAt(incident: IssueState, config: IncidentConfig): number | null {
  if (!incident.closedAt) return null;
  return Date.parse(incident.closedAt) + config.postmortem_due_hours * HOUR;
}

/** Closed as not planned, or labelled as needing none: no post-mortem is expected. */
export function expectsPostmortem(incident: IssueState): boolean {
  return (
    incident.state === "closed" &&
    incident.stateReason !== "not_planned" &&
    incident.stateReason !== "duplicate" &&
    !hasLabel(incident.labels, NO_POSTMORTEM_LABEL)
  );
}

/** Where the list of closed incidents starts: far enough back for the reminders and the review. */
export function incidentListSince(now: Date, config: IncidentConfig, reviewFrom?: string): string {
  const reminders =
    now.getTime() - config.postmortem_due_hours * HOUR - REMINDER_WINDOW_DAYS * 86_400_000;
  const review = reviewFrom ? Date.parse(reviewFrom) : Number.POSITIVE_INFINITY;
  return new Date(Math.min(reminders, review)).toISOString();
}

/**
 * Closed incidents whose post-mortem is due by `now` and not too long ago, none of `referenced`
 * (those have one), oldest close first.
 */
export function dueIncidents(
  incidents: IssueState[],
  referenced: ReadonlySet<number>,
  now: Date,
  config: IncidentConfig,
): IssueState[] {
  const oldest = now.getTime() - REMINDER_WINDOW_DAYS * 86_400_000;
  return incidents
    .filter((incident) => {
      const due = postmortemDueAt(incident, config);
      return (
        due !== null &&
        due <= now.getTime() &&
        due >= oldest &&
        expectsPostmortem(incident) &&
        !referenced.has(incident.number)
      );
    })
    .sort((a, b) => (a.closedAt ?? "").localeCompare(b.closedAt ?? "") || a.number - b.number);
}

/** The post-mortem of an incident, as its tracking issue shows it. */
export interface IncidentPostmortem {
  tracking: number;
  title: string;
  /** When the tracking issue was opened: the merge of the post-mortem. */
  mergedAt: string;
}

export interface ReviewIncident {
  number: number;
  title: string;
  closedAt: string;
  postmortem: IncidentPostmortem | null;
  /** No post-mortem, and its due time has passed. */
  overdue: boolean;
  /** Its post-mortem was merged by the due time. */
  onTime: boolean;
}

/**
 * Incidents closed from `from` on (ISO date) that expect a post-mortem: overdue ones first, then
 * the rest by close; and the share whose post-mortem came on time among those already due.
 */
export function reviewIncidents(
  incidents: IssueState[],
  postmortems: ReadonlyMap<number, IncidentPostmortem>,
  input: { from: string; now: Date; config: IncidentConfig },
): { items: ReviewIncident[]; due: number; onTime: number } {
  const items: ReviewIncident[] = [];
  let due = 0;
  let onTime = 0;
  for (const incident of incidents) {
    const dueAt = postmortemDueAt(incident, input.config);
    if (!incident.closedAt || dueAt === null || incident.closedAt < input.from) continue;
    if (!expectsPostmortem(incident)) continue;
    const postmortem = postmortems.get(incident.number) ?? null;
    const passed = dueAt <= input.now.getTime();
    const timely = postmortem !== null && Date.parse(postmortem.mergedAt) <= dueAt;
    if (passed) {
      due++;
      if (timely) onTime++;
    }
    items.push({
      number: incident.number,
      title: incident.title,
      closedAt: incident.closedAt,
      postmortem,
      overdue: postmortem === null && passed,
      onTime: timely,
    });
  }
  items.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      a.closedAt.localeCompare(b.closedAt) ||
      a.number - b.number,
  );
  return { items, due, onTime };
}
