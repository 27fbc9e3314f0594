/** The git database API: commits, trees and branch refs, written as GitHub writes them. */
import { errorBody, type FakeResponse, HttpError, json, noContent, notFound } from "../http.js";
import type { CommitRecord } from "../model.js";
import { deleteBranch } from "../pull-requests.js";
import { renderGitCommit, renderGitRef, renderTree } from "../render-git.js";
import type { FakeRepo } from "../repo.js";
import { type Ctx, type Handler, repoOf, str } from "./context.js";

/** GitHub's 422 for the git database: a message, no field errors. */
function refused(message: string, violation?: string): HttpError {
  return new HttpError(422, errorBody(422, message), violation);
}

/** The git database of an empty repository answers 409. */
function gitOf(ctx: Ctx): FakeRepo {
  const repo = repoOf(ctx);
  if (repo.commits.size === 0) throw new HttpError(409, errorBody(409, "Git Repository is empty."));
  return repo;
}

const SHA = /^[0-9a-f]{40}$/;

// ---- trees -----------------------------------------------------------------------------------

interface TreeItem {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string | null;
  content?: string;
}

/** Paths git refuses in a tree: empty, `.`, `..` or `.git` components. */
function badPath(path: string): boolean {
  return path
    .split("/")
    .some((part) => part === "" || part === "." || part === ".." || part === ".git");
}

/**
 * Clears the way for an entry at `path`: whatever is there (a file or a whole directory), and any
 * file standing where one of its directories goes.
 */
function clear(files: Map<string, string>, path: string): void {
  files.delete(path);
  for (const key of [...files.keys()]) if (key.startsWith(`${path}/`)) files.delete(key);
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1))
    files.delete(path.slice(0, i));
}

function applyItem(repo: FakeRepo, files: Map<string, string>, item: TreeItem, index: number) {
  const path = item.path ?? "";
  const where = `tree[${index}]`;
  if (path === "" || badPath(path)) {
    throw refused(
      `${where}.path contains a malformed path component`,
      `${where}.path "${path}" is not a valid path`,
    );
  }
  const kind = `${item.mode} ${item.type}`;
  if (kind !== "100644 blob" && kind !== "040000 tree") {
    if (["100755 blob", "120000 blob", "160000 commit"].includes(kind)) {
      throw new Error(`the fake models only 100644 blobs and 040000 trees, not ${kind}`);
    }
    throw refused(
      `${where}: mode ${item.mode} does not fit type ${item.type}`,
      `${where} pairs mode ${item.mode} with type ${item.type}`,
    );
  }
  if (item.content !== undefined && typeof item.sha === "string") {
    throw refused(`${where}: use either sha or content`, `${where} sets both sha and content`);
  }
  if (item.sha === null) {
    clear(files, path);
    return;
  }
  if (item.content !== undefined) {
    if (item.type !== "blob")
      throw refused(`${where}: content is only for blobs`, `${where} gives content for a tree`);
    clear(files, path);
    files.set(path, repo.storeBlob(item.content));
    return;
  }
  const sha = (item.sha ?? "").toLowerCase();
  if (sha === "")
    throw refused(
      `Must supply ${where}.sha or ${where}.content`,
      `${where} has neither sha nor content`,
    );
  if (item.type === "blob") {
    if (!repo.blobs.has(sha)) throw refused(`${where}.sha ${sha} is not a valid blob`);
    clear(files, path);
    files.set(path, sha);
    return;
  }
  const subtree = repo.treeFiles(sha);
  if (!subtree) throw refused(`${where}.sha ${sha} is not a valid tree`);
  clear(files, path);
  for (const [name, blob] of subtree) files.set(`${path}/${name}`, blob);
}

function createTree(ctx: Ctx): FakeResponse {
  const repo = gitOf(ctx);
  const base = str(ctx.body.base_tree);
  const files = base === undefined ? new Map<string, string>() : repo.treeFiles(base.toLowerCase());
  if (!files) throw refused("base_tree is not a valid tree oid");
  const items = (ctx.body.tree ?? []) as TreeItem[];
  for (const [index, item] of items.entries()) applyItem(repo, files, item, index);
  const tree = repo.storeTree(files);
  return json(201, renderTree(repo, tree.sha, false), {
    location: `${repo.apiBase}/git/trees/${tree.sha}`,
  });
}

// ---- commits ---------------------------------------------------------------------------------

interface GitIdentity {
  name?: string;
  email?: string;
  date?: string;
}

function createCommit(ctx: Ctx): FakeResponse {
  const repo = gitOf(ctx);
  const b = ctx.body;
  const tree = String(b.tree).toLowerCase();
  const files = repo.treeFiles(tree);
  if (!files) throw refused("Tree SHA does not exist");
  const parents = ((b.parents ?? []) as string[]).map((p) => p.toLowerCase());
  if (parents.some((p) => !SHA.test(p))) {
    const message =
      "Each SHA in the 'parents' parameter must be exactly 40 characters and contain only [0-9a-f].";
    throw refused(message, message);
  }
  if (parents.some((p) => !repo.commits.has(p))) {
    throw refused("Parent SHA does not exist or is not a commit object");
  }
  const now = ctx.server.now();
  // Without an author GitHub writes the commit as the token's identity (the app's bot).
  const bot = ctx.server.user(ctx.actor.login);
  const self = {
    name: bot.login,
    email: `${bot.id}+${bot.login}@users.noreply.github.com`,
    login: bot.login,
  };
  const given = b.author as GitIdentity | undefined;
  const author = given
    ? { name: String(given.name), email: String(given.email), login: null }
    : self;
  const date = given?.date ? new Date(given.date) : now;
  const by = b.committer as GitIdentity | undefined;
  const committer = by
    ? {
        name: by.name ?? author.name,
        email: by.email ?? author.email,
        login: null,
        date: by.date ? new Date(by.date) : now,
      }
    : { ...author, date: now };
  const sha = repo.storeCommit(parents, files, String(b.message), {
    date,
    author,
    committer,
    signed: ctx.actor.viaApp && !given && !by,
    renames: new Map(),
  });
  const commit = repo.commits.get(sha) as CommitRecord;
  return json(201, renderGitCommit(repo, commit), {
    location: `${repo.apiBase}/git/commits/${sha}`,
  });
}

// ---- refs ------------------------------------------------------------------------------------

/** Branch names git accepts (`git check-ref-format`). */
function validBranch(name: string): boolean {
  const control = [...name].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f);
  return (
    name !== "" &&
    name !== "@" &&
    !control &&
    !/[~^:?*[\\]|\.\.|@\{|\/\/|^\/|\/$|\.$|\.lock$|(^|\/)\./.test(name)
  );
}

/** The branch a `heads/…` ref parameter names; the fake keeps no tags or other refs. */
function branchOf(ctx: Ctx): string {
  const ref = String(ctx.params.ref).replace(/^refs\//, "");
  if (!ref.startsWith("heads/")) {
    if (ref.startsWith("tags/")) throw new Error("the fake models only branches, not tags");
    throw refused("Reference does not exist");
  }
  return ref.slice("heads/".length);
}

function commitFor(repo: FakeRepo, value: unknown): string {
  const sha = String(value).toLowerCase();
  if (!repo.commits.has(sha)) throw refused("Object does not exist");
  return sha;
}

function createRef(ctx: Ctx): FakeResponse {
  const repo = gitOf(ctx);
  const ref = String(ctx.body.ref);
  if (!/^refs\/[^/]+\/./.test(ref)) {
    throw refused(
      `${ref} is not a valid ref name.`,
      `ref must be fully qualified (refs/heads/…), not "${ref}"`,
    );
  }
  if (ref.startsWith("refs/tags/")) throw new Error("the fake models only branches, not tags");
  const name = ref.slice("refs/heads/".length);
  if (!ref.startsWith("refs/heads/") || !validBranch(name)) {
    throw refused(`${ref} is not a valid ref name.`);
  }
  if (repo.branches.has(name)) throw refused("Reference already exists");
  const sha = commitFor(repo, ctx.body.sha);
  repo.moveBranch(name, sha);
  return json(201, renderGitRef(repo, name, sha), {
    location: `${repo.apiBase}/git/refs/heads/${name}`,
  });
}

function updateRef(ctx: Ctx): FakeResponse {
  const repo = gitOf(ctx);
  const name = branchOf(ctx);
  const current = repo.branches.get(name);
  if (current === undefined) throw refused("Reference does not exist");
  const sha = commitFor(repo, ctx.body.sha);
  if (ctx.body.force !== true && !repo.ancestors(sha).has(current)) {
    throw refused("Update is not a fast forward");
  }
  repo.moveBranch(name, sha);
  return json(200, renderGitRef(repo, name, sha));
}

export const gitHandlers: Record<string, Handler> = {
  "git/get-commit": (ctx) => {
    const repo = gitOf(ctx);
    const commit = repo.commits.get(String(ctx.params.commit_sha).toLowerCase());
    if (!commit) throw notFound();
    return json(200, renderGitCommit(repo, commit));
  },
  "git/create-tree": createTree,
  "git/create-commit": createCommit,
  "git/create-ref": createRef,
  "git/update-ref": updateRef,
  "git/delete-ref": (ctx) => {
    const repo = gitOf(ctx);
    try {
      deleteBranch(repo, branchOf(ctx), ctx.actor);
    } catch (error) {
      // The description documents this 422 without a body; GitHub sends its usual error body.
      if (!(error instanceof HttpError) || error.status !== 422) throw error;
      const body = { ...error.body, documentation_url: ctx.op.docsUrl };
      return { status: 422, raw: { text: JSON.stringify(body), mediaType: "application/json" } };
    }
    return noContent();
  },
};
