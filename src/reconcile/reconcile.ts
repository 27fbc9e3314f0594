/**
 * reconcile = readSnapshot → plan → apply: brings one post-mortem's issues to the right state from
 * whatever state GitHub is in. Every path that changes issues for a document goes through here.
 */
import { readTrackingMarker } from "../core/plan/marker.js";
import { planDeletion } from "../core/plan/plan-deletion.js";
import { planDocument } from "../core/plan/plan-document.js";
import { applyDeletionPlan, applyDocumentPlan, type DocumentResult } from "./apply.js";
import { commentOnIncidents } from "./incidents.js";
import { type DocumentSource, readSnapshot } from "./read-snapshot.js";
import type { RepoReads } from "./repo-reads.js";
import { closeWriteBackOf } from "./write-back.js";

export async function reconcileDocument(
  reads: RepoReads,
  source: DocumentSource,
  today: string,
): Promise<DocumentResult> {
  const snapshot = await readSnapshot(reads, source);
  const plan = planDocument(snapshot, today);
  const result = await applyDocumentPlan(reads, snapshot, plan, today, source);
  if (plan.postmortem.incidents?.length) {
    const prior = plan.tracking.kind === "existing" ? plan.tracking.issue : null;
    const priorView = readTrackingMarker(prior?.body)?.view;
    const after = (await reads.trackingIssues()).find((i) => i.number === result.tracking);
    const view = readTrackingMarker(after?.body)?.view;
    if (after && view)
      await commentOnIncidents(
        reads,
        prior && priorView ? { issue: prior, view: priorView } : null,
        after,
        view,
      );
  }
  return result;
}

/**
 * The post-mortem at `path` as it is at `head`: null when the file is not there (the caller
 * decides whether that is a deletion to act on).
 */
export async function reconcilePath(
  reads: RepoReads,
  input: Omit<DocumentSource, "content" | "blob" | "commit"> & { head: string },
  today: string,
): Promise<DocumentResult | null> {
  const read = await reads.gh.readDocument(input.path, input.head);
  if (read === null) return null;
  const { head, ...rest } = input;
  return reconcileDocument(
    reads,
    { ...rest, content: read.content, blob: read.sha, commit: head },
    today,
  );
}

/** The post-mortem at `path` is gone from the default branch (deleted, or moved out: `movedTo`). */
export async function reconcileDeletion(
  reads: RepoReads,
  input: { path: string; movedTo?: string; commitLink: string },
  today: string,
): Promise<number | null> {
  const snapshot = {
    ...input,
    config: reads.config,
    trackingIssues: await reads.trackingIssues(),
    actionIssues: await reads.actionIssues(),
  };
  const plan = planDeletion(snapshot);
  const tracking = await applyDeletionPlan(reads, snapshot, plan, today);
  const marker = plan.tracking?.marker;
  if (marker?.writeBack)
    await closeWriteBackOf(
      reads,
      marker.doc,
      `The post-mortem left the default branch in ${input.commitLink}, so Follow-Through closes this pull request: merging it would bring the document back.`,
    );
  return tracking;
}
