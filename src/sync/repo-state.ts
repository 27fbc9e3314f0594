/** What the app owns in a repository, read once per run with a few list calls filtered by its labels. */
import type { Config } from "../config.js";
import type { RepoClient } from "../github/client.js";
import { dueOnFor } from "./milestones.js";
import type { IssueState, MilestoneState } from "./model.js";

const LABEL_STYLE: Record<
  "tracking" | "action" | "review" | "other",
  { color: string; description: string }
> = {
  tracking: { color: "5319e7", description: "Tracks the follow-up actions of a post-mortem" },
  action: { color: "d93f0b", description: "A follow-up action from a post-mortem" },
  review: { color: "0e8a16", description: "Monthly review of open post-mortem actions" },
  other: { color: "c5def5", description: "Set from a post-mortem action" },
};

/** Lazily read, then kept up to date as the run writes, so each list call happens once per run. */
export class RepoState {
  private labels: Promise<Set<string>> | null = null;
  private milestones: Promise<MilestoneState[]> | null = null;
  private tracking: Promise<IssueState[]> | null = null;
  private actions: Promise<IssueState[]> | null = null;

  constructor(
    readonly gh: RepoClient,
    readonly config: Config,
  ) {}

  trackingIssues(): Promise<IssueState[]> {
    this.tracking ??= this.gh.listIssuesWithLabel(this.config.labels.tracking);
    return this.tracking;
  }

  actionIssues(): Promise<IssueState[]> {
    this.actions ??= this.gh.listIssuesWithLabel(this.config.labels.action);
    return this.actions;
  }

  /** Records an issue the run created or changed, so later documents in the same run see it. */
  async remember(issue: IssueState, kind: "tracking" | "action"): Promise<void> {
    const list = await (kind === "tracking" ? this.trackingIssues() : this.actionIssues());
    const index = list.findIndex((known) => known.number === issue.number);
    if (index === -1) list.push(issue);
    else list[index] = issue;
  }

  /** Creates the labels that are missing, with a colour and a description. */
  async ensureLabels(names: string[]): Promise<void> {
    this.labels ??= this.gh.listLabels();
    const existing = await this.labels;
    for (const name of names) {
      if (existing.has(name.toLowerCase())) continue;
      const style = LABEL_STYLE[this.labelKind(name)];
      await this.gh.createLabel(name, style.color, style.description);
      existing.add(name.toLowerCase());
    }
  }

  private labelKind(name: string): keyof typeof LABEL_STYLE {
    const { tracking, action, review } = this.config.labels;
    if (name === tracking) return "tracking";
    if (name === action) return "action";
    if (name === review) return "review";
    return "other";
  }

  /** The number of the milestone with this title, created (due on `dueOn`) when missing. */
  async milestoneNumber(title: string, dueOn: string | null): Promise<number> {
    this.milestones ??= this.gh.listMilestones();
    const milestones = await this.milestones;
    const found = milestones.find((m) => m.title === title);
    if (found) {
      if (dueOn && found.dueDate !== dueOn) {
        await this.gh.updateMilestone(found.number, { due_on: dueOnFor(dueOn) });
        found.dueDate = dueOn;
      }
      return found.number;
    }
    const created = await this.gh.createMilestone(
      title,
      dueOn ? dueOnFor(dueOn) : null,
      "Post-mortem follow-up actions due by this date.",
    );
    milestones.push(created);
    return created.number;
  }
}
