/** REST representations of the stored state, with the fields GitHub's description requires. */
import { iso, isoOrNull as isoN } from "./dates.js";
import type { FileChange } from "./git.js";
import type {
  AppInfo,
  CheckRunState,
  CommentState,
  CommitRecord,
  IssueState,
  LabelState,
  MilestoneState,
  UserRecord,
  World,
} from "./model.js";
import type { FakeRepo } from "./repo.js";

export type Rest = Record<string, unknown>;

const WEB = "https://github.com";
const EPOCH = new Date("2020-01-01T00:00:00Z");

export function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_${Buffer.from(`fake:${id}`).toString("base64url")}`;
}

/** Encodes each segment of a file path for use in a URL. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

export function renderUser(world: World, user: UserRecord): Rest {
  const login = encodeURIComponent(user.login);
  const base = `${world.apiUrl}/users/${login}`;
  const html =
    user.type === "Bot" ? `${WEB}/apps/${user.login.replace(/\[bot\]$/, "")}` : `${WEB}/${login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(
      user.type === "Bot" ? "BOT" : user.type === "Organization" ? "O" : "U",
      user.id,
    ),
    avatar_url: `https://avatars.githubusercontent.com/${user.type === "Bot" ? "in" : "u"}/${user.id}?v=4`,
    gravatar_id: "",
    url: base,
    html_url: html,
    followers_url: `${base}/followers`,
    following_url: `${base}/following{/other_user}`,
    gists_url: `${base}/gists{/gist_id}`,
    starred_url: `${base}/starred{/owner}{/repo}`,
    subscriptions_url: `${base}/subscriptions`,
    organizations_url: `${base}/orgs`,
    repos_url: `${base}/repos`,
    events_url: `${base}/events{/privacy}`,
    received_events_url: `${base}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

export function renderLogin(world: World, login: string): Rest {
  return renderUser(world, world.user(login));
}

export function renderApp(world: World, app: AppInfo = world.app): Rest {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("A", app.id),
    client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
    owner: renderLogin(world, app.owner),
    name: app.name,
    description: null,
    external_url: `${WEB}/apps/${app.slug}`,
    html_url: `${WEB}/apps/${app.slug}`,
    created_at: iso(EPOCH),
    updated_at: iso(EPOCH),
    permissions: app.permissions,
    events: app.events,
  };
}

export function renderRepository(
  repo: FakeRepo,
  override: { owner?: UserRecord; fork?: boolean } = {},
): Rest {
  const world = repo.world;
  const owner = override.owner ?? repo.owner;
  const full = `${owner.login}/${repo.name}`;
  const api = `${world.apiUrl}/repos/${full}`;
  const openIssues = repo.issueList().filter((i) => i.state === "open").length;
  return {
    id: override.owner ? repo.id + 500_000 : repo.id,
    node_id: nodeId("R", repo.id),
    name: repo.name,
    full_name: full,
    private: repo.private,
    owner: renderUser(world, owner),
    html_url: `${WEB}/${full}`,
    description: null,
    fork: override.fork ?? false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://github.com/${full}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@github.com:${full}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${WEB}/${full}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: `${WEB}/${full}`,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? "private" : "public",
    pushed_at: iso(repo.pushedAt ?? repo.createdAt),
    created_at: iso(repo.createdAt),
    updated_at: iso(repo.pushedAt ?? repo.createdAt),
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
    permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
  };
}

export function renderInstallation(world: World, id: number, account: UserRecord): Rest {
  return {
    id,
    client_id: `Iv1.${world.app.id.toString(16).padStart(16, "0")}`,
    account: renderUser(world, account),
    repository_selection: "all",
    access_tokens_url: `${world.apiUrl}/app/installations/${id}/access_tokens`,
    repositories_url: `${world.apiUrl}/installation/repositories`,
    html_url: `${WEB}/${account.type === "Organization" ? `organizations/${account.login}/` : ""}settings/installations/${id}`,
    app_id: world.app.id,
    app_slug: world.app.slug,
    target_id: account.id,
    target_type: account.type === "Organization" ? "Organization" : "User",
    permissions: world.app.permissions,
    events: world.app.events,
    created_at: iso(EPOCH),
    updated_at: iso(EPOCH),
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

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

export function renderCommit(repo: FakeRepo, commit: CommitRecord): Rest {
  const world = repo.world;
  const url = `${repo.apiBase}/commits/${commit.sha}`;
  const who = { name: commit.author.name, email: commit.author.email, date: iso(commit.date) };
  const user = commit.author.login ? renderLogin(world, commit.author.login) : null;
  return {
    url,
    sha: commit.sha,
    node_id: nodeId("C", commit.sha),
    html_url: `${repo.htmlBase}/commit/${commit.sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${repo.apiBase}/git/commits/${commit.sha}`,
      author: who,
      committer: who,
      message: commit.message,
      tree: { sha: commit.tree, url: `${repo.apiBase}/git/trees/${commit.tree}` },
      comment_count: 0,
      verification: {
        verified: false,
        reason: "unsigned",
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: user,
    committer: user,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repo.apiBase}/commits/${sha}`,
      html_url: `${repo.htmlBase}/commit/${sha}`,
    })),
  };
}

export function renderDiffEntry(repo: FakeRepo, change: FileChange, commitSha: string): Rest {
  const path = encodePath(change.filename);
  const out: Rest = {
    sha: change.sha,
    filename: change.filename,
    status: change.status,
    additions: change.additions,
    deletions: change.deletions,
    changes: change.additions + change.deletions,
    blob_url: `${repo.htmlBase}/blob/${commitSha}/${path}`,
    raw_url: `${repo.htmlBase}/raw/${commitSha}/${path}`,
    contents_url: `${repo.apiBase}/contents/${path}?ref=${commitSha}`,
  };
  if (change.previousFilename !== undefined) out.previous_filename = change.previousFilename;
  return out;
}

/** A file or directory entry as the contents API lists it. */
export function renderContentEntry(
  repo: FakeRepo,
  entry: { path: string; type: "file" | "dir"; sha: string; size: number },
  ref: string,
): Rest {
  const path = encodePath(entry.path);
  const self = `${repo.apiBase}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const git = `${repo.apiBase}/git/${entry.type === "dir" ? "trees" : "blobs"}/${entry.sha}`;
  const html = `${repo.htmlBase}/${entry.type === "dir" ? "tree" : "blob"}/${encodeURIComponent(ref)}/${path}`;
  return {
    type: entry.type,
    size: entry.size,
    name: entry.path.slice(entry.path.lastIndexOf("/") + 1),
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url:
      entry.type === "file"
        ? `https://raw.githubusercontent.com/${repo.fullName}/${encodeURIComponent(ref)}/${path}`
        : null,
    _links: { self, git, html },
  };
}

/** base64 wrapped at 60 columns, as the contents API sends it */
export function base64Lines(text: string): string {
  const encoded = Buffer.from(text, "utf8").toString("base64");
  return `${encoded.replace(/.{60}/g, "$&\n")}${encoded.length % 60 === 0 && encoded.length ? "" : "\n"}`;
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
