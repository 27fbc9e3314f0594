/**
 * The reads of one run over one repository, made once and shared by every document of the run;
 * the applier tells it what it wrote, so later documents see it. It never writes to GitHub.
 */
import type { Config } from "../core/config.js";
import type { IssueFieldDef, IssueState, MilestoneState } from "../core/plan/model.js";
import { type NativeCatalog, wantsNative } from "../core/plan/native.js";
import type { RepoClient } from "../github/client.js";

/** Tells the app's own issues (and pull requests) from others': only what the app opened is the app's. */
export type Ownership = (item: { author: string | null }) => boolean;

/** Ownership by author login (`{slug}[bot]` for the app, `github-actions[bot]` in the Action). */
export function openedBy(login: string): Ownership {
  const wanted = login.toLowerCase();
  return (issue) => issue.author?.toLowerCase() === wanted;
}

/** Any app's bot account: people cannot open issues as one. */
export const openedByABot: Ownership = (issue) => issue.author?.endsWith("[bot]") ?? false;

export class RepoReads {
  private tracking: Promise<IssueState[]> | null = null;
  private actions: Promise<IssueState[]> | null = null;
  private labelNames: Promise<string[]> | null = null;
  private milestoneList: Promise<MilestoneState[]> | null = null;
  private types: Promise<string[] | null> | null = null;
  private fields: Promise<IssueFieldDef[] | null> | null = null;

  constructor(
    readonly gh: RepoClient,
    readonly config: Config,
    readonly owns: Ownership,
  ) {}

  trackingIssues(): Promise<IssueState[]> {
    this.tracking ??= this.listOwned(this.config.labels.tracking);
    return this.tracking;
  }

  actionIssues(): Promise<IssueState[]> {
    this.actions ??= this.listOwned(this.config.labels.action);
    return this.actions;
  }

  /** Issues with a label that the app opened (a person's issue with the label is not one). */
  async listOwned(
    label: string,
    state: "open" | "closed" | "all" = "all",
    since?: string,
  ): Promise<IssueState[]> {
    return (await this.gh.listIssuesWithLabel(label, state, since)).filter(this.owns);
  }

  /** One issue by number: null when GitHub no longer has it, `foreign` when the app did not open it. */
  async ownedIssue(number: number): Promise<IssueState | null | "foreign"> {
    const issue = await this.gh.getIssue(number);
    if (!issue) return null;
    return this.owns(issue) ? issue : "foreign";
  }

  labels(): Promise<string[]> {
    this.labelNames ??= this.gh.listLabels().then((names) => [...names]);
    return this.labelNames;
  }

  milestones(): Promise<MilestoneState[]> {
    this.milestoneList ??= this.gh.listMilestones();
    return this.milestoneList;
  }

  /** The owner's issue types and fields, each read once per run and only when the config asks. */
  async nativeCatalog(): Promise<NativeCatalog | null> {
    const { config } = this;
    if (!wantsNative(config)) return null;
    if (config.issue_type || config.tracking.issue_type) this.types ??= this.gh.listIssueTypes();
    if (config.fields.due || config.fields.priority) this.fields ??= this.gh.listIssueFields();
    return { types: (await this.types) ?? null, fields: (await this.fields) ?? null };
  }

  canAssign(login: string): Promise<boolean> {
    return this.gh.canAssign(login);
  }

  /** An issue this run created or changed, so the documents after it see it as it is now. */
  async remember(issue: IssueState, kind: "tracking" | "action"): Promise<void> {
    const list = await (kind === "tracking" ? this.trackingIssues() : this.actionIssues());
    const index = list.findIndex((known) => known.number === issue.number);
    if (index === -1) list.push(issue);
    else list[index] = issue;
  }

  async rememberLabel(name: string): Promise<void> {
    if (this.labelNames) (await this.labelNames).push(name.toLowerCase());
  }

  async rememberMilestone(milestone: MilestoneState): Promise<void> {
    if (!this.milestoneList) return;
    const list = await this.milestoneList;
    const index = list.findIndex((known) => known.number === milestone.number);
    if (index === -1) list.push(milestone);
    else list[index] = milestone;
  }
}
