/** REST representations of issues, pull requests, labels, milestones, comments and checks. */

import { iso, isoOrNull as isoN } from "./dates.js";
import { renderFieldValues, renderIssueType } from "./issue-meta.js";
import type {
  CheckRunState,
  CommentState,
  IssueState,
  LabelState,
  MilestoneState,
} from "./model.js";
import {
  nodeId,
  type Rest,
  renderApp,
  renderLogin,
  renderRepository,
  renderUser,
  WEB,
} from "./render-accounts.js";
import type { FakeRepo } from "./repo.js";

export function renderLabel(repo: FakeRepo, label: LabelState): Rest {
  return {
    id: label.id,
    node_id: nodeId("LA", label.id),
    url: `${repo.apiBase}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description,
  };
}

export function renderMilestone(repo: FakeRepo, m: MilestoneState): Rest {
  const url = `${repo.apiBase}/milestones/${m.number}`;
  const issues = repo.issueList().filter((i) => i.milestone === m.number);
  return {
    url,
    html_url: `${repo.htmlBase}/milestone/${m.number}`,
    labels_url: `${url}/labels`,
    id: m.id,
    node_id: nodeId("MI", m.id),
    number: m.number,
    state: m.state,
    title: m.title,
    description: m.description,
    creator: renderLogin(repo.world, m.creator),
    open_issues: issues.filter((i) => i.state === "open").length,
    closed_issues: issues.filter((i) => i.state === "closed").length,
    created_at: iso(m.createdAt),
    updated_at: iso(m.updatedAt),
    closed_at: isoN(m.closedAt),
    due_on: isoN(m.dueOn),
  };
}

function reactions(url: string): Rest {
  return {
    url: `${url}/reactions`,
    total_count: 0,
    "+1": 0,
    "-1": 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}

function association(repo: FakeRepo, login: string): string {
  if (login.toLowerCase() === repo.owner.login.toLowerCase()) return "OWNER";
  if (repo.isCollaborator(login)) return "COLLABORATOR";
  return "NONE";
}

export function renderIssue(repo: FakeRepo, issue: IssueState): Rest {
  const world = repo.world;
  const url = `${repo.apiBase}/issues/${issue.number}`;
  const milestone = issue.milestone === null ? undefined : repo.milestoneState(issue.milestone);
  const assignees = issue.assignees.map((login) => renderLogin(world, login));
  const out: Rest = {
    id: issue.id,
    node_id: nodeId(issue.pull ? "PR" : "I", issue.id),
    url,
    repository_url: repo.apiBase,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${repo.htmlBase}/${issue.pull ? "pull" : "issues"}/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: renderLogin(world, issue.author),
    labels: repo.issueLabels(issue).map((l) => renderLabel(repo, l)),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: milestone ? renderMilestone(repo, milestone) : null,
    locked: issue.locked,
    active_lock_reason: null,
    comments: repo.commentList(issue.number).length,
    closed_at: isoN(issue.closedAt),
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
    closed_by: issue.closedBy ? renderLogin(world, issue.closedBy) : null,
    author_association: association(repo, issue.author),
    reactions: reactions(url),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: issue.viaApp ? renderApp(world) : null,
  };
  if (!issue.pull) {
    const meta = world.orgMeta(repo.owner.login);
    const type = meta.types.find((t) => t.id === issue.type);
    out.type = type ? renderIssueType(type) : null;
    out.issue_field_values = renderFieldValues(meta, issue.fieldValues);
  }
  if (repo.subIssues && !issue.pull) {
    const subs = repo.subIssueList(issue.number);
    const completed = subs.filter((i) => i.state === "closed" && i.stateReason === "completed");
    out.parent_issue_url = issue.parent === null ? null : `${repo.apiBase}/issues/${issue.parent}`;
    out.sub_issues_summary = {
      total: subs.length,
      completed: completed.length,
      percent_completed: subs.length ? Math.floor((100 * completed.length) / subs.length) : 0,
    };
  }
  if (issue.pull) {
    const pullUrl = `${repo.htmlBase}/pull/${issue.number}`;
    out.draft = issue.pull.draft;
    out.pull_request = {
      url: `${repo.apiBase}/pulls/${issue.number}`,
      html_url: pullUrl,
      diff_url: `${pullUrl}.diff`,
      patch_url: `${pullUrl}.patch`,
      merged_at: isoN(issue.pull.mergedAt),
    };
  }
  return out;
}

export function renderComment(repo: FakeRepo, comment: CommentState): Rest {
  const url = `${repo.apiBase}/issues/comments/${comment.id}`;
  return {
    id: comment.id,
    node_id: nodeId("IC", comment.id),
    url,
    html_url: `${repo.htmlBase}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${repo.apiBase}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: renderLogin(repo.world, comment.author),
    created_at: iso(comment.createdAt),
    updated_at: iso(comment.updatedAt),
    author_association: association(repo, comment.author),
    performed_via_github_app: comment.viaApp ? renderApp(repo.world) : null,
    reactions: reactions(url),
  };
}

export function renderCheckRun(repo: FakeRepo, run: CheckRunState): Rest {
  const url = `${repo.apiBase}/check-runs/${run.id}`;
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId("CR", run.id),
    head_sha: run.headSha,
    external_id: run.externalId,
    url,
    html_url: `${repo.htmlBase}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${WEB}/apps/${repo.world.app.slug}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: isoN(run.startedAt),
    completed_at: isoN(run.completedAt),
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    check_suite: { id: run.checkSuiteId },
    app: renderApp(repo.world),
    pull_requests: repo
      .issueList()
      .filter((i) => i.pull && i.state === "open" && repo.pullHead(i) === run.headSha)
      .map((i) => renderPullMinimal(repo, i)),
  };
}

function renderPullMinimal(repo: FakeRepo, issue: IssueState): Rest {
  const ref = (name: string, sha: string) => ({
    ref: name,
    sha,
    repo: { id: repo.id, url: repo.apiBase, name: repo.name },
  });
  const pull = issue.pull;
  return {
    id: issue.id + 1_000_000,
    number: issue.number,
    url: `${repo.apiBase}/pulls/${issue.number}`,
    head: ref(pull?.headRef ?? "", repo.pullHead(issue)),
    base: ref(pull?.baseRef ?? "", repo.pullBase(issue)),
  };
}

function link(href: string): Rest {
  return { href };
}

export function renderPull(repo: FakeRepo, issue: IssueState, full: boolean): Rest {
  const world = repo.world;
  const pull = issue.pull;
  if (!pull) throw new Error(`#${issue.number} is not a pull request`);
  const url = `${repo.apiBase}/pulls/${issue.number}`;
  const html = `${repo.htmlBase}/pull/${issue.number}`;
  const issueUrl = `${repo.apiBase}/issues/${issue.number}`;
  const headSha = repo.pullHead(issue);
  const forkOwner = world.user(pull.forkOwner);
  const headOwner = pull.fromFork ? forkOwner : repo.owner;
  const milestone = issue.milestone === null ? undefined : repo.milestoneState(issue.milestone);
  const assignees = issue.assignees.map((login) => renderLogin(world, login));
  const out: Rest = {
    url,
    id: issue.id + 1_000_000,
    node_id: nodeId("PR", issue.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${repo.apiBase}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: `${repo.apiBase}/statuses/${headSha}`,
    number: issue.number,
    state: issue.state,
    locked: issue.locked,
    title: issue.title,
    user: renderLogin(world, issue.author),
    body: issue.body,
    labels: repo.issueLabels(issue).map((l) => renderLabel(repo, l)),
    milestone: milestone ? renderMilestone(repo, milestone) : null,
    active_lock_reason: null,
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
    closed_at: isoN(issue.closedAt),
    merged_at: isoN(pull.mergedAt),
    merge_commit_sha: pull.mergeCommitSha,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${headOwner.login}:${pull.headRef}`,
      ref: pull.headRef,
      sha: headSha,
      user: renderUser(world, headOwner),
      repo: renderRepository(repo, pull.fromFork ? { owner: forkOwner, fork: true } : {}),
    },
    base: {
      label: `${repo.owner.login}:${pull.baseRef}`,
      ref: pull.baseRef,
      sha: repo.pullBase(issue),
      user: renderUser(world, repo.owner),
      repo: renderRepository(repo),
    },
    _links: {
      self: link(url),
      html: link(html),
      issue: link(issueUrl),
      comments: link(`${issueUrl}/comments`),
      review_comments: link(`${url}/comments`),
      review_comment: link(`${repo.apiBase}/pulls/comments{/number}`),
      commits: link(`${url}/commits`),
      statuses: link(`${repo.apiBase}/statuses/${headSha}`),
    },
    author_association: association(repo, issue.author),
    auto_merge: null,
    draft: pull.draft,
  };
  if (!full) return out;
  const files = repo.pullFiles(issue);
  return {
    ...out,
    merged: pull.merged,
    mergeable: null,
    rebaseable: null,
    mergeable_state: "unknown",
    merged_by: pull.mergedBy ? renderLogin(world, pull.mergedBy) : null,
    comments: repo.commentList(issue.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: repo.pullCommits(issue).length,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}
