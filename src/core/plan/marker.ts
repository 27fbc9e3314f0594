/** Hidden markers in the bodies of the issues the app owns: the state that lives in GitHub. */
import { boundKey } from "../postmortem/identity.js";
import {
  actionMarkerSchema,
  incidentMarkerSchema,
  reviewMarkerSchema,
  trackingMarkerSchema,
  writeBackMarkerSchema,
} from "./marker-schema.js";
import type { TrackingView } from "./model.js";
import type { SubIssueRecord } from "./sub-issues.js";
import { packView, unpackView } from "./tracking-codec.js";

const PREFIX = "<!-- follow-through:";
/**
 * A signature may follow the JSON: the GitHub gateway checks it before the core sees a body
 * (src/github/marker-signature.ts), so here it is only skipped over.
 */
const MARKER =
  /<!-- follow-through:(action|tracking|review|reminder|incident|write-back) (\{.*?\})(?: [\w-]{22})? -->/s;

/** The values of an action issue's fields as the app last wrote them (for the three-way merge). */
export interface SyncedFields {
  title: string;
  /** Hash of the body the app rendered, without the marker. */
  body: string;
  assignees: string[];
  milestone: string | null;
  labels: string[];
  done: boolean;
}

export interface ActionMarker {
  /** The post-mortem's identity (front matter `id`, else its first path). */
  doc: string;
  path: string;
  /** The action's identity key (normalized text when first synced). */
  key: string;
  /** Position in the document when last synced (helps match a reworded action). */
  index: number;
  /** The due date the document gives (YYYY-MM-DD), for reviews and reminders. */
  due: string | null;
  tracking: number | null;
  synced: SyncedFields;
  /** The commit that removed the action from the document, once the app has acted on it. */
  removedIn?: string;
}

export interface TrackingMarker {
  doc: string;
  path: string;
  /** Everything the tracking issue shows, so an issue event can render it again without the document. */
  view: TrackingView;
  /** True once the app closed this tracking issue because every action was closed. */
  closedByApp?: boolean;
  /** Set when the app reopened it after a person closed it with open actions (done only once). */
  reopenedOnce?: boolean;
  /** Set while a person keeps open a tracking issue the app closed as finished. */
  heldOpen?: boolean;
  /** Set when the document was deleted from the default branch. */
  deleted?: boolean;
  /** The app's label names, so issue events (which do not load the config) can put them back. */
  labels?: { tracking: string; action: string };
  /** The git blob of the document when last synced: a resync skips documents that still match. */
  blob?: string;
  /**
   * The git blob of the content the write-back pull request proposes: it reads as the document
   * synced at `blob`, so a resync skips it too and merging it changes nothing here.
   */
  writeBack?: string;
  /** Which action issues are its sub-issues (so a redelivery asks GitHub nothing), or none exist. */
  subIssues?: SubIssueRecord;
}

/** JSON in an HTML comment: `--` would end the comment, so it is escaped (JSON reads it back). */
function encode(
  kind: "action" | "tracking" | "review" | "reminder" | "incident" | "write-back",
  data: object,
): string {
  return `${PREFIX}${kind} ${JSON.stringify(data).replace(/--/g, "-\\u002d").replace(/>/g, "\\u003e")} -->`;
}

export function actionMarker(marker: ActionMarker): string {
  return encode("action", marker);
}

export function trackingMarker(marker: TrackingMarker): string {
  return encode("tracking", { ...marker, view: packView(marker.view) });
}

function decode(body: string | null | undefined): { kind: string; data: unknown } | null {
  const match = body?.match(MARKER);
  if (!match?.[1] || !match[2]) return null;
  try {
    return { kind: match[1], data: JSON.parse(match[2]) };
  } catch {
    return null;
  }
}

export interface ReviewMarker {
  /** The month reviewed, YYYY-MM. */
  month: string;
  /** The last day (YYYY-MM-DD) the server's daily run finished in the repository. */
  ran: string | null;
  /** The config's reviewers when the app last assigned them (null on older issues). */
  reviewers: string[] | null;
}

/** The monthly review issue of `month` (YYYY-MM). */
export function reviewMarker(
  month: string,
  extra: { ran?: string | null; reviewers?: string[] | null } = {},
): string {
  return encode("review", {
    month,
    ...(extra.ran ? { ran: extra.ran } : {}),
    ...(extra.reviewers ? { reviewers: extra.reviewers } : {}),
  });
}

export function readReviewMonth(body: string | null | undefined): string | null {
  return readReviewMarker(body)?.month ?? null;
}

export function readReviewMarker(body: string | null | undefined): ReviewMarker | null {
  const found = decode(body);
  const parsed = found?.kind === "review" ? reviewMarkerSchema.safeParse(found.data) : null;
  return parsed?.success ? parsed.data : null;
}

/** The body with its review marker replaced (the rest of the text kept as it is). */
export function withReviewMarker(body: string, marker: string): string {
  return MARKER.test(body) ? body.replace(MARKER, () => marker) : `${body}\n\n${marker}`;
}

/** An overdue reminder comment, dated so a re-run the same day never repeats it. */
export function reminderMarker(date: string): string {
  return encode("reminder", { date });
}

/**
 * A comment on an incident issue: `due` (its post-mortem is due), `linked` (a post-mortem's tracking
 * issue), `complete` (that tracking issue's actions are all closed). Each is posted once.
 */
export interface IncidentMarker {
  event: "due" | "linked" | "complete";
  tracking?: number;
}

export function incidentMarker(marker: IncidentMarker): string {
  return encode("incident", marker);
}

export function readIncidentMarker(body: string | null | undefined): IncidentMarker | null {
  const found = decode(body);
  const parsed = found?.kind === "incident" ? incidentMarkerSchema.safeParse(found.data) : null;
  return parsed?.success ? parsed.data : null;
}

export function isReminder(body: string | null | undefined): boolean {
  return decode(body)?.kind === "reminder";
}

export function readActionMarker(body: string | null | undefined): ActionMarker | null {
  const found = decode(body);
  const parsed = found?.kind === "action" ? actionMarkerSchema.safeParse(found.data) : null;
  if (!parsed?.success) return null;
  // Issues opened before keys were bounded carry the whole text: compare on the bounded form.
  const { removedIn, ...marker } = parsed.data;
  return { ...marker, key: boundKey(marker.key), ...(removedIn ? { removedIn } : {}) };
}

export function readTrackingMarker(body: string | null | undefined): TrackingMarker | null {
  const found = decode(body);
  const parsed = found?.kind === "tracking" ? trackingMarkerSchema.safeParse(found.data) : null;
  if (!parsed?.success) return null;
  return { ...(parsed.data as Omit<TrackingMarker, "view">), view: unpackView(parsed.data.view) };
}

export function stripMarker(body: string): string {
  return body.replace(MARKER, "").trimEnd();
}

/** The write-back pull request of a post-mortem (`doc`), proposing the content with git blob `blob`. */
export interface WriteBackMarker {
  doc: string;
  blob: string;
  /** The commit the app put on its branch: another head means a person pushed to it. */
  commit?: string;
}

export function writeBackMarker(marker: WriteBackMarker): string {
  return encode("write-back", marker);
}

export function readWriteBackMarker(body: string | null | undefined): WriteBackMarker | null {
  const found = decode(body);
  const parsed = found?.kind === "write-back" ? writeBackMarkerSchema.safeParse(found.data) : null;
  return parsed?.success ? parsed.data : null;
}
