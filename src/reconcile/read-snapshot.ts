/**
 * readSnapshot: every read a document's reconcile needs, and nothing that writes. Reads that
 * cannot change the plan are skipped: logins already assigned on the app's issues need no
 * assignability check, labels and milestones already on them need no list.
 */

import { parseBounded } from "../bounded/parse.js";
import { actionLabels } from "../core/plan/desired.js";
import { documentIssues } from "../core/plan/document-issues.js";
import {
  classifyRef,
  type IncidentRef,
  incidentNumbers,
  referenceNotices,
} from "../core/plan/incidents.js";
import { readActionMarker, readTrackingMarker } from "../core/plan/marker.js";
import { milestoneFor } from "../core/plan/milestones.js";
import type { RepoRef } from "../core/plan/model.js";
import { hasLabel } from "../core/plan/plan.js";
import { type DocumentSnapshot, knownLabels, knownMilestones } from "../core/plan/plan-document.js";
import type { Postmortem } from "../core/postmortem/model.js";
import type { RepoReads } from "./repo-reads.js";

export interface DocumentSource {
  repo: RepoRef & { defaultBranch: string };
  path: string;
  previousPath: string | null;
  content: string;
  /** The commit the content was read at; null for a pull request's preview. */
  commit: string | null;
  /** The content's git blob; null for a pull request's preview. */
  blob: string | null;
  /** The incident date of last resort (YYYY-MM-DD), and what it is, for the finding. */
  fallbackDate: string | null;
  fallbackDateOf?: string;
}

/**
 * The document as the app reads it, with the repository's people and rules: parsed off the main
 * thread within a time budget, so no document can hold up the app.
 */
export function readPostmortem(reads: RepoReads, source: DocumentSource): Promise<Postmortem> {
  const { config } = reads;
  return parseBounded(source.content, {
    path: source.path,
    people: config.people,
    rootCauseAction: config.root_cause_action,
    fallbackDate: source.fallbackDate,
    ...(source.fallbackDateOf ? { fallbackDateOf: source.fallbackDateOf } : {}),
  });
}

export async function readSnapshot(
  reads: RepoReads,
  source: DocumentSource,
  postmortem?: Postmortem,
): Promise<DocumentSnapshot> {
  const { config } = reads;
  const read = postmortem ?? (await readPostmortem(reads, source));
  const incidentRefs = await readIncidentRefs(reads, read, source.repo.htmlUrl);
  // Only incident issues are linked; any other reference is a notice in the check.
  const pm: Postmortem = {
    ...read,
    incidents: incidentNumbers(incidentRefs),
    findings: config.incidents
      ? [...read.findings, ...referenceNotices(incidentRefs, config.incidents.label)]
      : read.findings,
  };
  const trackingIssues = [...(await reads.trackingIssues())];
  const actionIssues = [...(await reads.actionIssues())];
  const deletedIssues: number[] = [];
  const belongs = () =>
    documentIssues({
      pm,
      path: source.path,
      previousPath: source.previousPath,
      trackingIssues,
      actionIssues,
    });

  let found = belongs();
  let pointedTracking: DocumentSnapshot["pointedTracking"] = null;
  if (found.trackings.length === 0) {
    // A tracking issue a person took the label off, or whose marker a person's edit broke, is
    // still found through its actions' markers.
    const pointed = found.owned
      .map((issue) => readActionMarker(issue.body)?.tracking)
      .filter((n): n is number => typeof n === "number")
      .sort((a, b) => a - b)[0];
    if (pointed !== undefined) {
      const listed = trackingIssues.find((issue) => issue.number === pointed);
      const issue = listed ?? (await reads.ownedIssue(pointed));
      const marker = issue && issue !== "foreign" ? readTrackingMarker(issue.body) : undefined;
      if (issue && issue !== "foreign") {
        if (marker?.doc === found.doc && !listed) trackingIssues.push(issue);
        else if (!marker) pointedTracking = issue;
      }
      found = belongs();
    }
  }
  // The action issues the tracking issue lists that the label list missed: a person took the
  // label off (still this document's), or deleted the issue (never opened again).
  const tracking = found.trackings[0] ?? pointedTracking;
  const known = new Set(actionIssues.map((issue) => issue.number));
  for (const action of readTrackingMarker(tracking?.body)?.view.actions ?? []) {
    const number = action.issue?.number;
    if (number === undefined || action.gone || known.has(number)) continue;
    const issue = await reads.ownedIssue(number);
    if (issue === null) deletedIssues.push(number);
    else if (issue !== "foreign" && readActionMarker(issue.body)?.doc === found.doc)
      actionIssues.push(issue);
  }
  found = belongs();

  const ownedHere = [...found.trackings, ...found.owned];
  const assigned = new Set(ownedHere.flatMap((issue) => issue.assignees.map(lower)));
  const assignable: Record<string, boolean> = {};
  // One at a time: reads are never fanned out in parallel.
  for (const login of new Set([...pm.actions.flatMap((a) => a.assignees), ...pm.authorLogins])) {
    assignable[login] = assigned.has(lower(login)) || (await reads.canAssign(login));
  }

  const everything = { trackingIssues, actionIssues };
  const labelNames = [
    config.labels.tracking,
    config.labels.action,
    ...pm.actions.flatMap((action) => actionLabels(action, config)),
  ];
  const onIssues = knownLabels(everything);
  const labels = labelNames.every((name) => hasLabel(onIssues, name)) ? null : await reads.labels();

  const milestoneTitles = pm.actions
    .map((action) => milestoneFor(action.due, config.milestones))
    .filter((m) => m !== null);
  const dated = knownMilestones(everything);
  const milestones = milestoneTitles.every((m) =>
    dated.some((known) => known.title === m.title && known.dueDate === m.dueOn),
  )
    ? null
    : await reads.milestones();

  return {
    repo: source.repo,
    config,
    path: source.path,
    previousPath: source.previousPath,
    postmortem: pm,
    parsed: read,
    commit: source.commit,
    blob: source.blob,
    trackingIssues,
    actionIssues,
    deletedIssues,
    pointedTracking,
    labels,
    milestones,
    assignable,
    incidentRefs,
    native: await reads.nativeCatalog(),
  };
}

/** Most references of one document that are looked up (one read each). */
const MAX_INCIDENT_REFS = 10;

/** Each issue the document refers to as its incident, read once (none when incidents are off). */
async function readIncidentRefs(
  reads: RepoReads,
  pm: Postmortem,
  htmlUrl: string,
): Promise<IncidentRef[]> {
  const incidents = reads.config.incidents;
  if (!incidents) return [];
  const refs: IncidentRef[] = [];
  for (const number of (pm.incidents ?? []).slice(0, MAX_INCIDENT_REFS)) {
    const issue = await reads.gh.getIssue(number);
    refs.push(
      classifyRef(number, issue, {
        label: incidents.label,
        ownedByApp: issue !== null && reads.owns(issue),
        htmlUrl,
      }),
    );
  }
  return refs;
}

const lower = (login: string) => login.toLowerCase();
