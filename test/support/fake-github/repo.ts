import { milestoneDueOn } from "./dates.js";
import {
  blobSha,
  buildTree,
  type CommitIdentity,
  commitSha,
  diffSnapshots,
  type FileChange,
  type TreeEntry,
} from "./git.js";
import { type FieldError, gone, HttpError, notFound, validationFailed } from "./http.js";
import type {
  CheckRunState,
  CommentState,
  CommitRecord,
  IssueState,
  LabelState,
  MilestoneState,
  StateReason,
  UserRecord,
  World,
} from "./model.js";
import {
  type Rest,
  renderCheckRun,
  renderComment,
  renderIssue,
  renderLabel,
  renderMilestone,
} from "./render.js";

export interface RepoOptions {
  defaultBranch?: string;
  installationId?: number;
  private?: boolean;
  /** Seed GitHub's nine default labels (bug, documentation, …). Default true. */
  defaultLabels?: boolean;
}

export interface CommitOptions {
  branch?: string;
  message?: string;
  /** old path → new path; the content moves unless `files` gives the new path new content */
  renames?: Record<string, string>;
  date?: Date;
  /** GitHub login of the author (commit `author` in REST responses) */
  author?: string;
  /** Where a new branch starts (branch, sha); defaults to the default branch head. */
  from?: string;
}

export interface PullRequestOptions {
  head: string;
  base?: string;
  title: string;
  body?: string;
  fromFork?: boolean;
  user?: string;
  draft?: boolean;
}

/** What a person can change on an issue in the UI. */
export interface IssuePatch {
  title?: string;
  body?: string | null;
  state?: "open" | "closed";
  state_reason?: StateReason | null;
  assignees?: string[];
  milestone?: number | null;
  labels?: string[];
}

export interface IssueInput {
  title: string;
  body?: string | null;
  assignees?: string[];
  milestone?: number | null;
  labels?: string[];
}

export interface Actor {
  login: string;
  viaApp: boolean;
}

const DEFAULT_LABELS: [string, string, string][] = [
  ["bug", "d73a4a", "Something isn't working"],
  ["documentation", "0075ca", "Improvements or additions to documentation"],
  ["duplicate", "cfd3d7", "This issue or pull request already exists"],
  ["enhancement", "a2eeef", "New feature or request"],
  ["good first issue", "7057ff", "Good for newcomers"],
  ["help wanted", "008672", "Extra attention is needed"],
  ["invalid", "e4e669", "This doesn't seem right"],
  ["question", "d876e3", "Further information is requested"],
  ["wontfix", "ffffff", "This will not be worked on"],
];

/** Who acts in person actions when no login is given. */
const DEFAULT_PERSON = "octocat";

/** GitHub's limits on issue text. */
export const TITLE_MAX = 256;
export const BODY_MAX = 65536;

function normalizePath(path: string): string {
  return path.replace(/^\/+/, "").replace(/\/+$/, "");
}

/** Person actions throw plain errors that say what GitHub would have answered. */
function asPerson<T>(action: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    throw new Error(`${action}: GitHub answers ${error.status} ${JSON.stringify(error.body)}`);
  }
}

/** One repository: its git history, issues, pull requests, labels, milestones and checks. */
export class FakeRepo {
  readonly id: number;
  readonly defaultBranch: string;
  readonly installationId: number;
  readonly private: boolean;
  readonly createdAt: Date;
  pushedAt: Date | null = null;

  readonly branches = new Map<string, string>();
  readonly commits = new Map<string, CommitRecord>();
  readonly blobs = new Map<string, string>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly issueStore = new Map<number, IssueState>();
  readonly commentStore = new Map<number, CommentState>();
  readonly labelStore = new Map<number, LabelState>();
  readonly milestoneStore = new Map<number, MilestoneState>();
  readonly checkRunStore = new Map<number, CheckRunState>();
  private readonly collaborators = new Set<string>();
  private lastNumber = 0;
  private lastMilestone = 0;

  constructor(
    readonly world: World,
    readonly owner: UserRecord,
    readonly name: string,
    options: RepoOptions = {},
  ) {
    this.id = world.nextId("repo");
    this.defaultBranch = options.defaultBranch ?? "main";
    this.installationId = options.installationId ?? 1;
    this.private = options.private ?? false;
    this.createdAt = world.now();
    if (options.defaultLabels ?? true) {
      for (const [name, color, description] of DEFAULT_LABELS) {
        this.addLabelState(name, color, description, true);
      }
    }
  }

  get fullName(): string {
    return `${this.owner.login}/${this.name}`;
  }

  get apiBase(): string {
    return `${this.world.apiUrl}/repos/${this.fullName}`;
  }

  get htmlBase(): string {
    return `https://github.com/${this.fullName}`;
  }

  // ---- seeding -------------------------------------------------------------------------------

  /** Commits files (`null` deletes) on a branch and moves its head; returns the commit sha. */
  commit(files: Record<string, string | null>, options: CommitOptions = {}): string {
    const branch = options.branch ?? this.defaultBranch;
    let parent = this.branches.get(branch);
    if (parent === undefined) {
      parent = options.from
        ? this.resolveCommit(options.from)?.sha
        : this.branches.get(this.defaultBranch);
      if (options.from && !parent) throw new Error(`unknown ref ${options.from}`);
    }
    const snapshot = new Map(parent ? this.commits.get(parent)?.files : []);
    const renames = new Map<string, string>();
    for (const [from, to] of Object.entries(options.renames ?? {})) {
      const sha = snapshot.get(normalizePath(from));
      if (!sha) throw new Error(`cannot rename ${from}: no such file on ${branch}`);
      snapshot.delete(normalizePath(from));
      snapshot.set(normalizePath(to), sha);
      renames.set(normalizePath(from), normalizePath(to));
    }
    for (const [rawPath, content] of Object.entries(files)) {
      const path = normalizePath(rawPath);
      if (content === null) {
        if (!snapshot.delete(path)) throw new Error(`cannot delete ${path}: no such file`);
      } else {
        const sha = blobSha(content);
        this.blobs.set(sha, content);
        snapshot.set(path, sha);
      }
    }
    const message =
      options.message ?? `Update ${Object.keys({ ...files, ...options.renames }).join(", ")}`;
    const login = options.author ?? null;
    return this.writeCommit(branch, parent ? [parent] : [], snapshot, message, {
      date: options.date ?? this.world.now(),
      author: login
        ? { name: login, email: `${login}@users.noreply.github.com`, login }
        : { name: "Fake Author", email: "author@example.com", login: null },
      renames,
    });
  }

  private writeCommit(
    branch: string,
    parents: string[],
    files: Map<string, string>,
    message: string,
    meta: {
      date: Date;
      author: CommitIdentity & { login: string | null };
      renames: Map<string, string>;
    },
  ): string {
    const sizes = new Map(
      [...files].map(([path, sha]) => [path, Buffer.byteLength(this.blobs.get(sha) ?? "")]),
    );
    const tree = buildTree(files, sizes);
    for (const [sha, entries] of tree.trees) this.trees.set(sha, entries);
    const sha = commitSha(tree.sha, parents, meta.author, meta.date, message);
    this.commits.set(sha, {
      sha,
      tree: tree.sha,
      parents,
      message,
      date: meta.date,
      author: meta.author,
      files,
      dirs: tree.dirs,
      renames: meta.renames,
    });
    this.branches.set(branch, sha);
    this.pushedAt = meta.date;
    return sha;
  }

  /** Creates a branch at a ref (default: the default branch head); returns its sha. */
  createBranch(name: string, from: string = this.defaultBranch): string {
    const commit = this.resolveCommit(from);
    if (!commit) throw new Error(`unknown ref ${from}`);
    this.branches.set(name, commit.sha);
    return commit.sha;
  }

  /** Makes a user assignable (push access); the owner always is. */
  addCollaborator(login: string): void {
    this.world.user(login);
    this.collaborators.add(login.toLowerCase());
  }

  isCollaborator(login: string): boolean {
    return this.collaborators.has(login.toLowerCase());
  }

  isAssignable(login: string): boolean {
    const user = this.world.user(login);
    return (
      user.type === "User" &&
      (this.isCollaborator(login) || login.toLowerCase() === this.owner.login.toLowerCase())
    );
  }

  assignableUsers(): string[] {
    const logins = [...this.collaborators].map((l) => this.world.user(l).login);
    if (this.owner.type === "User") logins.unshift(this.owner.login);
    return logins;
  }

  /** Opens a pull request; it shares the issue number sequence. Returns its number. */
  openPullRequest(options: PullRequestOptions): number {
    const base = options.base ?? this.defaultBranch;
    if (!this.branches.has(options.head)) throw new Error(`unknown head branch ${options.head}`);
    if (!this.branches.has(base)) throw new Error(`unknown base branch ${base}`);
    const author = options.user ?? (options.fromFork ? "contributor" : this.owner.login);
    this.world.user(author);
    const issue = this.newIssueState(options.title, options.body ?? null, author, false);
    issue.pull = {
      headRef: options.head,
      baseRef: base,
      fromFork: options.fromFork ?? false,
      forkOwner: options.fromFork ? author : this.owner.login,
      draft: options.draft ?? false,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      frozenHead: null,
      frozenBase: null,
    };
    return issue.number;
  }

  /** Merges a pull request into its base branch; returns the new base head sha. */
  mergePullRequest(
    number: number,
    options: { login?: string; method?: "merge" | "squash"; date?: Date } = {},
  ): string {
    const issue = this.issueStore.get(number);
    const pull = issue?.pull;
    if (!issue || !pull || issue.state !== "open") throw new Error(`#${number} is not an open PR`);
    const head = this.pullHead(issue);
    const base = this.pullBase(issue);
    const mergeBase = this.mergeBase(base, head);
    const files = new Map(this.commits.get(base)?.files);
    const hints = this.renameHints(mergeBase, head);
    for (const change of this.diff(mergeBase, head)) {
      if (change.previousFilename) files.delete(change.previousFilename);
      if (change.status === "removed") files.delete(change.filename);
      else files.set(change.filename, this.commits.get(head)?.files.get(change.filename) ?? "");
    }
    const login = options.login ?? this.owner.login;
    const date = options.date ?? this.world.now();
    const method = options.method ?? "merge";
    const headLabel = `${pull.fromFork ? pull.forkOwner : this.owner.login}/${pull.headRef}`;
    const sha = this.writeCommit(
      pull.baseRef,
      method === "merge" ? [base, head] : [base],
      files,
      method === "merge"
        ? `Merge pull request #${number} from ${headLabel}\n\n${issue.title}`
        : `${issue.title} (#${number})`,
      {
        date,
        author: { name: login, email: `${login}@users.noreply.github.com`, login },
        renames: hints,
      },
    );
    Object.assign(pull, {
      merged: true,
      mergedAt: date,
      mergedBy: login,
      mergeCommitSha: sha,
      frozenHead: head,
      frozenBase: base,
    });
    Object.assign(issue, { state: "closed", closedAt: date, closedBy: login, updatedAt: date });
    return sha;
  }

  // ---- git queries ---------------------------------------------------------------------------

  /** Branch name, `refs/heads/…`, full or abbreviated commit sha. */
  resolveCommit(ref: string): CommitRecord | undefined {
    const name = ref.replace(/^refs\/heads\//, "").replace(/^heads\//, "");
    const branch = this.branches.get(name);
    if (branch) return this.commits.get(branch);
    if (/^[0-9a-f]{4,40}$/i.test(ref)) {
      const lower = ref.toLowerCase();
      const exact = this.commits.get(lower);
      if (exact) return exact;
      const found = [...this.commits.keys()].filter((sha) => sha.startsWith(lower));
      if (found.length === 1 && found[0]) return this.commits.get(found[0]);
    }
    return undefined;
  }

  snapshot(sha: string): Map<string, string> {
    const files = new Map<string, string>();
    for (const [path, blob] of this.commits.get(sha)?.files ?? []) {
      files.set(path, this.blobs.get(blob) ?? "");
    }
    return files;
  }

  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length) {
      const next = queue.shift() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return seen;
  }

  /** Nearest common ancestor, or undefined for unrelated histories. */
  mergeBase(a: string, b: string): string {
    const fromA = this.ancestors(a);
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length) {
      const next = queue.shift() as string;
      if (fromA.has(next)) return next;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return "";
  }

  /** Commits reachable from head but not base, parents before children (`git log base..head`). */
  commitsBetween(base: string, head: string): CommitRecord[] {
    const excluded = base ? this.ancestors(base) : new Set<string>();
    const ordered: CommitRecord[] = [];
    const visited = new Set<string>();
    const visit = (sha: string) => {
      if (visited.has(sha) || excluded.has(sha)) return;
      visited.add(sha);
      const commit = this.commits.get(sha);
      if (!commit) return;
      for (const parent of commit.parents) visit(parent);
      ordered.push(commit);
    };
    visit(head);
    return ordered;
  }

  private renameHints(base: string, head: string): Map<string, string> {
    const hints = new Map<string, string>();
    for (const commit of this.commitsBetween(base, head)) {
      for (const [from, to] of commit.renames) {
        const origin = [...hints].find(([, current]) => current === from)?.[0];
        if (origin !== undefined) hints.set(origin, to);
        else hints.set(from, to);
      }
    }
    return hints;
  }

  /** File changes from one commit to another (renames included). */
  diff(base: string, head: string): FileChange[] {
    return diffSnapshots(
      base ? this.snapshot(base) : new Map(),
      this.snapshot(head),
      this.renameHints(base, head),
    );
  }

  pullHead(issue: IssueState): string {
    const pull = issue.pull;
    return pull?.frozenHead ?? this.branches.get(pull?.headRef ?? "") ?? "";
  }

  pullBase(issue: IssueState): string {
    const pull = issue.pull;
    return pull?.frozenBase ?? this.branches.get(pull?.baseRef ?? "") ?? "";
  }

  pullFiles(issue: IssueState): FileChange[] {
    const head = this.pullHead(issue);
    return this.diff(this.mergeBase(this.pullBase(issue), head), head);
  }

  pullCommits(issue: IssueState): CommitRecord[] {
    return this.commitsBetween(this.pullBase(issue), this.pullHead(issue));
  }

  // ---- issue state, shared by the REST handlers and the person actions ----------------------

  issueList(): IssueState[] {
    return [...this.issueStore.values()].filter((i) => !i.deleted);
  }

  /** The live issue or pull request, 404 when missing, 410 when deleted. */
  issueState(number: number): IssueState {
    const issue = this.issueStore.get(number);
    if (!issue) throw notFound();
    if (issue.deleted) throw gone("This issue was deleted");
    return issue;
  }

  issueLabels(issue: IssueState): LabelState[] {
    return issue.labelIds
      .map((id) => this.labelStore.get(id))
      .filter((l): l is LabelState => l !== undefined)
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  }

  labelByName(name: string): LabelState | undefined {
    const key = name.toLowerCase();
    return [...this.labelStore.values()].find((l) => l.name.toLowerCase() === key);
  }

  addLabelState(name: string, color: string, description: string | null, isDefault = false) {
    const label: LabelState = {
      id: this.world.nextId("label"),
      name,
      color: color.toLowerCase(),
      description,
      default: isDefault,
    };
    this.labelStore.set(label.id, label);
    return label;
  }

  milestoneState(number: number): MilestoneState | undefined {
    return this.milestoneStore.get(number);
  }

  addMilestoneState(
    input: {
      title: string;
      description?: string | null;
      state?: "open" | "closed";
      due_on?: string | null;
    },
    creator: string,
  ): MilestoneState {
    if ([...this.milestoneStore.values()].some((m) => m.title === input.title)) {
      throw validationFailed([{ resource: "Milestone", code: "already_exists", field: "title" }]);
    }
    const now = this.world.now();
    const milestone: MilestoneState = {
      id: this.world.nextId("milestone"),
      number: ++this.lastMilestone,
      title: input.title,
      description: input.description ?? null,
      state: input.state ?? "open",
      dueOn: input.due_on ? this.dueOn(input.due_on) : null,
      createdAt: now,
      updatedAt: now,
      closedAt: input.state === "closed" ? now : null,
      creator,
    };
    this.milestoneStore.set(milestone.number, milestone);
    return milestone;
  }

  /** The instant GitHub stores for a `due_on` it is sent. */
  dueOn(sent: string): Date {
    return milestoneDueOn(new Date(sent));
  }

  commentList(number: number): CommentState[] {
    return [...this.commentStore.values()].filter((c) => c.issueNumber === number);
  }

  private newIssueState(title: string, body: string | null, author: string, viaApp: boolean) {
    const now = this.world.now();
    const issue: IssueState = {
      id: this.world.nextId("issue"),
      number: ++this.lastNumber,
      title,
      body: body === "" ? null : body,
      state: "open",
      stateReason: null,
      author,
      assignees: [],
      labelIds: [],
      milestone: null,
      locked: false,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedBy: null,
      deleted: false,
      viaApp,
    };
    this.issueStore.set(issue.number, issue);
    return issue;
  }

  private checkText(title: string | undefined, body: string | null | undefined): void {
    const errors: FieldError[] = [];
    if (title !== undefined && title.trim() === "") {
      errors.push({ resource: "Issue", code: "missing_field", field: "title" });
    }
    if (title !== undefined && title.length > TITLE_MAX) {
      errors.push({
        resource: "Issue",
        code: "custom",
        field: "title",
        message: `title is too long (maximum is ${TITLE_MAX} characters)`,
      });
    }
    if (body && body.length > BODY_MAX) {
      errors.push({
        resource: "Issue",
        code: "custom",
        field: "body",
        message: `body is too long (maximum is ${BODY_MAX} characters)`,
      });
    }
    if (errors.length) {
      throw validationFailed(
        errors,
        errors.map((e) => e.message ?? `${e.field} is blank`).join("; "),
      );
    }
  }

  private checkAssignees(logins: string[]): string[] {
    if (logins.length > 10) {
      throw validationFailed(
        [{ resource: "Issue", code: "invalid", field: "assignees", value: logins }],
        "an issue takes at most 10 assignees",
      );
    }
    const invalid = logins.find((login) => !this.isAssignable(login));
    if (invalid !== undefined) {
      throw validationFailed([
        { resource: "Issue", code: "invalid", field: "assignees", value: invalid },
      ]);
    }
    // GitHub answers with the login's canonical spelling.
    return [...new Set(logins.map((l) => this.world.user(l).login))];
  }

  private checkMilestone(number: number | null): number | null {
    if (number !== null && !this.milestoneStore.has(number)) {
      throw validationFailed([
        { resource: "Issue", code: "invalid", field: "milestone", value: number },
      ]);
    }
    return number;
  }

  /** Labels by name, created with GitHub's default colour when missing. */
  labelIdsFor(names: string[]): number[] {
    const ids = names.map(
      (name) => (this.labelByName(name) ?? this.addLabelState(name, "ededed", null)).id,
    );
    return [...new Set(ids)];
  }

  createIssueState(input: IssueInput, actor: Actor): IssueState {
    this.checkText(input.title, input.body);
    const assignees = this.checkAssignees(input.assignees ?? []);
    const milestone = this.checkMilestone(input.milestone ?? null);
    const labelIds = this.labelIdsFor(input.labels ?? []);
    const issue = this.newIssueState(input.title, input.body ?? null, actor.login, actor.viaApp);
    Object.assign(issue, { assignees, milestone, labelIds });
    return issue;
  }

  /** Applies a change as GitHub does; returns whether anything changed. */
  updateIssueState(issue: IssueState, patch: IssuePatch, actor: Actor): boolean {
    this.checkText(patch.title, patch.body);
    const next: Partial<IssueState> = {};
    if (patch.title !== undefined) next.title = patch.title;
    if (patch.body !== undefined) next.body = patch.body === "" ? null : patch.body;
    if (patch.assignees !== undefined) next.assignees = this.checkAssignees(patch.assignees);
    if (patch.milestone !== undefined) next.milestone = this.checkMilestone(patch.milestone);
    if (patch.labels !== undefined) next.labelIds = this.labelIdsFor(patch.labels);
    const now = this.world.now();
    // `state_reason` only counts when the state changes.
    if (patch.state === "closed" && issue.state === "open") {
      const reason = patch.state_reason ?? "completed";
      if (reason === "reopened") {
        throw validationFailed(
          [{ resource: "Issue", code: "invalid", field: "state_reason", value: reason }],
          "state_reason `reopened` cannot close an issue",
        );
      }
      Object.assign(next, {
        state: "closed",
        stateReason: reason,
        closedAt: now,
        closedBy: actor.login,
      });
    } else if (patch.state === "open" && issue.state === "closed") {
      Object.assign(next, {
        state: "open",
        stateReason: "reopened",
        closedAt: null,
        closedBy: null,
      });
    }
    const changed = Object.entries(next).some(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(issue[key as keyof IssueState]),
    );
    if (changed) Object.assign(issue, next, { updatedAt: now });
    return changed;
  }

  addCommentState(number: number, body: string, actor: Actor): CommentState {
    const issue = this.issueState(number);
    if (body.trim() === "") {
      throw validationFailed(
        [{ resource: "IssueComment", code: "missing_field", field: "body" }],
        "comment body is blank",
      );
    }
    if (body.length > BODY_MAX) {
      throw validationFailed(
        [
          {
            resource: "IssueComment",
            code: "custom",
            field: "body",
            message: `body is too long (maximum is ${BODY_MAX} characters)`,
          },
        ],
        `comment body is longer than ${BODY_MAX} characters`,
      );
    }
    const now = this.world.now();
    const comment: CommentState = {
      id: this.world.nextId("comment"),
      issueNumber: number,
      body,
      author: actor.login,
      createdAt: now,
      updatedAt: now,
      viaApp: actor.viaApp,
    };
    this.commentStore.set(comment.id, comment);
    issue.updatedAt = now;
    return comment;
  }

  // ---- person actions (bypass the app, return REST objects for webhook payloads) ------------

  /** A person opens an issue. */
  userCreateIssue(input: IssueInput, options: { login?: string } = {}): Rest {
    const login = this.world.user(options.login ?? DEFAULT_PERSON).login;
    return asPerson(`${login} opening an issue`, () =>
      renderIssue(this, this.createIssueState(input, { login, viaApp: false })),
    );
  }

  /** A person edits, closes (with `state_reason`) or reopens an issue or pull request. */
  userUpdateIssue(number: number, patch: IssuePatch, options: { login?: string } = {}): Rest {
    const login = this.world.user(options.login ?? DEFAULT_PERSON).login;
    return asPerson(`${login} updating #${number}`, () => {
      const issue = this.issueState(number);
      this.updateIssueState(issue, patch, { login, viaApp: false });
      return renderIssue(this, issue);
    });
  }

  /** A person deletes an issue: it and its comments are gone (410 from then on). */
  userDeleteIssue(number: number): Rest {
    return asPerson(`deleting #${number}`, () => {
      const issue = this.issueState(number);
      const rendered = renderIssue(this, issue);
      issue.deleted = true;
      for (const comment of this.commentList(number)) this.commentStore.delete(comment.id);
      return rendered;
    });
  }

  /** A person comments on an issue or pull request. */
  userComment(number: number, body: string, login: string = DEFAULT_PERSON): Rest {
    const author = this.world.user(login).login;
    return asPerson(`${author} commenting on #${number}`, () =>
      renderComment(this, this.addCommentState(number, body, { login: author, viaApp: false })),
    );
  }

  // ---- read helpers --------------------------------------------------------------------------

  /** Every issue that is not a pull request and not deleted, open and closed, by number. */
  issues(): Rest[] {
    return this.issueList()
      .filter((i) => !i.pull)
      .map((i) => renderIssue(this, i));
  }

  issue(number: number): Rest | undefined {
    const issue = this.issueStore.get(number);
    return issue && !issue.deleted ? renderIssue(this, issue) : undefined;
  }

  comments(number: number): Rest[] {
    return this.commentList(number).map((c) => renderComment(this, c));
  }

  labels(): Rest[] {
    return [...this.labelStore.values()].map((l) => renderLabel(this, l));
  }

  milestones(): Rest[] {
    return [...this.milestoneStore.values()].map((m) => renderMilestone(this, m));
  }

  /** Check runs as REST objects, each with every annotation it received. */
  checkRuns(): (Rest & { annotations: CheckRunState["annotations"] })[] {
    return [...this.checkRunStore.values()].map((run) => ({
      ...renderCheckRun(this, run),
      annotations: [...run.annotations],
    }));
  }

  /** File content at a ref (default branch head by default), or undefined. */
  file(path: string, ref: string = this.defaultBranch): string | undefined {
    const commit = this.resolveCommit(ref);
    const sha = commit?.files.get(normalizePath(path));
    return sha === undefined ? undefined : this.blobs.get(sha);
  }

  /** Head sha of a branch. */
  head(branch: string = this.defaultBranch): string | undefined {
    return this.branches.get(branch);
  }
}
