/** REST representations of accounts and repositories, with the fields the description requires. */
import { iso } from "./dates.js";
import type { AppInfo, UserRecord, World } from "./model.js";
import type { FakeRepo } from "./repo.js";

export type Rest = Record<string, unknown>;

export const WEB = "https://github.com";
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
