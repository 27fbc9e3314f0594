/**
 * The pure diff between what a document wants and the issues that exist: create, update (three-way
 * per field), close removed or duplicate ones, or leave alone.
 */
import type { Config } from "../config.js";
import { hashText } from "../postmortem/identity.js";
import { fitBody } from "../render/text.js";
import { matchActions } from "./identity.js";
import {
  type ActionMarker,
  actionMarker,
  readActionMarker,
  type SyncedFields,
  stripMarker,
} from "./marker.js";
import type { DesiredAction, IssueState } from "./model.js";

/** A change to an issue. `milestone` is a title here; the apply step finds or creates its number. */
export interface IssuePatch {
  title?: string;
  body?: string;
  assignees?: string[];
  milestone?: string | null;
  labels?: string[];
  state?: "open" | "closed";
  state_reason?: "completed" | "not_planned" | "duplicate" | "reopened";
}

export type ActionOp =
  | {
      kind: "create";
      desired: DesiredAction;
      title: string;
      /** Rendered with the tracking issue number the apply step passes in. */
      body: string;
      assignees: string[];
      milestone: string | null;
      labels: string[];
    }
  | {
      kind: "update";
      desired: DesiredAction;
      issue: IssueState;
      patch: IssuePatch;
      comment: string | null;
    }
  | { kind: "unchanged"; desired: DesiredAction; issue: IssueState }
  /** Done or linked in the document: no issue of its own. */
  | { kind: "tracked"; desired: DesiredAction }
  | { kind: "remove"; issue: IssueState; patch: IssuePatch; comment: string | null }
  | { kind: "duplicate"; issue: IssueState; of: number; patch: IssuePatch; comment: string }
  /** An owned issue whose action left the document earlier, or that is already handled. */
  | { kind: "ignore"; issue: IssueState };

export interface PlanInput {
  desired: DesiredAction[];
  /** The app's action issues of this document (any state). */
  owned: IssueState[];
  doc: string;
  path: string;
  trackingNumber: number | null;
  /** The issue body for an action, without its marker. */
  render: (desired: DesiredAction, trackingNumber: number | null) => string;
  /** The body as compared between runs: parts that change with every commit (permalinks) made constant. */
  canonical?: (body: string) => string;
  removedActions: Config["removed_actions"];
  /** Markdown link to the commit being synced, for comments. */
  commitLink: string;
  /**
   * Key hashes of actions whose issue a person deleted or transferred away: no new issue while
   * the action keeps its identity in the document (rewording it gives it a new one).
   */
  gone?: Set<string>;
  /** The app's action label: always put back on the issues it owns, or the next list misses them. */
  actionLabel?: string;
  /**
   * The app's action issues whose marker is gone (a person's edit broke or removed it), known by
   * the key hash the tracking issue lists them under: their marker is written again from the
   * document, so nothing the lost marker claimed is acted on and what people changed stays.
   */
  rebuilt?: { issue: IssueState; keyHash: string }[];
}

export function planActions(input: PlanInput): ActionOp[] {
  const ops: ActionOp[] = [];
  const { keep, duplicates } = splitDuplicates(input.owned);
  for (const { issue, of } of duplicates) {
    const comment = `Duplicate of #${of}: Follow-Through keeps one issue per action.`;
    ops.push({
      kind: "duplicate",
      issue,
      of,
      patch: { state: "closed", state_reason: "duplicate" },
      comment,
    });
  }
  const owned = [
    ...keep.map((issue) => ({ issue, marker: readActionMarker(issue.body) as ActionMarker })),
    ...rebuiltMarkers(input),
  ];
  const matches = matchActions(
    input.desired.map((d) => ({
      key: d.key,
      text: d.title,
      index: d.index,
      linkedNumber: d.linkedNumber,
    })),
    owned.map(({ issue, marker }) => ({
      number: issue.number,
      key: marker.key,
      text: marker.synced.title,
      index: marker.index,
    })),
  );
  const byNumber = new Map(owned.map((o) => [o.issue.number, o]));
  const matchedNumbers = new Set(matches.values());

  for (const desired of input.desired) {
    const number = matches.get(desired.index);
    const found = number === undefined ? undefined : byNumber.get(number);
    ops.push(
      found
        ? planUpdate(ownLinked(desired, found), found.issue, found.marker, input)
        : planNew(desired, input),
    );
  }
  for (const { issue, marker } of owned) {
    if (!matchedNumbers.has(issue.number)) ops.push(planRemoval(issue, marker, input));
  }
  return ops;
}

/**
 * An action whose document entry links its own issue (written there by hand or by the write-back
 * pull request): the issue is the record of its state. The link and a done mark in the document
 * then change nothing — the action reads as when the app last synced it — so merging the
 * write-back pull request makes no write, and a person who reopens the issue is not overruled.
 */
export function ownLinked(
  desired: DesiredAction,
  found: { issue: IssueState; marker: ActionMarker },
): DesiredAction {
  if (desired.linkedNumber !== found.issue.number) return desired;
  const done = found.marker.synced.done;
  return { ...desired, action: { ...desired.action, link: null, done }, needsIssue: !done };
}

function rebuiltMarkers(input: PlanInput): { issue: IssueState; marker: ActionMarker }[] {
  return (input.rebuilt ?? []).flatMap(({ issue, keyHash }) => {
    const desired = input.desired.find((d) => hashText(d.key) === keyHash);
    if (!desired) return [];
    const visible = input.render(desired, input.trackingNumber);
    // As if the app had just written what the document says.
    const synced = syncedFor(desired, canonical(input, visible));
    return [{ issue, marker: markerFor(desired, input, synced) }];
  });
}

/** Issues of the same action: the oldest is kept, the rest are duplicates of it. */
function splitDuplicates(issues: IssueState[]): {
  keep: IssueState[];
  duplicates: { issue: IssueState; of: number }[];
} {
  const oldest = new Map<string, IssueState>();
  const keep: IssueState[] = [];
  const duplicates: { issue: IssueState; of: number }[] = [];
  for (const issue of [...issues].sort((a, b) => a.number - b.number)) {
    const marker = readActionMarker(issue.body);
    if (!marker) continue;
    const first = oldest.get(marker.key);
    if (!first) {
      oldest.set(marker.key, issue);
      keep.push(issue);
    } else if (issue.state === "open" || issue.stateReason !== "duplicate") {
      duplicates.push({ issue, of: first.number });
    }
  }
  return { keep, duplicates: duplicates.filter(({ issue }) => issue.state === "open") };
}

function planNew(desired: DesiredAction, input: PlanInput): ActionOp {
  if (!desired.needsIssue || input.gone?.has(hashText(desired.key)))
    return { kind: "tracked", desired };
  const visible = input.render(desired, input.trackingNumber);
  const synced = syncedFor(desired, canonical(input, visible));
  return {
    kind: "create",
    desired,
    title: desired.title,
    body: withMarker(visible, markerFor(desired, input, synced)),
    assignees: desired.assignees,
    milestone: desired.milestone?.title ?? null,
    labels: desired.labels,
  };
}

function syncedFor(desired: DesiredAction, visibleBody: string): SyncedFields {
  return {
    title: desired.title,
    body: hashText(visibleBody),
    assignees: sorted(desired.assignees),
    milestone: desired.milestone?.title ?? null,
    labels: sorted(desired.labels),
    done: desired.action.done,
  };
}

function markerFor(desired: DesiredAction, input: PlanInput, synced: SyncedFields): ActionMarker {
  return {
    doc: input.doc,
    path: input.path,
    key: desired.key,
    index: desired.index,
    due: desired.action.due,
    tracking: input.trackingNumber,
    synced,
  };
}

function withMarker(visible: string, marker: ActionMarker): string {
  return fitBody(visible, actionMarker(marker));
}

/** Three-way merge per field: the document's change wins; a person's change with the document unchanged stays. */
function planUpdate(
  desired: DesiredAction,
  issue: IssueState,
  marker: ActionMarker,
  input: PlanInput,
): ActionOp {
  const was = marker.synced;
  const rendered = input.render(desired, input.trackingNumber);
  const next = syncedFor(desired, canonical(input, rendered));
  const patch: IssuePatch = {};
  let comment: string | null = null;

  if (next.title !== was.title && issue.title !== next.title) patch.title = next.title;
  if (!sameSet(next.assignees, was.assignees) && !sameSet(issue.assignees, next.assignees)) {
    patch.assignees = next.assignees;
  }
  if (next.milestone !== was.milestone && (issue.milestone?.title ?? null) !== next.milestone) {
    patch.milestone = next.milestone;
  }
  if (!sameSet(next.labels, was.labels)) {
    const labels = sorted([
      ...issue.labels.filter((label) => !was.labels.includes(label)),
      ...next.labels,
    ]);
    if (!sameSet(labels, issue.labels)) patch.labels = labels;
  }
  const label = input.actionLabel;
  const labels = patch.labels ?? issue.labels;
  if (label && !hasLabel(labels, label)) patch.labels = sorted([...labels, label]);
  if (
    marker.removedIn &&
    desired.needsIssue &&
    issue.state === "closed" &&
    issue.stateReason === "not_planned"
  ) {
    // Removed (and closed as not planned by the app), now back in the document.
    patch.state = "open";
    patch.state_reason = "reopened";
    comment = `This action is back in the post-mortem (${input.commitLink}), so this issue is reopened.`;
  } else if (next.done && !was.done && issue.state === "open") {
    patch.state = "closed";
    patch.state_reason = "completed";
    comment = `Marked done in the post-mortem (${input.commitLink}), so this issue is closed.`;
  } else if (
    !next.done &&
    was.done &&
    issue.state === "closed" &&
    issue.stateReason === "completed"
  ) {
    patch.state = "open";
    patch.state_reason = "reopened";
    comment = `The post-mortem no longer marks this action done (${input.commitLink}), so this issue is reopened.`;
  }
  // A body a person edited stays, unless the document changed what the app writes there.
  const visible = next.body !== was.body ? rendered : stripMarker(issue.body);
  const body = withMarker(visible, markerFor(desired, input, next));
  if (body !== issue.body) patch.body = body;

  if (Object.keys(patch).length === 0) return { kind: "unchanged", desired, issue };
  return { kind: "update", desired, issue, patch, comment };
}

function planRemoval(issue: IssueState, marker: ActionMarker, input: PlanInput): ActionOp {
  if (marker.removedIn || input.removedActions === "keep") return { kind: "ignore", issue };
  if (issue.state === "closed") return { kind: "ignore", issue };
  const body = withMarker(stripMarker(issue.body), { ...marker, removedIn: input.commitLink });
  const text = `This action was removed from the post-mortem in ${input.commitLink}.`;
  if (input.removedActions === "comment") {
    return {
      kind: "remove",
      issue,
      patch: { body },
      comment: `${text} Close this issue if it is no longer needed.`,
    };
  }
  return {
    kind: "remove",
    issue,
    patch: { body, state: "closed", state_reason: "not_planned" },
    comment: `${text} Closing it as not planned.`,
  };
}

function canonical(input: PlanInput, body: string): string {
  return input.canonical ? input.canonical(body) : body;
}

function sorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/** Label names are matched the way GitHub matches them: ignoring case. */
export function hasLabel(labels: string[], label: string): boolean {
  return labels.some((name) => name.toLowerCase() === label.toLowerCase());
}

export function sameSet(a: string[], b: string[]): boolean {
  const left = sorted(a.map((v) => v.toLowerCase()));
  const right = sorted(b.map((v) => v.toLowerCase()));
  return left.length === right.length && left.every((v, i) => v === right[i]);
}
