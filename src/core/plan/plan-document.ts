/**
 * plan(snapshot) for one post-mortem: every operation that brings its issues to the right state,
 * decided without I/O. The PR check describes this plan; the push, a resync and the CLI apply it.
 */

import type { Config } from "../config.js";
import { configuredFindings } from "../postmortem/lint.js";
import type { Postmortem } from "../postmortem/model.js";
import { renderTrackingTitle } from "../render/tracking.js";
import { desiredActions, MAX_ASSIGNEES } from "./desired.js";
import { actionBodies, documentIssues, encodePath } from "./document-issues.js";
import { type IncidentRef, withReferences } from "./incidents.js";
import { readActionMarker, readTrackingMarker } from "./marker.js";
import type { DesiredAction, IssueState, MilestoneState, RepoRef } from "./model.js";
import { type NativeCatalog, type NativePlan, planNative, resolveNative } from "./native.js";
import { type ActionOp, hasLabel, type IssuePatch, planActions } from "./plan.js";
import { planSubIssues, type SubIssuePlan, type SubIssueRecord } from "./sub-issues.js";
import { buildView, composeTrackingBody, type GoneActions, goneActions } from "./tracking.js";
import { keyHashOf } from "./tracking-codec.js";
import { planTrackingWrite, type TrackingWrite } from "./tracking-write.js";

/** Everything a document's reconcile reads from GitHub, as plain data. */
export interface DocumentSnapshot {
  repo: RepoRef & { defaultBranch: string };
  config: Config;
  path: string;
  /** The path before a rename, or null. */
  previousPath: string | null;
  postmortem: Postmortem;
  /** The document as the parser alone reads it (`postmortem` has the incident notices added). */
  parsed?: Postmortem;
  /** The commit the document was read at; null for a pull request's preview. */
  commit: string | null;
  /** Its git blob there (recorded in the tracking issue for the resync); null in a preview. */
  blob: string | null;
  /** The app's own tracking and action issues that can concern this document, any state. */
  trackingIssues: IssueState[];
  actionIssues: IssueState[];
  /** Issues the tracking issue lists that GitHub no longer has (deleted). */
  deletedIssues: number[];
  /**
   * The app's issue this document's action issues point to as their tracking issue, when no
   * tracking issue has a marker for it any more (a person's edit broke or removed it).
   */
  pointedTracking: IssueState | null;
  /** The repository's label names; null when not read (every label needed is on an issue). */
  labels: string[] | null;
  /** The repository's milestones; null when not read (every one needed is on an issue). */
  milestones: MilestoneState[] | null;
  /** Whether each login the document names can be assigned issues here. */
  assignable: Record<string, boolean>;
  /** What the issues the document refers to as its incident are (none read: absent). */
  incidentRefs?: IncidentRef[];
  /** The owner's issue types and fields; null when the config asks for none (not read). */
  native?: NativeCatalog | null;
}

export interface LabelToCreate {
  name: string;
  color: string;
  description: string;
}

export type MilestoneChange =
  | { kind: "create"; title: string; dueOn: string | null }
  | { kind: "update"; number: number; title: string; dueOn: string };

export interface CloseOp {
  issue: IssueState;
  patch: IssuePatch;
  comment: string | null;
}

export interface DocumentPlan {
  path: string;
  doc: string;
  postmortem: Postmortem;
  desired: DesiredAction[];
  labels: LabelToCreate[];
  milestones: MilestoneChange[];
  /** Extra tracking issues of the same post-mortem (a past race): closed, the oldest is kept. */
  duplicates: CloseOp[];
  /**
   * `create`: the tracking issue is opened first, so people see progress. The action operations
   * depend on its number: apply re-plans them with the issue it created added to the snapshot.
   */
  tracking:
    | { kind: "create"; title: string; body: string; labels: string[]; assignees: string[] }
    | { kind: "existing"; issue: IssueState };
  actions: ActionOp[];
  /** Actions whose issue a person deleted or transferred: listed, never opened again. */
  gone: GoneActions;
  /** Links between the tracking issue and its action issues; null when off or unavailable. */
  subIssues: SubIssuePlan | null;
  /** Issue types and organization fields; null when the config asks for none. */
  native: NativePlan | null;
  docUrl: string;
  /** The issues the document refers to as its incident, as GitHub has them. */
  incidents: IncidentRef[];
}

const LABEL_STYLE: Record<
  "tracking" | "action" | "review" | "other",
  Omit<LabelToCreate, "name">
> = {
  tracking: { color: "5319e7", description: "Tracks the follow-up actions of a post-mortem" },
  action: { color: "d93f0b", description: "A follow-up action from a post-mortem" },
  review: { color: "0e8a16", description: "Monthly review of open post-mortem actions" },
  other: { color: "c5def5", description: "Set from a post-mortem action" },
};

export function planDocument(snapshot: DocumentSnapshot, today: string): DocumentPlan {
  const { config, repo } = snapshot;
  const pm = {
    ...snapshot.postmortem,
    findings: configuredFindings(snapshot.postmortem.findings, config),
  };
  const desired = desiredActions({
    pm,
    config,
    repo,
    assignable: (login) => snapshot.assignable[login] ?? false,
  });
  const found = documentIssues({
    pm,
    path: snapshot.path,
    previousPath: snapshot.previousPath,
    trackingIssues: snapshot.trackingIssues,
    actionIssues: snapshot.actionIssues,
  });
  const { doc } = found;
  const trackings = found.trackings.length > 0 ? found.trackings : [];
  if (trackings.length === 0 && snapshot.pointedTracking) trackings.push(snapshot.pointedTracking);
  const [tracking, ...extra] = trackings;
  const duplicates: CloseOp[] = extra
    .filter((issue) => issue.state === "open" && tracking)
    .map((issue) => ({
      issue,
      patch: { state: "closed", state_reason: "duplicate" },
      comment: `Duplicate of #${tracking?.number}.`,
    }));

  const docUrl = `${repo.htmlUrl}/blob/${encodeURIComponent(repo.defaultBranch)}/${encodePath(snapshot.path)}`;
  const previous = readTrackingMarker(tracking?.body)?.view;
  const gone = goneActions(previous);
  for (const action of previous?.actions ?? []) {
    const number = action.issue?.number;
    if (number !== undefined && snapshot.deletedIssues.includes(number))
      gone.set(keyHashOf(action), { gone: "deleted", link: null });
  }
  const bodies = actionBodies({
    htmlUrl: repo.htmlUrl,
    path: snapshot.path,
    commit: snapshot.commit,
    docTitle: pm.title,
  });
  const listed = new Map(
    (previous?.actions ?? []).flatMap((a) => (a.issue ? [[a.issue.number, keyHashOf(a)]] : [])),
  );
  const rebuilt = snapshot.actionIssues
    .filter((issue) => listed.has(issue.number) && !readActionMarker(issue.body))
    .map((issue) => ({ issue, keyHash: listed.get(issue.number) as string }));
  const actions = planActions({
    desired,
    owned: found.owned,
    rebuilt,
    gone: new Set(gone.keys()),
    actionLabel: config.labels.action,
    doc,
    path: snapshot.path,
    trackingNumber: tracking?.number ?? null,
    render: bodies.render,
    canonical: bodies.canonical,
    removedActions: config.removed_actions,
    commitLink: snapshot.commit ? `${repo.htmlUrl}/commit/${snapshot.commit}` : "this pull request",
  });

  // As the plan reads them: an action linking its own issue stands as the issue says (ownLinked).
  const planned = new Map(
    actions.flatMap((op) => ("desired" in op ? [[op.desired.index, op.desired]] : [])),
  );
  return {
    path: snapshot.path,
    doc,
    postmortem: pm,
    desired: desired.map((d) => planned.get(d.index) ?? d),
    labels: labelsToCreate(snapshot, desired),
    milestones: milestoneChanges(snapshot, actions),
    duplicates,
    tracking: tracking
      ? { kind: "existing", issue: tracking }
      : newTracking(snapshot, pm, desired, doc, docUrl, today),
    actions,
    gone,
    native: snapshot.native
      ? planNative(
          resolveNative(config, snapshot.native),
          tracking ?? null,
          actions.flatMap((op) =>
            op.kind === "create" || op.kind === "update" || op.kind === "unchanged"
              ? [
                  {
                    index: op.desired.index,
                    action: op.desired.action,
                    issue: op.kind === "create" ? null : op.issue,
                  },
                ]
              : [],
          ),
        )
      : null,
    subIssues: planSubIssues({
      enabled: config.tracking.sub_issues,
      tracking: tracking?.number ?? null,
      record: readTrackingMarker(tracking?.body)?.subIssues,
      actions,
    }),
    docUrl,
    incidents: snapshot.incidentRefs ?? [],
  };
}

function newTracking(
  snapshot: DocumentSnapshot,
  pm: Postmortem,
  desired: DesiredAction[],
  doc: string,
  docUrl: string,
  today: string,
): DocumentPlan["tracking"] {
  const { config } = snapshot;
  const view = withReferences(buildView(pm, desired, new Map(), docUrl), snapshot.incidentRefs);
  const ids = {
    doc,
    path: snapshot.path,
    labels: { tracking: config.labels.tracking, action: config.labels.action },
  };
  return {
    kind: "create",
    title: renderTrackingTitle(config.tracking.title, view),
    // No flags yet: the write after the actions decides the state, like every later one.
    body: composeTrackingBody(view, ids, today, ""),
    labels: [config.labels.tracking],
    assignees: pm.authorLogins
      .filter((login) => snapshot.assignable[login])
      .slice(0, MAX_ASSIGNEES),
  };
}

function labelsToCreate(snapshot: DocumentSnapshot, desired: DesiredAction[]): LabelToCreate[] {
  const { tracking, action, review } = snapshot.config.labels;
  const known = snapshot.labels ?? knownLabels(snapshot);
  const wanted: LabelToCreate[] = [];
  for (const name of [tracking, action, ...desired.flatMap((d) => d.labels)]) {
    if (
      hasLabel(known, name) ||
      hasLabel(
        wanted.map((l) => l.name),
        name,
      )
    )
      continue;
    const kind =
      name === tracking
        ? "tracking"
        : name === action
          ? "action"
          : name === review
            ? "review"
            : "other";
    wanted.push({ name, ...LABEL_STYLE[kind] });
  }
  return wanted;
}

/** Labels GitHub has for sure: the ones on the app's issues. */
export function knownLabels(snapshot: Pick<DocumentSnapshot, "trackingIssues" | "actionIssues">) {
  return [...snapshot.trackingIssues, ...snapshot.actionIssues].flatMap((issue) => issue.labels);
}

/** Milestones the operations need: created when missing, their due date moved when it differs. */
function milestoneChanges(snapshot: DocumentSnapshot, ops: ActionOp[]): MilestoneChange[] {
  const known = snapshot.milestones ?? knownMilestones(snapshot);
  const changes: MilestoneChange[] = [];
  const seen = new Set<string>();
  for (const op of ops) {
    if (op.kind !== "create" && op.kind !== "update") continue;
    const title = op.kind === "create" ? op.milestone : op.patch.milestone;
    if (!title || seen.has(title)) continue;
    seen.add(title);
    const dueOn = op.desired.milestone?.dueOn ?? null;
    const found = known.find((m) => m.title === title);
    if (!found) changes.push({ kind: "create", title, dueOn });
    else if (dueOn && found.dueDate !== dueOn)
      changes.push({ kind: "update", number: found.number, title, dueOn });
  }
  return changes;
}

/** Milestones GitHub has for sure: the ones the app's issues are in. */
export function knownMilestones(
  snapshot: Pick<DocumentSnapshot, "trackingIssues" | "actionIssues">,
): MilestoneState[] {
  const found = new Map<string, MilestoneState>();
  for (const issue of [...snapshot.trackingIssues, ...snapshot.actionIssues]) {
    const m = issue.milestone;
    if (m && !found.has(m.title))
      found.set(m.title, {
        number: m.number,
        title: m.title,
        state: "open",
        dueDate: m.dueDate ?? null,
      });
  }
  return [...found.values()];
}

/**
 * The tracking issue's write once the actions are applied: the view is built from the action
 * issues as GitHub answered (`issues`, by action index).
 */
export function planFinalTracking(
  plan: DocumentPlan,
  snapshot: Pick<DocumentSnapshot, "config" | "path" | "blob">,
  tracking: IssueState,
  issues: Map<number, IssueState>,
  today: string,
  subIssues?: SubIssueRecord,
  writeBack?: string,
): TrackingWrite | null {
  const { config } = snapshot;
  const view = withReferences(
    buildView(plan.postmortem, plan.desired, issues, plan.docUrl, plan.gone),
    plan.incidents,
  );
  return planTrackingWrite(
    tracking,
    view,
    {
      doc: plan.doc,
      path: snapshot.path,
      labels: { tracking: config.labels.tracking, action: config.labels.action },
      ...(snapshot.blob ? { blob: snapshot.blob } : {}),
      ...(subIssues ? { subIssues } : {}),
      ...(writeBack ? { writeBack } : {}),
    },
    { today, titleFormat: config.tracking.title, label: config.labels.tracking },
  );
}

/** Issues the ops leave as they are, by action index (the rest come from apply's answers). */
export function unchangedIssues(ops: ActionOp[]): Map<number, IssueState> {
  const issues = new Map<number, IssueState>();
  for (const op of ops) if (op.kind === "unchanged") issues.set(op.desired.index, op.issue);
  return issues;
}
