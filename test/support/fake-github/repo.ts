import { milestoneDueOn } from "./dates.js";
import type { FileChange } from "./git.js";
import { GitHistory } from "./history.js";
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
  deleteBranch,
  mergePull,
  newPullState,
  type PullAtAGlance,
  setPullState,
  summarize,
  updatePull,
} from "./pull-requests.js";
import {
  renderCheckRun,
  renderComment,
  renderIssue,
  renderLabel,
  renderMilestone,
  renderPull,
} from "./render.js";
import type { Rest } from "./render-accounts.js";

export type { CommitOptions } from "./history.js";

export interface RepoOptions {
  defaultBranch?: string;
  installationId?: number;
  private?: boolean;
  /** Seed GitHub's nine default labels (bug, documentation, …). Default true. */
  defaultLabels?: boolean;
  /** Sub-issues exist (false: an older GitHub Enterprise Server, whose endpoints answer 404). */
  subIssues?: boolean;
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
export class FakeRepo extends GitHistory {
  readonly id: number;
  readonly installationId: number;
  readonly private: boolean;
  readonly createdAt: Date;
  readonly subIssues: boolean;

  readonly issueStore = new Map<number, IssueState>();
  readonly commentStore = new Map<number, CommentState>();
  readonly labelStore = new Map<number, LabelState>();
  readonly milestoneStore = new Map<number, MilestoneState>();
  readonly checkRunStore = new Map<number, CheckRunState>();
  private readonly collaborators = new Set<string>();
  private lastNumber = 0;
  private lastMilestone = 0;

  constructor(
    world: World,
    readonly owner: UserRecord,
    readonly name: string,
    options: RepoOptions = {},
  ) {
    super(world, options.defaultBranch ?? "main");
    this.id = world.nextId("repo");
    this.installationId = options.installationId ?? 1;
    this.private = options.private ?? false;
    this.createdAt = world.now();
    this.subIssues = options.subIssues ?? true;
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
    const author = options.user ?? (options.fromFork ? "contributor" : DEFAULT_PERSON);
    this.world.user(author);
    const issue = this.newIssueState(options.title, options.body ?? null, author, false);
    issue.pull = newPullState(options.head, base, {
      fromFork: options.fromFork,
      forkOwner: options.fromFork ? author : this.owner.login,
      draft: options.draft,
    });
    return issue.number;
  }

  /**
   * Merges a pull request into its base branch as the merge button does (a three-way merge; a
   * conflict throws); returns the new base head sha.
   */
  mergePullRequest(
    number: number,
    options: { login?: string; method?: "merge" | "squash"; date?: Date } = {},
  ): string {
    return mergePull(this, number, { ...options, login: options.login ?? DEFAULT_PERSON });
  }

  /** {@link mergePullRequest}, by its shorter name. */
  mergePull(number: number, options: { login?: string; date?: Date } = {}): string {
    return this.mergePullRequest(number, options);
  }

  /** A person closes a pull request without merging it. */
  closePull(number: number, options: { login?: string } = {}): Rest {
    const login = this.world.user(options.login ?? DEFAULT_PERSON).login;
    return asPerson(`${login} closing #${number}`, () => {
      const issue = this.pullState(number);
      updatePull(this, issue, { state: "closed" }, { login, viaApp: false });
      return renderPull(this, issue, true);
    });
  }

  /** A person deletes a branch; GitHub closes the open pull requests from or into it. */
  userDeleteBranch(name: string, options: { login?: string } = {}): void {
    const login = this.world.user(options.login ?? DEFAULT_PERSON).login;
    asPerson(`${login} deleting ${name}`, () => deleteBranch(this, name, { login, viaApp: false }));
  }

  /** The live pull request with this number; 404 for issues and missing numbers. */
  pullState(number: number): IssueState {
    const issue = this.issueState(number);
    if (!issue.pull) throw notFound();
    return issue;
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

  /** A new issue (or, once `pull` is set, pull request) with the next number. */
  newIssueState(title: string, body: string | null, author: string, viaApp: boolean): IssueState {
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
      parent: null,
      parentSince: 0,
      type: null,
      fieldValues: new Map(),
    };
    this.issueStore.set(issue.number, issue);
    return issue;
  }

  /** GitHub's limits on the title and body of an issue or pull request. */
  checkText(
    title: string | undefined,
    body: string | null | undefined,
    resource: "Issue" | "PullRequest" = "Issue",
  ): void {
    const errors: FieldError[] = [];
    if (title !== undefined && title.trim() === "") {
      errors.push({ resource, code: "missing_field", field: "title" });
    }
    if (title !== undefined && title.length > TITLE_MAX) {
      errors.push({
        resource,
        code: "custom",
        field: "title",
        message: `title is too long (maximum is ${TITLE_MAX} characters)`,
      });
    }
    if (body && body.length > BODY_MAX) {
      errors.push({
        resource,
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
    let moved = false;
    if (issue.pull) {
      // A pull request keeps the commits it has when it closes, and follows its branch again
      // when it reopens.
      if (patch.state !== undefined) moved = setPullState(this, issue, patch.state, actor);
    } else if (patch.state === "closed" && issue.state === "open") {
      // `state_reason` only counts when the state changes.
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
    if (changed || moved) Object.assign(issue, next, { updatedAt: now });
    return changed || moved;
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

  // ---- sub-issues ------------------------------------------------------------------------------

  /** A parent's sub-issues, in the order they were added. */
  subIssueList(parent: number): IssueState[] {
    return this.issueList()
      .filter((issue) => issue.parent === parent)
      .sort((a, b) => a.parentSince - b.parentSince);
  }

  /**
   * Puts the issue with `id` under `parent`, as GitHub does: at most one parent (422 unless
   * `replaceParent`), at most 100 sub-issues, no issue under itself or its own sub-issue.
   */
  addSubIssue(parent: IssueState, id: number, replaceParent: boolean): IssueState {
    const child = this.issueList().find((issue) => issue.id === id && !issue.pull);
    // State-dependent refusals are GitHub's normal answers; the others are the client's mistake.
    const refuse = (message: string, mistake = false) =>
      validationFailed(
        [{ resource: "Issue", code: "custom", field: "sub_issue_id", message }],
        mistake ? message : undefined,
      );
    if (!child) throw refuse(`no issue with id ${id} in this repository`, true);
    if (child.number === parent.number || this.isAncestor(child.number, parent))
      throw refuse("An issue cannot be a sub-issue of itself or of its own sub-issue", true);
    if (child.parent === parent.number) throw refuse("Issue is already a sub-issue of this issue");
    if (child.parent !== null && !replaceParent)
      throw refuse("Issue may not contain duplicate sub-issues or already have a parent");
    if (this.subIssueList(parent.number).length >= 100)
      throw refuse("Parent cannot have more than 100 sub-issues");
    child.parent = parent.number;
    child.parentSince = this.world.nextId("sub-issue");
    parent.updatedAt = this.world.now();
    return child;
  }

  private isAncestor(number: number, issue: IssueState): boolean {
    for (let up = issue.parent; up !== null; up = this.issueStore.get(up)?.parent ?? null)
      if (up === number) return true;
    return false;
  }

  /** A person puts an issue under another (in the web interface). */
  userSetParent(child: number, parent: number | null): void {
    asPerson(`setting the parent of #${child}`, () => {
      const issue = this.issueState(child);
      if (parent === null) issue.parent = null;
      else this.addSubIssue(this.issueState(parent), issue.id, true);
    });
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

  /** Every pull request at a glance (head, base, state, merged, author, body), by number. */
  pulls(): PullAtAGlance[] {
    return this.issueList()
      .filter((i) => i.pull)
      .map((i) => summarize(this, i));
  }

  /** A pull request as the REST API shows it (for webhook payloads), or undefined. */
  pull(number: number): Rest | undefined {
    const issue = this.issueStore.get(number);
    return issue?.pull && !issue.deleted ? renderPull(this, issue, true) : undefined;
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
}
