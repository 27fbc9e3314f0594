/**
 * Incident issues in the daily run and on merges: the post-mortem that is due, and the comments
 * that link an incident with the tracking issue of its post-mortem. Incidents are found with one
 * list call per run (closed, by label, recently updated); the documents are read only while some
 * incident still seems to have no post-mortem.
 */

import {
  dueIncidents,
  type IncidentConfig,
  type IncidentPostmortem,
  MAX_INCIDENT_REMINDERS_PER_RUN,
  reviewIncidents,
} from "../core/plan/incidents.js";
import { readIncidentMarker, readTrackingMarker } from "../core/plan/marker.js";
import type { IssueState, TrackingView } from "../core/plan/model.js";
import { postmortemMatcher } from "../core/plan/paths.js";
import { parsePostmortem } from "../core/postmortem/parse.js";
import {
  renderIncidentComplete,
  renderIncidentLinked,
  renderPostmortemDue,
} from "../core/render/incidents.js";
import { type ReviewIncidents, shiftMonth } from "../core/render/review.js";
import { WriteBudgetExceeded } from "../github/client.js";
import type { RepoReads } from "./repo-reads.js";

/** Closed incident issues updated since `since` (people's issues only: the app's are never incidents). */
export async function listClosedIncidents(
  state: RepoReads,
  config: IncidentConfig,
  since: string,
): Promise<IssueState[]> {
  const issues = await state.gh.listIssuesWithLabel(config.label, "closed", since);
  return issues.filter((issue) => !state.owns(issue));
}

/**
 * The post-mortem of each incident, from the app's tracking issues (the oldest wins). Any issue a
 * synced document refers to counts: one labelled an incident after the sync has its post-mortem.
 */
export async function incidentPostmortems(
  state: RepoReads,
): Promise<Map<number, IncidentPostmortem>> {
  const found = new Map<number, IncidentPostmortem>();
  const tracking = [...(await state.trackingIssues())].sort((a, b) => a.number - b.number);
  for (const issue of tracking) {
    const marker = readTrackingMarker(issue.body);
    if (!marker || marker.view.deletedIn) continue;
    for (const number of [...(marker.view.incidents ?? []), ...(marker.view.references ?? [])]) {
      if (!found.has(number))
        found.set(number, {
          tracking: issue.number,
          title: marker.view.title,
          mergedAt: issue.createdAt,
        });
    }
  }
  return found;
}

/** The review's incident section: the incidents closed since the start of last month. */
export async function incidentReview(
  state: RepoReads,
  config: IncidentConfig,
  incidents: IssueState[],
  month: string,
  now: Date,
): Promise<ReviewIncidents> {
  // No incident, no read of the tracking issues.
  const postmortems = incidents.length > 0 ? await incidentPostmortems(state) : new Map();
  const from = `${shiftMonth(month, -1)}-01T00:00:00Z`;
  return { ...reviewIncidents(incidents, postmortems, { from, now, config }), label: config.label };
}

export interface IncidentReminderResult {
  /** Incidents the run commented on. */
  reminded: number[];
  /** Due incidents found to have a post-mortem in a document or an open pull request. */
  found: number[];
  /** Due incidents reminded on an earlier run (their comment is there). */
  already: number[];
  /** Due incidents left for the next runs (over the per-run limit). */
  deferred: number;
  outOfWrites: boolean;
}

export interface IncidentReminderInput {
  now: Date;
  /** Closed incidents, as listed once for the run. */
  incidents: IssueState[];
  defaultBranch: string;
}

/**
 * One comment on each closed incident whose post-mortem is due and that no document refers to,
 * on the default branch or in an open pull request. The comment's signed marker keeps it to one,
 * also when the incident is reopened and closed again.
 */
export async function runIncidentReminders(
  state: RepoReads,
  config: IncidentConfig,
  input: IncidentReminderInput,
): Promise<IncidentReminderResult> {
  const result: IncidentReminderResult = {
    reminded: [],
    found: [],
    already: [],
    deferred: 0,
    outOfWrites: false,
  };
  // Nothing due costs no read; then merged post-mortems (the tracking issues) rule most out.
  if (dueIncidents(input.incidents, new Set(), input.now, config).length === 0) return result;
  const merged = await incidentPostmortems(state);
  let due = dueIncidents(input.incidents, new Set(merged.keys()), input.now, config);
  if (due.length === 0) return result;

  // Documents without a tracking issue (no actions yet, or not synced) may still refer to one.
  const referenced = new Set<number>();
  const found = () => {
    const left = due.filter((incident) => !referenced.has(incident.number));
    for (const incident of due)
      if (referenced.has(incident.number)) result.found.push(incident.number);
    due = left;
  };
  const isPostmortem = postmortemMatcher(state.config);
  const synced = await syncedBlobs(state);
  for (const blob of await state.gh.listBlobs(input.defaultBranch)) {
    if (!isPostmortem(blob.path) || synced.has(blob.sha)) continue;
    await readReferences(state, blob.path, input.defaultBranch, referenced);
  }
  found();
  if (due.length > 0) {
    for (const pull of await state.gh.openPulls()) {
      for (const file of await state.gh.listPullFiles(pull.number)) {
        if (file.status === "removed" || !isPostmortem(file.path)) continue;
        await readReferences(state, file.path, pull.headSha, referenced);
      }
    }
    found();
  }

  try {
    for (const incident of due) {
      if (result.reminded.length >= MAX_INCIDENT_REMINDERS_PER_RUN) {
        result.deferred++;
        continue;
      }
      const comments = await state.gh.listCommentsSince(incident.number, incident.createdAt);
      if (comments.some((body) => readIncidentMarker(body)?.event === "due")) {
        result.already.push(incident.number);
        continue;
      }
      const people = incident.assignees.length > 0 ? incident.assignees : config.owners;
      await state.gh.comment(
        incident.number,
        renderPostmortemDue({
          number: incident.number,
          people,
          closedAt: incident.closedAt ?? "",
          dueHours: config.postmortem_due_hours,
          paths: state.config.paths,
        }),
      );
      result.reminded.push(incident.number);
    }
  } catch (error) {
    if (!(error instanceof WriteBudgetExceeded)) throw error;
    result.outOfWrites = true;
  }
  return result;
}

/** Blobs of documents the app synced as they are: their references are in the tracking issues. */
async function syncedBlobs(state: RepoReads): Promise<Set<string>> {
  const blobs = new Set<string>();
  for (const issue of await state.trackingIssues()) {
    const marker = readTrackingMarker(issue.body);
    // The write-back's content refers to the same incidents as the document synced.
    for (const blob of [marker?.blob, marker?.writeBack]) if (blob) blobs.add(blob);
  }
  return blobs;
}

async function readReferences(
  state: RepoReads,
  path: string,
  ref: string,
  into: Set<number>,
): Promise<void> {
  const content = await state.gh.readFile(path, ref);
  if (content === null) return;
  const pm = parsePostmortem(content, { path, rootCauseAction: false });
  for (const number of pm.incidents ?? []) into.add(number);
}

/**
 * After a post-mortem's tracking issue is written: each incident it newly links gets one comment
 * pointing to it, and once the tracking issue closes as completed, one saying the follow-through
 * is complete. `before` is the tracking issue before the write (null when it was just opened).
 */
export async function commentOnIncidents(
  state: Pick<RepoReads, "gh">,
  before: { issue: IssueState; view: TrackingView } | null,
  after: IssueState,
  view: TrackingView,
): Promise<number[]> {
  const incidents = view.incidents ?? [];
  if (incidents.length === 0 || view.deletedIn) return [];
  const completed =
    after.state === "closed" &&
    after.stateReason === "completed" &&
    (before === null || before.issue.state === "open");
  const linkedBefore = new Set(before?.view.incidents ?? []);
  const commented: number[] = [];
  for (const number of incidents) {
    const link = !linkedBefore.has(number);
    if (!link && !completed) continue;
    const markers = (await state.gh.listCommentsSince(number, after.createdAt))
      .map(readIncidentMarker)
      .filter((m) => m?.tracking === after.number);
    const input = { tracking: after.number, title: view.title, docUrl: view.docUrl };
    if (link && !markers.some((m) => m?.event === "linked")) {
      await state.gh.comment(number, renderIncidentLinked(input));
      commented.push(number);
    }
    if (completed && !markers.some((m) => m?.event === "complete")) {
      await state.gh.comment(number, renderIncidentComplete(input));
      if (!commented.includes(number)) commented.push(number);
    }
  }
  return commented;
}
