/** The plain data the sync works on: issues as the app sees them, and what a document wants. */
import type { Action, Finding } from "../postmortem/model.js";

/** The fields of a GitHub issue the app reads. */
export interface IssueState {
  /** GitHub's numeric id (sub-issues are added by id, not number). */
  id: number;
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  stateReason: string | null;
  assignees: string[];
  /** `dueDate`: the Pacific calendar date GitHub shows for the milestone's `due_on`, when read. */
  milestone: { number: number; title: string; dueDate?: string | null } | null;
  labels: string[];
  createdAt: string;
  closedAt: string | null;
  /** Who opened it (null when GitHub does not say): the app owns only what it opened. */
  author: string | null;
  /**
   * Its parent issue: a number in this repository, `elsewhere` (another repository's issue), null
   * for none; absent when GitHub does not say (servers without `parent_issue_url`).
   */
  parent?: number | "elsewhere" | null;
  /** Its issue type's name, null for none; absent when GitHub does not say. */
  type?: string | null;
  /** Organization issue field values by field id (a single select by its option's name). */
  fields?: Record<string, string | number | null>;
}

/** An organization issue field (its options: for single selects). */
export interface IssueFieldDef {
  id: number;
  name: string;
  dataType: string;
  options: string[];
}

export interface MilestoneState {
  number: number;
  title: string;
  state: "open" | "closed";
  /** The Pacific calendar date GitHub shows, `YYYY-MM-DD`, or null. */
  dueDate: string | null;
}

/** Where a document lives, for links. */
export interface RepoRef {
  owner: string;
  repo: string;
  /** `https://github.com/owner/repo` (or the Enterprise host's). */
  htmlUrl: string;
}

/** One action as the document wants its issue to be. */
export interface DesiredAction {
  key: string;
  index: number;
  action: Action;
  title: string;
  /** Resolved logins that can be assigned in the repository. */
  assignees: string[];
  /** Resolved logins that cannot be assigned here. */
  unassignable: string[];
  milestone: { title: string; dueOn: string } | null;
  labels: string[];
  /** An issue number in this repository the document links (matched before anything else). */
  linkedNumber: number | null;
  /** True when the action gets an issue of its own (not done, not linking another issue or PR). */
  needsIssue: boolean;
}

/** What the tracking issue shows: everything needed to render it again from its own marker. */
export interface TrackingView {
  title: string;
  path: string;
  docUrl: string;
  date: string | null;
  summary: string | null;
  rootCause: string | null;
  rootCauseState: "present" | "missing" | "tbd";
  authors: string[];
  findings: Pick<Finding, "level" | "message" | "line">[];
  actions: TrackedAction[];
  /** Set when the document was deleted from the default branch. */
  deletedIn?: string;
  /** The incident issues the document refers to (checked to carry the incident label). */
  incidents?: number[];
  /** Other issues it refers to (not incidents when synced), so one labelled later still counts. */
  references?: number[];
  /** Where the document went when it was moved out of the post-mortem paths (with `deletedIn`). */
  movedTo?: string;
  /** Actions left out of the stored view because the issue body has no more room. */
  omitted?: number;
  /**
   * How the omitted actions stand (as of the last write), and how many of them have no issue of
   * their own (done or linked in the document: events cannot change those). The action issues'
   * own markers hold the rest: an event on an omitted action recounts from them.
   */
  omittedCounts?: StatusCounts;
  omittedWithoutIssue?: StatusCounts;
}

export interface StatusCounts {
  done: number;
  notPlanned: number;
  open: number;
}

export interface TrackedAction {
  key: string;
  text: string;
  owners: string[];
  due: string | null;
  /** Done in the document. */
  done: boolean;
  /** A link the document gives instead of an issue of the app's. */
  link: string | null;
  generated: boolean;
  line: number;
  /** Hash of `key`, kept instead of the key in the tracking issue's marker (see tracking-codec). */
  keyHash?: string;
  /** Stored without its text (no room in the tracking issue): counted, not listed. */
  unlisted?: boolean;
  /** Its issue was deleted, or transferred to another repository (then `link` is its new address). */
  gone?: "deleted" | "transferred";
  /** The app's issue for it, with its live state. */
  issue: {
    number: number;
    state: "open" | "closed";
    stateReason: string | null;
    assignees: string[];
    createdAt: string;
    closedAt: string | null;
  } | null;
}
