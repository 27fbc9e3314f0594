/**
 * The few GitHub calls the app makes for one repository. Every write goes through here, so dry runs,
 * a write budget and request accounting live in one place.
 */

import type { ProbotOctokit } from "probot";
import { shownDueDate } from "../core/plan/milestones.js";
import type { IssueFieldDef, IssueState, MilestoneState } from "../core/plan/model.js";
import type { FieldValue } from "../core/plan/native.js";
import type { CheckReport } from "../core/render/check.js";
import { type MarkerSigner, UNSIGNED } from "./marker-signature.js";

export type Octokit = InstanceType<typeof ProbotOctokit>;

export interface RequestCounts {
  reads: number;
  writes: number;
}

export interface ClientOptions {
  /** Print nothing, write nothing: writes are recorded and answered with made-up results. */
  dryRun?: boolean;
  /** Most writes one run may make; the rest waits for the next run (which converges). */
  writeBudget?: number;
  /** Signs the app's markers on the way out and verifies them on the way in. */
  markers?: MarkerSigner;
}

export class WriteBudgetExceeded extends Error {
  constructor(budget: number) {
    super(
      `write budget of ${budget} requests used up; the next run continues where this one stopped`,
    );
  }
}

export interface ChangedFile {
  path: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  previousPath: string | null;
}

/**
 * Options for requests that create something: Octokit's retry plugin would repeat a POST that
 * timed out or got a 5xx after GitHub had created the object, leaving a duplicate. The next
 * delivery converges instead. (Secondary rate limits are still retried by the throttling plugin:
 * GitHub created nothing then.)
 */
const NO_RETRY = { retries: 0 };

type RawIssue = Awaited<ReturnType<Octokit["rest"]["issues"]["get"]>>["data"];
/** What the app reads of a pull request, in the list and in create and update answers alike. */
interface RawPull {
  number: number;
  state: string;
  merged_at?: string | null;
  user?: { login: string } | null;
  title: string;
  body?: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
  html_url: string;
}

/** A pull request as the app sees it: its body keeps only markers the app signed. */
export interface PullSummary {
  number: number;
  state: "open" | "closed";
  merged: boolean;
  /** Who opened it (the app's bot for its own). */
  author: string | null;
  title: string;
  body: string;
  /** The branch it proposes, and the commit that branch had for it. */
  headRef: string;
  headSha: string;
  baseRef: string;
  htmlUrl: string;
}

interface NativeParts {
  parent_issue_url?: string | null;
  type?: { name: string } | null;
  issue_field_values?: {
    issue_field_id: number;
    value?: string | number | null;
    single_select_option?: { name: string } | null;
  }[];
}

export function toIssueState(issue: RawIssue, here?: { owner: string; repo: string }): IssueState {
  const native = issue as NativeParts;
  const parent = parentOf(native, here);
  return {
    id: issue.id,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    state: issue.state === "closed" ? "closed" : "open",
    stateReason: issue.state_reason ?? null,
    assignees: (issue.assignees ?? []).map((user) => user.login),
    milestone: issue.milestone
      ? {
          number: issue.milestone.number,
          title: issue.milestone.title,
          dueDate: shownDueDate(issue.milestone.due_on),
        }
      : null,
    labels: issue.labels
      .map((label) => (typeof label === "string" ? label : (label.name ?? "")))
      .filter(Boolean),
    createdAt: issue.created_at,
    closedAt: issue.closed_at ?? null,
    author: issue.user?.login ?? null,
    ...(parent === undefined ? {} : { parent }),
    ...(native.type === undefined ? {} : { type: native.type?.name ?? null }),
    ...(native.issue_field_values ? { fields: fieldsOf(native.issue_field_values) } : {}),
  };
}

function fieldsOf(values: NonNullable<NativeParts["issue_field_values"]>): IssueState["fields"] {
  const fields: NonNullable<IssueState["fields"]> = {};
  for (const field of values)
    fields[String(field.issue_field_id)] = field.single_select_option?.name ?? field.value ?? null;
  return fields;
}

/** `parent_issue_url` read: a number in this repository, `elsewhere`, null, or undefined (not said). */
function parentOf(
  issue: { parent_issue_url?: string | null },
  here: { owner: string; repo: string } | undefined,
): IssueState["parent"] {
  const url = issue.parent_issue_url;
  if (url === undefined || !here) return undefined;
  if (url === null) return null;
  const match = url.match(/\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/);
  const same =
    match?.[1]?.toLowerCase() === here.owner.toLowerCase() &&
    match?.[2]?.toLowerCase() === here.repo.toLowerCase();
  return same ? Number(match?.[3]) : "elsewhere";
}

export class RepoClient {
  readonly counts: RequestCounts = { reads: 0, writes: 0 };
  /** Writes a dry run would have made, in order. */
  readonly plannedWrites: { what: string; target: string }[] = [];
  private readonly assignable = new Map<string, Promise<boolean>>();
  private fakeNumber = 900_000;

  constructor(
    readonly octokit: Octokit,
    readonly owner: string,
    readonly repo: string,
    private readonly options: ClientOptions = {},
  ) {}

  private read<T>(call: () => Promise<T>): Promise<T> {
    this.counts.reads++;
    return call();
  }

  private async write<T>(
    what: string,
    target: string,
    call: () => Promise<T>,
    dry: () => T,
  ): Promise<T> {
    const budget = this.options.writeBudget;
    if (budget !== undefined && this.counts.writes >= budget) throw new WriteBudgetExceeded(budget);
    this.counts.writes++;
    if (this.options.dryRun) {
      this.plannedWrites.push({ what, target });
      return dry();
    }
    return call();
  }

  get markers(): MarkerSigner {
    return this.options.markers ?? UNSIGNED;
  }

  /** An issue as the core sees it: only markers the app signed are left in its body. */
  issueState(raw: RawIssue): IssueState {
    const issue = toIssueState(raw, this.base);
    return { ...issue, body: this.markers.verify(issue.body) };
  }

  /** Octokit's pagination, each page counted as one read. */
  private readonly counted = <T>(response: { data: T }): T => {
    this.counts.reads++;
    return response.data;
  };

  private get base() {
    return { owner: this.owner, repo: this.repo };
  }

  /**
   * Issues carrying a label, oldest first; pull requests are left out. `since` keeps only issues
   * updated after it (closing an issue updates it).
   */
  async listIssuesWithLabel(
    label: string,
    state: "open" | "closed" | "all" = "all",
    since?: string,
  ): Promise<IssueState[]> {
    const issues = await this.octokit.paginate(
      this.octokit.rest.issues.listForRepo,
      {
        ...this.base,
        labels: label,
        state,
        sort: "created",
        direction: "asc",
        per_page: 100,
        ...(since ? { since } : {}),
      },
      this.counted,
    );
    return issues
      .filter((issue) => !issue.pull_request)
      .map((issue) => this.issueState(issue as RawIssue));
  }

  async getIssue(number: number): Promise<IssueState | null> {
    try {
      const { data } = await this.read(() =>
        this.octokit.rest.issues.get({ ...this.base, issue_number: number }),
      );
      return this.issueState(data);
    } catch (error) {
      if (statusOf(error) === 404 || statusOf(error) === 410) return null;
      throw error;
    }
  }

  async createIssue(input: {
    title: string;
    body: string;
    labels: string[];
    assignees: string[];
    milestone: number | null;
    /** An issue type the repository's owner defines, by name. */
    type?: string | null;
    fields?: FieldValue[];
  }): Promise<IssueState> {
    return this.write(
      "create issue",
      input.title,
      async () => {
        const { data } = await this.octokit.rest.issues.create({
          ...this.base,
          title: input.title,
          body: this.markers.sign(input.body),
          labels: input.labels,
          assignees: input.assignees,
          ...(input.milestone === null ? {} : { milestone: input.milestone }),
          ...(input.type ? { type: input.type } : {}),
          ...(input.fields?.length ? { issue_field_values: input.fields } : {}),
          request: NO_RETRY,
        });
        return this.issueState(data);
      },
      () => ({
        id: this.fakeNumber,
        number: this.fakeNumber++,
        title: input.title,
        body: input.body,
        state: "open",
        stateReason: null,
        assignees: input.assignees,
        milestone: null,
        labels: input.labels,
        createdAt: new Date(0).toISOString(),
        closedAt: null,
        author: null,
        parent: null,
      }),
    );
  }

  async updateIssue(
    issue: IssueState,
    patch: {
      title?: string;
      body?: string;
      assignees?: string[];
      milestone?: number | null;
      labels?: string[];
      state?: "open" | "closed";
      state_reason?: "completed" | "not_planned" | "duplicate" | "reopened";
      type?: string | null;
      issue_field_values?: FieldValue[];
    },
  ): Promise<IssueState> {
    return this.write(
      "update issue",
      `#${issue.number}`,
      async () => {
        const { data } = await this.octokit.rest.issues.update({
          ...this.base,
          issue_number: issue.number,
          ...patch,
          ...(patch.body === undefined ? {} : { body: this.markers.sign(patch.body) }),
        });
        return this.issueState(data);
      },
      () => ({
        ...issue,
        ...(patch.title === undefined ? {} : { title: patch.title }),
        ...(patch.body === undefined ? {} : { body: patch.body }),
        ...(patch.assignees === undefined ? {} : { assignees: patch.assignees }),
        ...(patch.labels === undefined ? {} : { labels: patch.labels }),
        ...(patch.state === undefined
          ? {}
          : { state: patch.state, stateReason: patch.state_reason ?? null }),
        ...(patch.type === undefined ? {} : { type: patch.type }),
        ...(patch.issue_field_values
          ? {
              fields: {
                ...issue.fields,
                ...Object.fromEntries(patch.issue_field_values.map((f) => [f.field_id, f.value])),
              },
            }
          : {}),
      }),
    );
  }

  /**
   * Puts `child` under `parent`, never taking it from a parent a person chose (no
   * `replace_parent`). `unavailable`: the server has no sub-issues (404, an older GHES) or the
   * token may not use them (a 403 that is not a rate limit); `refused`: GitHub would not (422: it
   * has a parent already, or the parent is full).
   */
  async addSubIssue(
    parent: number,
    child: IssueState,
  ): Promise<"added" | "refused" | "unavailable"> {
    return this.write(
      "add sub-issue",
      `#${child.number} under #${parent}`,
      async () => {
        try {
          await this.octokit.rest.issues.addSubIssue({
            ...this.base,
            issue_number: parent,
            sub_issue_id: child.id,
            request: NO_RETRY,
          });
          return "added" as const;
        } catch (error) {
          if (statusOf(error) === 404 || isForbidden(error)) return "unavailable" as const;
          if (statusOf(error) === 422) return "refused" as const;
          throw error;
        }
      },
      () => "added" as const,
    );
  }

  /** Takes `child` from under `parent`; false when it was not there (404). */
  async removeSubIssue(parent: number, child: IssueState): Promise<boolean> {
    return this.write(
      "remove sub-issue",
      `#${child.number} from #${parent}`,
      async () => {
        try {
          await this.octokit.rest.issues.removeSubIssue({
            ...this.base,
            issue_number: parent,
            sub_issue_id: child.id,
          });
          return true;
        } catch (error) {
          if (statusOf(error) === 404) return false;
          throw error;
        }
      },
      () => true,
    );
  }

  /** The parent of an issue (one read), for servers whose issues do not name it. */
  async parentOf(number: number): Promise<number | "elsewhere" | null> {
    try {
      const { data } = await this.read(() =>
        this.octokit.rest.issues.getParent({ ...this.base, issue_number: number }),
      );
      const url = `${data.repository_url}/issues/${data.number}`;
      return parentOf({ parent_issue_url: url }, this.base) ?? null;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async comment(number: number, body: string): Promise<void> {
    await this.write(
      "comment",
      `#${number}`,
      async () => {
        await this.octokit.rest.issues.createComment({
          ...this.base,
          issue_number: number,
          body: this.markers.sign(body),
          request: NO_RETRY,
        });
      },
      () => undefined,
    );
  }

  /** Comment bodies on an issue since a time (ISO 8601). */
  async listCommentsSince(number: number, since: string): Promise<string[]> {
    const comments = await this.octokit.paginate(
      this.octokit.rest.issues.listComments,
      { ...this.base, issue_number: number, since, per_page: 100 },
      this.counted,
    );
    return comments.map((comment) => this.markers.verify(comment.body ?? ""));
  }

  async listLabels(): Promise<Set<string>> {
    const labels = await this.octokit.paginate(
      this.octokit.rest.issues.listLabelsForRepo,
      { ...this.base, per_page: 100 },
      this.counted,
    );
    return new Set(labels.map((label) => label.name.toLowerCase()));
  }

  async createLabel(name: string, color: string, description: string): Promise<void> {
    await this.write(
      "create label",
      name,
      async () => {
        try {
          await this.octokit.rest.issues.createLabel({ ...this.base, name, color, description });
        } catch (error) {
          // Created meanwhile by another delivery: that is what we wanted.
          if (statusOf(error) !== 422) throw error;
        }
      },
      () => undefined,
    );
  }

  async listMilestones(): Promise<MilestoneState[]> {
    const milestones = await this.octokit.paginate(
      this.octokit.rest.issues.listMilestones,
      { ...this.base, state: "all", per_page: 100 },
      this.counted,
    );
    return milestones.map((m) => ({
      number: m.number,
      title: m.title,
      state: m.state === "closed" ? ("closed" as const) : ("open" as const),
      dueDate: shownDueDate(m.due_on),
    }));
  }

  async createMilestone(
    title: string,
    dueOn: string | null,
    description: string,
  ): Promise<MilestoneState> {
    return this.write(
      "create milestone",
      title,
      async () => {
        try {
          const { data } = await this.octokit.rest.issues.createMilestone({
            ...this.base,
            title,
            description,
            ...(dueOn ? { due_on: dueOn } : {}),
            request: NO_RETRY,
          });
          return {
            number: data.number,
            title: data.title,
            state: "open" as const,
            dueDate: shownDueDate(data.due_on),
          };
        } catch (error) {
          // Created meanwhile by another delivery (422 already_exists): use that one.
          if (statusOf(error) !== 422) throw error;
          const existing = (await this.listMilestones()).find((m) => m.title === title);
          if (!existing) throw error;
          return existing;
        }
      },
      () => ({
        number: this.fakeNumber++,
        title,
        state: "open",
        dueDate: dueOn?.slice(0, 10) ?? null,
      }),
    );
  }

  async updateMilestone(
    number: number,
    patch: { due_on?: string; state?: "open" | "closed" },
  ): Promise<void> {
    await this.write(
      "update milestone",
      `milestone ${number}`,
      async () => {
        await this.octokit.rest.issues.updateMilestone({
          ...this.base,
          milestone_number: number,
          ...patch,
        });
      },
      () => undefined,
    );
  }

  /** The issue types the repository can use (its owner's); null where there are none (404). */
  async listIssueTypes(): Promise<string[] | null> {
    try {
      const { data } = await this.read(() =>
        this.octokit.request("GET /repos/{owner}/{repo}/issue-types", this.base),
      );
      return (data as { name: string }[]).map((type) => type.name);
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** The owner organization's issue fields; null where there are none or the app may not read them. */
  async listIssueFields(): Promise<IssueFieldDef[] | null> {
    try {
      const { data } = await this.read(() =>
        this.octokit.request("GET /orgs/{org}/issue-fields", { org: this.owner }),
      );
      return (data as RawField[]).map((field) => ({
        id: field.id,
        name: field.name,
        dataType: field.data_type,
        options: (field.options ?? []).map((option) => option.name),
      }));
    } catch (error) {
      // 403: the app lacks the "Issue Fields" organization permission; both mean none to use.
      if (statusOf(error) === 404 || statusOf(error) === 403) return null;
      throw error;
    }
  }

  /** Whether a login can be assigned issues here; asked once per login per run. */
  canAssign(login: string): Promise<boolean> {
    const key = login.toLowerCase();
    let answer = this.assignable.get(key);
    if (!answer) {
      answer = this.read(() =>
        this.octokit.rest.issues.checkUserCanBeAssigned({ ...this.base, assignee: login }),
      ).then(
        () => true,
        (error) => {
          if (statusOf(error) === 404) return false;
          throw error;
        },
      );
      this.assignable.set(key, answer);
    }
    return answer;
  }

  /**
   * Files changed between two commits. GitHub lists at most 300 files, on the first page only;
   * `complete` is false when the list may have been cut (the caller then reads the whole tree).
   * Null when GitHub no longer has one of the commits (a force push over history it dropped).
   */
  async compare(
    base: string,
    head: string,
  ): Promise<{ files: ChangedFile[]; complete: boolean } | null> {
    let data: Awaited<ReturnType<Octokit["rest"]["repos"]["compareCommitsWithBasehead"]>>["data"];
    try {
      ({ data } = await this.read(() =>
        this.octokit.rest.repos.compareCommitsWithBasehead({
          ...this.base,
          basehead: `${base}...${head}`,
          per_page: 100,
        }),
      ));
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
    const files = (data.files ?? []).map((file) => ({
      path: file.filename,
      status: file.status,
      previousPath: file.previous_filename ?? null,
    }));
    return { files, complete: files.length < 300 };
  }

  /** The commit a branch points at now, or null when the branch is gone. */
  async branchHead(branch: string): Promise<string | null> {
    try {
      const { data } = await this.read(() =>
        this.octokit.rest.git.getRef({ ...this.base, ref: `heads/${branch}` }),
      );
      return data.object.sha;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** A commit's author date (what the push webhook calls its timestamp). */
  async commitDate(sha: string): Promise<string | null> {
    const { data } = await this.read(() =>
      // One file per page: only the commit itself is wanted.
      this.octokit.rest.repos.getCommit({ ...this.base, ref: sha, per_page: 1 }),
    );
    return data.commit.author?.date ?? data.commit.committer?.date ?? null;
  }

  /** Files a pull request adds, changes, renames or removes (all pages). */
  async listPullFiles(number: number): Promise<ChangedFile[]> {
    const files = await this.octokit.paginate(
      this.octokit.rest.pulls.listFiles,
      { ...this.base, pull_number: number, per_page: 100 },
      this.counted,
    );
    return files.map((file) => ({
      path: file.filename,
      status: file.status,
      previousPath: file.previous_filename ?? null,
    }));
  }

  /** Open pull requests whose head is this commit. */
  async openPullsWithHead(sha: string): Promise<number[]> {
    const pulls = await this.octokit.paginate(
      this.octokit.rest.pulls.list,
      { ...this.base, state: "open", per_page: 100 },
      this.counted,
    );
    return pulls.filter((pull) => pull.head.sha === sha).map((pull) => pull.number);
  }

  /** Every open pull request, with its head commit. */
  async openPulls(): Promise<{ number: number; headSha: string }[]> {
    const pulls = await this.octokit.paginate(
      this.octokit.rest.pulls.list,
      { ...this.base, state: "open", per_page: 100 },
      this.counted,
    );
    return pulls.map((pull) => ({ number: pull.number, headSha: pull.head.sha }));
  }

  /** The repository's default branch. */
  async defaultBranch(): Promise<string> {
    const { data } = await this.read(() => this.octokit.rest.repos.get(this.base));
    return data.default_branch;
  }

  async getPull(number: number): Promise<{ number: number; headSha: string; state: string }> {
    const { data } = await this.read(() =>
      this.octokit.rest.pulls.get({ ...this.base, pull_number: number }),
    );
    return { number: data.number, headSha: data.head.sha, state: data.state };
  }

  /**
   * A completed check run. GitHub takes at most 50 annotations per request, so the rest follow
   * in updates of 50.
   */
  async completeCheckRun(input: {
    name: string;
    headSha: string;
    conclusion: "success" | "failure" | "neutral";
    output: CheckRunOutput;
    completedAt: Date;
  }): Promise<number> {
    const [first, ...rest] = chunks(input.output.annotations, 50);
    const id = await this.write(
      "create check run",
      input.name,
      async () => {
        const { data } = await this.octokit.rest.checks.create({
          ...this.base,
          name: input.name,
          head_sha: input.headSha,
          status: "completed",
          conclusion: input.conclusion,
          completed_at: input.completedAt.toISOString(),
          output: {
            title: input.output.title,
            summary: input.output.summary,
            annotations: first ?? [],
          },
        });
        return data.id;
      },
      () => this.fakeNumber++,
    );
    for (const batch of rest) {
      await this.write(
        "update check run",
        input.name,
        async () => {
          await this.octokit.rest.checks.update({
            ...this.base,
            check_run_id: id,
            output: {
              title: input.output.title,
              summary: input.output.summary,
              annotations: batch,
            },
          });
        },
        () => undefined,
      );
    }
    return id;
  }

  // ---- writing back to the repository: a commit on the app's own branch, and its pull request

  /** The tree of a commit. */
  async commitTree(sha: string): Promise<string> {
    const { data } = await this.read(() =>
      this.octokit.rest.git.getCommit({ ...this.base, commit_sha: sha }),
    );
    return data.tree.sha;
  }

  /**
   * A commit on top of `parent` whose tree is the parent's with one file set to `content`;
   * answers its sha. No branch moves: {@link setBranch} points one at it. GitHub writes it as
   * the token's identity (the app's bot, whose API commits it signs). Trees and commits are
   * named by their content, so a retried request cannot leave a duplicate anyone sees: these two
   * keep Octokit's retries.
   */
  async commitFile(input: {
    parent: string;
    path: string;
    content: string;
    message: string;
  }): Promise<string> {
    const baseTree = await this.commitTree(input.parent);
    const tree = await this.write(
      "create tree",
      input.path,
      async () => {
        const { data } = await this.octokit.rest.git.createTree({
          ...this.base,
          base_tree: baseTree,
          tree: [{ path: input.path, mode: "100644", type: "blob", content: input.content }],
        });
        return data.sha;
      },
      () => this.fakeSha(),
    );
    return this.write(
      "create commit",
      input.path,
      async () => {
        const { data } = await this.octokit.rest.git.createCommit({
          ...this.base,
          message: input.message,
          tree,
          parents: [input.parent],
        });
        return data.sha;
      },
      () => this.fakeSha(),
    );
  }

  /**
   * Points branch `name` at `sha`, creating it or moving it whatever it held (force). `exists`
   * says which to try first (the branch of an open pull request exists; a new pull request's
   * branch usually does not), so the usual case is one write; with `force` GitHub refuses a move
   * only when the branch is missing, and a create only when it is there.
   */
  async setBranch(name: string, sha: string, exists = true): Promise<void> {
    if (exists && (await this.moveBranch(name, sha))) return;
    if (await this.createBranch(name, sha)) return;
    if (!(await this.moveBranch(name, sha))) {
      throw new Error(`branch ${name} could be neither created nor moved to ${sha}`);
    }
  }

  /** False when there is no such branch (422 "Reference does not exist"). */
  private moveBranch(name: string, sha: string): Promise<boolean> {
    return this.write(
      "set branch",
      `${name} to ${sha}`,
      async () => {
        try {
          await this.octokit.rest.git.updateRef({
            ...this.base,
            ref: `heads/${name}`,
            sha,
            force: true,
          });
          return true;
        } catch (error) {
          if (refusedFor(error, /Reference does not exist/i)) return false;
          throw error;
        }
      },
      () => true,
    );
  }

  /** False when the branch exists already (422 "Reference already exists"). */
  private createBranch(name: string, sha: string): Promise<boolean> {
    return this.write(
      "create branch",
      `${name} at ${sha}`,
      async () => {
        try {
          await this.octokit.rest.git.createRef({
            ...this.base,
            ref: `refs/heads/${name}`,
            sha,
            request: NO_RETRY,
          });
          return true;
        } catch (error) {
          if (refusedFor(error, /Reference already exists/i)) return false;
          throw error;
        }
      },
      () => true,
    );
  }

  /** The pull requests from branch `name` of this repository, in any state, newest first. */
  async pullsFromBranch(name: string): Promise<PullSummary[]> {
    const pulls = await this.octokit.paginate(
      this.octokit.rest.pulls.list,
      {
        ...this.base,
        head: `${this.owner}:${name}`,
        state: "all",
        sort: "created",
        direction: "desc",
        per_page: 100,
      },
      this.counted,
    );
    // A fork of the same owner (another name) is not this repository's branch.
    const here = `${this.owner}/${this.repo}`.toLowerCase();
    return pulls
      .filter((pull) => pull.head.ref === name && pull.head.repo?.full_name.toLowerCase() === here)
      .map((pull) => this.pullSummary(pull));
  }

  /**
   * Opens a pull request from branch `head` into `base`. When one is open for them already
   * (another delivery opened it), that one is answered; null when `head` has no commit `base`
   * lacks (GitHub's 422 "No commits between").
   */
  async createPull(input: {
    title: string;
    body: string;
    head: string;
    base: string;
  }): Promise<PullSummary | null> {
    return this.write(
      "create pull request",
      `${input.head} into ${input.base}`,
      async () => {
        try {
          const { data } = await this.octokit.rest.pulls.create({
            ...this.base,
            title: input.title,
            body: this.markers.sign(input.body),
            head: input.head,
            base: input.base,
            request: NO_RETRY,
          });
          return this.pullSummary(data);
        } catch (error) {
          if (refusedFor(error, /No commits between/i)) return null;
          if (!refusedFor(error, /A pull request already exists/i)) throw error;
          const open = (await this.pullsFromBranch(input.head)).find(
            (pull) => pull.state === "open" && pull.baseRef === input.base,
          );
          if (!open) throw error;
          return open;
        }
      },
      () => ({
        number: this.fakeNumber++,
        state: "open" as const,
        merged: false,
        author: null,
        title: input.title,
        body: input.body,
        headRef: input.head,
        headSha: "",
        baseRef: input.base,
        htmlUrl: "",
      }),
    );
  }

  /** Edits, closes or reopens a pull request (reopening one that cannot be is GitHub's 422). */
  async updatePull(
    pull: PullSummary,
    patch: { title?: string; body?: string; state?: "open" | "closed" },
  ): Promise<PullSummary> {
    return this.write(
      "update pull request",
      `#${pull.number}`,
      async () => {
        const { data } = await this.octokit.rest.pulls.update({
          ...this.base,
          pull_number: pull.number,
          ...patch,
          ...(patch.body === undefined ? {} : { body: this.markers.sign(patch.body) }),
        });
        return this.pullSummary(data);
      },
      () => ({
        ...pull,
        ...(patch.title === undefined ? {} : { title: patch.title }),
        ...(patch.body === undefined ? {} : { body: patch.body }),
        ...(patch.state === undefined ? {} : { state: patch.state }),
      }),
    );
  }

  private pullSummary(pull: RawPull): PullSummary {
    return {
      number: pull.number,
      state: pull.state === "closed" ? "closed" : "open",
      merged: pull.merged_at !== null && pull.merged_at !== undefined,
      author: pull.user?.login ?? null,
      title: pull.title,
      body: this.markers.verify(pull.body ?? ""),
      headRef: pull.head.ref,
      headSha: pull.head.sha,
      baseRef: pull.base.ref,
      htmlUrl: pull.html_url,
    };
  }

  /** A made-up object id for dry runs. */
  private fakeSha(): string {
    return (this.fakeNumber++).toString(16).padStart(40, "0");
  }

  /** Every file path in the tree of a commit. */
  async listFiles(ref: string): Promise<string[]> {
    return (await this.listBlobs(ref)).map((blob) => blob.path);
  }

  /** Every file of the tree at `ref` with its git blob (one read, whatever the tree's size). */
  async listBlobs(ref: string): Promise<{ path: string; sha: string }[]> {
    const { data } = await this.read(() =>
      this.octokit.rest.git.getTree({ ...this.base, tree_sha: ref, recursive: "true" }),
    );
    return data.tree
      .filter((entry) => entry.type === "blob" && entry.path && entry.sha)
      .map((entry) => ({ path: entry.path as string, sha: entry.sha as string }));
  }

  async readFile(path: string, ref: string): Promise<string | null> {
    return (await this.readDocument(path, ref))?.content ?? null;
  }

  /** A file's text and git blob at `ref`; null when there is no such file. */
  async readDocument(path: string, ref: string): Promise<{ content: string; sha: string } | null> {
    try {
      const { data } = await this.read(() =>
        this.octokit.rest.repos.getContent({ ...this.base, path, ref }),
      );
      if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
      return { content: Buffer.from(data.content, "base64").toString("utf8"), sha: data.sha };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }
}

interface RawField {
  id: number;
  name: string;
  data_type: string;
  options?: { name: string }[] | null;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  annotations: CheckReport["annotations"];
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** A 422 for the reason `pattern` names: GitHub says it in its message or in a field error. */
function refusedFor(error: unknown, pattern: RegExp): boolean {
  if (statusOf(error) !== 422) return false;
  const data = (error as { response?: { data?: unknown } }).response?.data as
    | { message?: unknown; errors?: unknown }
    | undefined;
  const errors = Array.isArray(data?.errors) ? data.errors : [];
  const texts = [
    data?.message,
    ...errors.map((e: unknown) =>
      typeof e === "string" ? e : (e as { message?: unknown })?.message,
    ),
  ];
  return texts.some((text) => typeof text === "string" && pattern.test(text));
}

/** A 403 that says no permission, not a rate limit (those are waited out and retried). */
function isForbidden(error: unknown): boolean {
  const message = error instanceof Error ? error.message : "";
  return statusOf(error) === 403 && !/rate limit/i.test(message);
}

export function statusOf(error: unknown): number | undefined {
  return typeof error === "object" &&
    error !== null &&
    "status" in error &&
    typeof error.status === "number"
    ? error.status
    : undefined;
}
