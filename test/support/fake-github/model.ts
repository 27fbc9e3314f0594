import type { OrgIssueMeta } from "./issue-meta.js";
/** The fake's stored state. REST objects are rendered from these on the way out. */

export type UserType = "User" | "Bot" | "Organization";

export interface UserRecord {
  login: string;
  id: number;
  type: UserType;
}

export interface AppInfo {
  id: number;
  slug: string;
  name: string;
  owner: string;
  permissions: Record<string, string>;
  events: string[];
}

export interface LabelState {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface MilestoneState {
  id: number;
  number: number;
  title: string;
  description: string | null;
  state: "open" | "closed";
  dueOn: Date | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  creator: string;
}

export type StateReason = "completed" | "not_planned" | "duplicate" | "reopened";

export interface PullState {
  headRef: string;
  baseRef: string;
  fromFork: boolean;
  forkOwner: string;
  draft: boolean;
  merged: boolean;
  mergedAt: Date | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  /** head and base commits once the pull request is closed; live branch heads before */
  frozenHead: string | null;
  frozenBase: string | null;
}

export interface IssueState {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: StateReason | null;
  author: string;
  assignees: string[];
  labelIds: number[];
  milestone: number | null;
  locked: boolean;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  closedBy: string | null;
  deleted: boolean;
  viaApp: boolean;
  /** The parent issue's number (sub-issues stay within the repository here), or null. */
  parent: number | null;
  /** When it became a sub-issue: a parent lists its sub-issues in that order. */
  parentSince: number;
  /** Its issue type's id (the owner organization's), or null. */
  type: number | null;
  /** Organization issue field values by field id (a single select: the option's id). */
  fieldValues: Map<number, string | number>;
  pull?: PullState;
}

export interface CommentState {
  id: number;
  issueNumber: number;
  body: string;
  author: string;
  createdAt: Date;
  updatedAt: Date;
  viaApp: boolean;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunState {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Annotation[];
  checkSuiteId: number;
}

export interface CommitRecord {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  date: Date;
  author: { name: string; email: string; login: string | null };
  /** Who committed it, and when, if not the author at `date`. */
  committer?: { name: string; email: string; login: string | null; date: Date };
  /** GitHub signed it (a commit an app made through the API under its own identity). */
  signed?: boolean;
  /** path → blob sha */
  files: Map<string, string>;
  /** directory path → tree sha */
  dirs: Map<string, string>;
  /** renames this commit made, old path → new path */
  renames: Map<string, string>;
}

/** What repositories need from the fake as a whole. */
export interface World {
  readonly apiUrl: string;
  readonly app: AppInfo;
  now(): Date;
  nextId(kind: string): number;
  user(login: string, type?: UserType): UserRecord;
  /** The issue types and fields an organization defines. */
  orgMeta(owner: string): OrgIssueMeta;
}
