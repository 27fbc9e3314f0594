import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import type { FakeGitHub, FakeRepo } from "./support/fake-github/index.js";
import { mergeText } from "./support/fake-github/merge.js";
import { useFakeGitHub } from "./support/fake-github/vitest.js";

const owner = "acme";
const repoName = "service";
const r = { owner, repo: repoName };
const doc = "docs/postmortems/2026-03-01-db.md";

function client(gh: FakeGitHub): Octokit {
  const quiet = () => {};
  return new Octokit({
    auth: gh.installationToken(1),
    request: { fetch: gh.fetch },
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
}

function seed(gh: FakeGitHub): FakeRepo {
  const repo = gh.addRepo(owner, repoName);
  repo.addCollaborator("alice");
  return repo;
}

interface Refusal {
  status: number;
  message: string;
  errors: { code: string; field?: string; message?: string }[];
}

/** What GitHub answered to a request that had to fail. */
async function refusal(promise: Promise<unknown>): Promise<Refusal> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; response?: { data?: Partial<Refusal> } };
    return {
      status: e.status,
      message: e.response?.data?.message ?? "",
      errors: e.response?.data?.errors ?? [],
    };
  }
  throw new Error("the request succeeded");
}

describe("FakeGitHub git database", () => {
  const github = useFakeGitHub({ now: () => new Date("2026-03-02T09:00:00Z") });

  it("reads a commit: tree, parents, message, author, and 404 for an unknown sha", async () => {
    const gh = github();
    const repo = seed(gh);
    const first = repo.commit({ "README.md": "hi\n" });
    const second = repo.commit(
      { [doc]: "# DB\n" },
      { message: "Add post-mortem", author: "alice" },
    );
    const octokit = client(gh);
    const { data } = await octokit.git.getCommit({ ...r, commit_sha: second });
    expect(data).toMatchObject({
      sha: second,
      tree: { sha: repo.commits.get(second)?.tree },
      parents: [{ sha: first }],
      message: "Add post-mortem",
      author: { name: "alice", email: "alice@users.noreply.github.com" },
      verification: { verified: false, reason: "unsigned" },
    });
    const missing = await refusal(octokit.git.getCommit({ ...r, commit_sha: "f".repeat(40) }));
    expect(missing.status).toBe(404);
  });

  it("builds a tree on a base tree: nested paths make sub-trees, null deletes, shas are git's", async () => {
    const gh = github();
    const repo = seed(gh);
    const base = repo.commit({ "README.md": "hi\n", "docs/old.md": "old\n" });
    const octokit = client(gh);
    const baseTree = repo.commits.get(base)?.tree as string;
    const { data: tree, headers } = await octokit.git.createTree({
      ...r,
      base_tree: baseTree,
      tree: [
        { path: doc, mode: "100644", type: "blob", content: "# DB\n" },
        { path: "docs/old.md", mode: "100644", type: "blob", sha: null },
      ],
    });
    expect(headers.location).toBe(
      `https://api.github.com/repos/${owner}/${repoName}/git/trees/${tree.sha}`,
    );
    expect(tree.tree.map((e) => [e.path, e.type])).toEqual([
      ["README.md", "blob"],
      ["docs", "tree"],
    ]);
    expect(repo.treeFiles(tree.sha)).toEqual(
      new Map([
        ["README.md", repo.commits.get(base)?.files.get("README.md")],
        [doc, expect.any(String)],
      ]),
    );
    // The same files committed the ordinary way give the same tree.
    const same = repo.commit(
      { [doc]: "# DB\n", "docs/old.md": null },
      { branch: "elsewhere", from: base },
    );
    expect(repo.commits.get(same)?.tree).toBe(tree.sha);

    // An existing blob by sha, and a whole sub-tree by sha.
    const readme = repo.commits.get(base)?.files.get("README.md") as string;
    const docsTree = repo.commits.get(base)?.dirs.get("docs") as string;
    const { data: copied } = await octokit.git.createTree({
      ...r,
      tree: [
        { path: "COPY.md", mode: "100644", type: "blob", sha: readme },
        { path: "archive/docs", mode: "040000", type: "tree", sha: docsTree },
      ],
    });
    expect([...(repo.treeFiles(copied.sha)?.keys() ?? [])].sort()).toEqual([
      "COPY.md",
      "archive/docs/old.md",
    ]);
  });

  it("refuses an unknown base tree or blob, and entries GitHub rejects", async () => {
    const gh = github();
    const repo = seed(gh);
    const base = repo.commit({ "README.md": "hi\n" });
    const octokit = client(gh);
    const entry = { path: "a.md", mode: "100644" as const, type: "blob" as const };
    // A commit sha is not a tree.
    const notTree = await refusal(
      octokit.git.createTree({ ...r, base_tree: base, tree: [{ ...entry, content: "a" }] }),
    );
    expect(notTree).toMatchObject({ status: 422, message: "base_tree is not a valid tree oid" });
    const unknownBlob = await refusal(
      octokit.git.createTree({ ...r, tree: [{ ...entry, sha: "a".repeat(40) }] }),
    );
    expect(unknownBlob).toMatchObject({ status: 422 });
    expect(unknownBlob.message).toMatch(/is not a valid blob/);
    expect(gh.takeViolations()).toEqual([]);

    const both = await refusal(
      octokit.git.createTree({
        ...r,
        tree: [{ ...entry, content: "a", sha: "a".repeat(40) }],
      }),
    );
    const badPath = await refusal(
      octokit.git.createTree({ ...r, tree: [{ ...entry, path: "/a.md", content: "a" }] }),
    );
    expect([both.status, badPath.status]).toEqual([422, 422]);
    expect(gh.takeViolations().map((v) => v.message)).toEqual([
      "tree[0] sets both sha and content",
      'tree[0].path "/a.md" is not a valid path',
    ]);
  });

  it("answers 409 for the git database of an empty repository", async () => {
    const gh = github();
    seed(gh);
    const octokit = client(gh);
    const empty = await refusal(
      octokit.git.createTree({
        ...r,
        tree: [{ path: "a.md", mode: "100644", type: "blob", content: "a" }],
      }),
    );
    expect(empty).toMatchObject({ status: 409, message: "Git Repository is empty." });
  });

  it("creates a commit as the app's bot, signed, on no branch until a ref points at it", async () => {
    const gh = github();
    const repo = seed(gh);
    const base = repo.commit({ [doc]: "# DB\n" });
    const octokit = client(gh);
    const { data: tree } = await octokit.git.createTree({
      ...r,
      base_tree: repo.commits.get(base)?.tree,
      tree: [{ path: doc, mode: "100644", type: "blob", content: "# DB\n\nlinked\n" }],
    });
    const { data: commit } = await octokit.git.createCommit({
      ...r,
      message: "Link the follow-up issues",
      tree: tree.sha,
      parents: [base],
    });
    const bot = gh.user(gh.botLogin);
    expect(commit).toMatchObject({
      tree: { sha: tree.sha },
      parents: [{ sha: base }],
      message: "Link the follow-up issues",
      author: {
        name: "follow-through[bot]",
        email: `${bot.id}+follow-through[bot]@users.noreply.github.com`,
        date: "2026-03-02T09:00:00Z",
      },
      verification: { verified: true, reason: "valid" },
    });
    expect(repo.head()).toBe(base);
    expect(repo.file(doc, commit.sha)).toBe("# DB\n\nlinked\n");
    const { data: rest } = await octokit.repos.getCommit({ ...r, ref: commit.sha });
    expect(rest.author?.login).toBe("follow-through[bot]");
    expect(rest.files?.map((f) => [f.status, f.filename])).toEqual([["modified", doc]]);

    const { data: byPerson } = await octokit.git.createCommit({
      ...r,
      message: "By hand",
      tree: tree.sha,
      parents: [base],
      author: { name: "Alice", email: "alice@example.com", date: "2026-03-01T08:00:00Z" },
    });
    expect(byPerson).toMatchObject({
      author: { name: "Alice", date: "2026-03-01T08:00:00Z" },
      committer: { name: "Alice", date: "2026-03-02T09:00:00Z" },
      verification: { verified: false },
    });
  });

  it("refuses a commit of an unknown tree or parent", async () => {
    const gh = github();
    const repo = seed(gh);
    const base = repo.commit({ "README.md": "hi\n" });
    const tree = repo.commits.get(base)?.tree as string;
    const octokit = client(gh);
    const noTree = await refusal(
      octokit.git.createCommit({ ...r, message: "m", tree: "b".repeat(40), parents: [base] }),
    );
    expect(noTree).toMatchObject({ status: 422, message: "Tree SHA does not exist" });
    const noParent = await refusal(
      octokit.git.createCommit({ ...r, message: "m", tree, parents: ["c".repeat(40)] }),
    );
    expect(noParent).toMatchObject({
      status: 422,
      message: "Parent SHA does not exist or is not a commit object",
    });
    const short = await refusal(
      octokit.git.createCommit({ ...r, message: "m", tree, parents: [base.slice(0, 7)] }),
    );
    expect(short.status).toBe(422);
    expect(gh.takeViolations()).toHaveLength(1);
  });

  it("creates a branch ref once: 422 when it exists, for an unknown commit, or a short ref", async () => {
    const gh = github();
    const repo = seed(gh);
    const base = repo.commit({ "README.md": "hi\n" });
    const octokit = client(gh);
    const { data: ref, status } = await octokit.git.createRef({
      ...r,
      ref: "refs/heads/follow-through/db",
      sha: base,
    });
    expect(status).toBe(201);
    expect(ref).toMatchObject({ ref: "refs/heads/follow-through/db", object: { sha: base } });
    expect(repo.head("follow-through/db")).toBe(base);
    const again = await refusal(
      octokit.git.createRef({ ...r, ref: "refs/heads/follow-through/db", sha: base }),
    );
    expect(again).toMatchObject({ status: 422, message: "Reference already exists" });
    const unknown = await refusal(
      octokit.git.createRef({ ...r, ref: "refs/heads/other", sha: "d".repeat(40) }),
    );
    expect(unknown).toMatchObject({ status: 422, message: "Object does not exist" });
    expect(repo.head("other")).toBeUndefined();
    expect(gh.takeViolations()).toEqual([]);

    const short = await refusal(octokit.git.createRef({ ...r, ref: "heads/other", sha: base }));
    const badName = await refusal(
      octokit.git.createRef({ ...r, ref: "refs/heads/a..b", sha: base }),
    );
    expect([short.status, badName.status]).toEqual([422, 422]);
    expect(badName.message).toBe("refs/heads/a..b is not a valid ref name.");
    expect(gh.takeViolations()).toHaveLength(1);
  });

  it("moves a branch: fast-forward, or forced; 422 for a missing ref or a rewrite without force", async () => {
    const gh = github();
    const repo = seed(gh);
    const base = repo.commit({ "README.md": "hi\n" });
    repo.createBranch("fix", base);
    const ahead = repo.commit({ "a.md": "a\n" }, { branch: "side", from: base });
    const other = repo.commit({ "b.md": "b\n" }, { branch: "other", from: base });
    const octokit = client(gh);

    const { data } = await octokit.git.updateRef({ ...r, ref: "heads/fix", sha: ahead });
    expect(data.object.sha).toBe(ahead);
    const rewrite = await refusal(octokit.git.updateRef({ ...r, ref: "heads/fix", sha: other }));
    expect(rewrite).toMatchObject({ status: 422, message: "Update is not a fast forward" });
    expect(repo.head("fix")).toBe(ahead);
    await octokit.git.updateRef({ ...r, ref: "heads/fix", sha: other, force: true });
    expect(repo.head("fix")).toBe(other);

    const missing = await refusal(
      octokit.git.updateRef({ ...r, ref: "heads/nowhere", sha: base, force: true }),
    );
    expect(missing).toMatchObject({ status: 422, message: "Reference does not exist" });
    const unknown = await refusal(
      octokit.git.updateRef({ ...r, ref: "heads/fix", sha: "e".repeat(40), force: true }),
    );
    expect(unknown).toMatchObject({ status: 422, message: "Object does not exist" });
  });

  it("deletes a branch, closing the pull requests from it; never the default branch", async () => {
    const gh = github();
    const repo = seed(gh);
    repo.commit({ "README.md": "hi\n" });
    const head = repo.commit({ [doc]: "# DB\n" }, { branch: "pm" });
    const number = repo.openPullRequest({ head: "pm", title: "Post-mortem" });
    const octokit = client(gh);
    const { status } = await octokit.git.deleteRef({ ...r, ref: "heads/pm" });
    expect(status).toBe(204);
    expect(repo.head("pm")).toBeUndefined();
    expect(repo.pulls()).toMatchObject([{ number, state: "closed", merged: false, headSha: head }]);
    const again = await refusal(octokit.git.deleteRef({ ...r, ref: "heads/pm" }));
    expect(again).toMatchObject({ status: 422, message: "Reference does not exist" });
    const main = await refusal(octokit.git.deleteRef({ ...r, ref: "heads/main" }));
    expect(main.status).toBe(422);
    expect(repo.head()).toBeDefined();
  });
});

describe("FakeGitHub pull requests through the API", () => {
  const github = useFakeGitHub({ now: () => new Date("2026-03-02T09:00:00Z") });

  /** main with a post-mortem, and branch `ft/db` one commit ahead of it. */
  function withBranch(gh: FakeGitHub) {
    const repo = seed(gh);
    const base = repo.commit({ [doc]: "# DB\n\n| Action |\n| a |\n" });
    const head = repo.commit(
      { [doc]: "# DB\n\n| Action |\n| a #1 |\n" },
      { branch: "ft/db", from: base },
    );
    return { repo, base, head };
  }

  it("opens a pull request as the app's bot, from a branch or owner:branch", async () => {
    const gh = github();
    const { repo, head } = withBranch(gh);
    const octokit = client(gh);
    const { data: pull, headers } = await octokit.pulls.create({
      ...r,
      title: "Link follow-up issues",
      body: "The issues opened for this post-mortem.",
      head: "ft/db",
      base: "main",
      maintainer_can_modify: false,
    });
    expect(headers.location).toBe(
      `https://api.github.com/repos/${owner}/${repoName}/pulls/${pull.number}`,
    );
    expect(pull).toMatchObject({
      state: "open",
      merged: false,
      user: { login: "follow-through[bot]", type: "Bot" },
      head: { ref: "ft/db", sha: head, label: `${owner}:ft/db` },
      base: { ref: "main" },
      body: "The issues opened for this post-mortem.",
      changed_files: 1,
    });
    const { data: asIssue } = await octokit.issues.get({ ...r, issue_number: pull.number });
    expect(asIssue.performed_via_github_app?.slug).toBe("follow-through");
    expect(repo.pulls()).toEqual([
      {
        number: pull.number,
        title: "Link follow-up issues",
        body: "The issues opened for this post-mortem.",
        state: "open",
        merged: false,
        author: "follow-through[bot]",
        viaApp: true,
        head: "ft/db",
        base: "main",
        headSha: head,
        baseSha: repo.head(),
      },
    ]);

    // A second branch, named with its owner.
    repo.commit({ "b.md": "b\n" }, { branch: "ft/other" });
    const { data: second } = await octokit.pulls.create({
      ...r,
      title: "Other",
      head: `${owner}:ft/other`,
      base: "main",
    });
    expect(second.head.ref).toBe("ft/other");
  });

  it("refuses a second open pull request for the same branches, and one with nothing to merge", async () => {
    const gh = github();
    const { repo, base } = withBranch(gh);
    const octokit = client(gh);
    const input = { ...r, title: "Link", head: "ft/db", base: "main" };
    await octokit.pulls.create(input);
    const twice = await refusal(octokit.pulls.create(input));
    expect(twice).toMatchObject({
      status: 422,
      message: "Validation Failed",
      errors: [{ code: "custom", message: `A pull request already exists for ${owner}:ft/db.` }],
    });
    repo.createBranch("empty", base);
    const nothing = await refusal(octokit.pulls.create({ ...input, head: "empty" }));
    expect(nothing.errors).toEqual([
      { resource: "PullRequest", code: "custom", message: "No commits between main and empty" },
    ]);
    const unknown = await refusal(octokit.pulls.create({ ...input, head: "nowhere" }));
    expect(unknown.errors).toEqual([{ resource: "PullRequest", field: "head", code: "invalid" }]);
    const noBase = await refusal(octokit.pulls.create({ ...input, base: "nowhere" }));
    expect(noBase.errors).toEqual([{ resource: "PullRequest", field: "base", code: "invalid" }]);
    expect(repo.pulls()).toHaveLength(1);
  });

  it("follows its branch while open, keeps its commits while closed, and follows again on reopen", async () => {
    const gh = github();
    const { repo, base } = withBranch(gh);
    const octokit = client(gh);
    const { data: pull } = await octokit.pulls.create({
      ...r,
      title: "Link",
      head: "ft/db",
      base: "main",
    });
    const n = { ...r, pull_number: pull.number };
    const rebuilt = repo.commit(
      { [doc]: "# DB\n\n| Action |\n| a #2 |\n" },
      {
        branch: "rebuilt",
        from: base,
      },
    );
    await octokit.git.updateRef({ ...r, ref: "heads/ft/db", sha: rebuilt, force: true });
    expect((await octokit.pulls.get(n)).data.head.sha).toBe(rebuilt);

    const { data: closed } = await octokit.pulls.update({ ...n, state: "closed" });
    expect(closed).toMatchObject({ state: "closed", merged: false, head: { sha: rebuilt } });
    const later = repo.commit({ "c.md": "c\n" }, { branch: "ft/db" });
    expect((await octokit.pulls.get(n)).data.head.sha).toBe(rebuilt);

    const { data: reopened } = await octokit.pulls.update({
      ...n,
      state: "open",
      title: "Link the issues",
      body: "new body",
    });
    expect(reopened).toMatchObject({
      state: "open",
      title: "Link the issues",
      body: "new body",
      head: { sha: later },
      closed_at: null,
    });
  });

  it("refuses to reopen beside another open one, after its branch is gone, or once merged", async () => {
    const gh = github();
    const { repo } = withBranch(gh);
    const octokit = client(gh);
    const input = { ...r, title: "Link", head: "ft/db", base: "main" };
    const { data: first } = await octokit.pulls.create(input);
    await octokit.pulls.update({ ...r, pull_number: first.number, state: "closed" });
    const { data: second } = await octokit.pulls.create(input);
    const beside = await refusal(
      octokit.pulls.update({ ...r, pull_number: first.number, state: "open" }),
    );
    expect(beside.errors[0]?.message).toBe(`A pull request already exists for ${owner}:ft/db.`);

    repo.mergePull(second.number);
    const merged = await refusal(
      octokit.pulls.update({ ...r, pull_number: second.number, state: "open" }),
    );
    expect(merged.status).toBe(422);
    await octokit.git.deleteRef({ ...r, ref: "heads/ft/db" });
    const gone = await refusal(
      octokit.pulls.update({ ...r, pull_number: first.number, state: "open" }),
    );
    expect(gone.status).toBe(422);
    expect(repo.pulls().map((p) => [p.number, p.state, p.merged])).toEqual([
      [first.number, "closed", false],
      [second.number, "closed", true],
    ]);
  });
});

describe("FakeRepo merging and closing pull requests", () => {
  const github = useFakeGitHub({ now: () => new Date("2026-03-02T09:00:00Z") });

  it("merges with a merge commit whose tree has both sides' changes, and marks the PR merged", async () => {
    const gh = github();
    const repo = seed(gh);
    const base = repo.commit({ [doc]: "# DB\n\nline 1\nline 2\nline 3\nline 4\n", "x.md": "x\n" });
    repo.commit(
      { [doc]: "# DB\n\nline 1 #7\nline 2\nline 3\nline 4\n" },
      { branch: "ft", from: base },
    );
    const number = repo.openPullRequest({ head: "ft", title: "Link", user: gh.botLogin });
    // Meanwhile main changes another line of the same file, and another file.
    const moved = repo.commit({
      [doc]: "# DB\n\nline 1\nline 2\nline 3\nline 4 edited\n",
      "x.md": null,
    });
    const head = repo.head("ft");

    const merge = repo.mergePull(number, { login: "alice" });
    expect(repo.head()).toBe(merge);
    expect(repo.commits.get(merge)?.parents).toEqual([moved, head]);
    expect(repo.file(doc)).toBe("# DB\n\nline 1 #7\nline 2\nline 3\nline 4 edited\n");
    expect(repo.file("x.md")).toBeUndefined();
    expect(repo.pulls()).toMatchObject([{ number, state: "closed", merged: true }]);
    const { data } = await client(gh).pulls.get({ ...r, pull_number: number });
    expect(data).toMatchObject({
      merged: true,
      merge_commit_sha: merge,
      merged_by: { login: "alice" },
    });
    expect(() => repo.mergePull(number)).toThrow(/not an open PR/);
  });

  it("follows a file the pull request renames into the changes the base made to it", () => {
    const gh = github();
    const repo = seed(gh);
    const base = repo.commit({ "docs/postmortems/db.md": "# DB\n\na\nb\nc\n" });
    repo.commit(
      { [doc]: "# DB\n\na\nb\nc\n" },
      { branch: "ft", from: base, renames: { "docs/postmortems/db.md": doc } },
    );
    const number = repo.openPullRequest({ head: "ft", title: "Rename" });
    repo.commit({ "docs/postmortems/db.md": "# DB\n\na\nb (edited)\nc\n" });
    const merge = repo.mergePull(number);
    expect(repo.file(doc)).toBe("# DB\n\na\nb (edited)\nc\n");
    expect(repo.file("docs/postmortems/db.md")).toBeUndefined();
    expect(repo.diff(base, merge)).toMatchObject([
      { status: "renamed", previousFilename: "docs/postmortems/db.md", filename: doc },
    ]);
  });

  it("throws on a conflict and leaves the base branch and the pull request alone", () => {
    const gh = github();
    const repo = seed(gh);
    const base = repo.commit({ [doc]: "a\nb\nc\n" });
    repo.commit({ [doc]: "a\nb #1\nc\n" }, { branch: "ft", from: base });
    const number = repo.openPullRequest({ head: "ft", title: "Link" });
    const moved = repo.commit({ [doc]: "a\nb (owner changed)\nc\n" });
    expect(() => repo.mergePull(number)).toThrow(
      `#${number} cannot be merged: ${doc} has conflicting changes`,
    );
    expect(repo.head()).toBe(moved);
    expect(repo.pulls()[0]).toMatchObject({ state: "open", merged: false });
  });

  it("closes without merging, as a person, and keeps the head it had", () => {
    const gh = github();
    const repo = seed(gh);
    repo.commit({ "README.md": "hi\n" });
    const head = repo.commit({ [doc]: "# DB\n" }, { branch: "ft" });
    const number = repo.openPullRequest({ head: "ft", title: "Link" });
    const rest = repo.closePull(number, { login: "alice" });
    expect(rest).toMatchObject({ state: "closed", merged: false, head: { sha: head } });
    const more = repo.commit({ "more.md": "x\n" }, { branch: "ft" });
    expect(repo.pulls()[0]).toMatchObject({ state: "closed", headSha: head });
    // Reopening through the issue follows the branch again.
    repo.userUpdateIssue(number, { state: "open" });
    expect(repo.pulls()[0]).toMatchObject({ state: "open", headSha: more });
    expect(repo.pull(number)).toMatchObject({ state: "open", closed_at: null });
    expect(() => repo.closePull(repo.issues().length + 99)).toThrow(/404/);
  });
});

describe("three-way merge of text", () => {
  it("takes each side's change to different lines, and either side's alone", () => {
    const base = "a\nb\nc\nd\n";
    expect(mergeText(base, "A\nb\nc\nd\n", "a\nb\nc\nD\n")).toBe("A\nb\nc\nD\n");
    expect(mergeText(base, base, "a\nb\nc\nd\ne\n")).toBe("a\nb\nc\nd\ne\n");
    expect(mergeText(base, "a\nb\nc\nd\ne\n", base)).toBe("a\nb\nc\nd\ne\n");
    expect(mergeText(base, "a\nc\nd\n", "a\nb\nc\nd\nz\n")).toBe("a\nc\nd\nz\n");
    // The same change on both sides is no conflict.
    expect(mergeText(base, "a\nB\nc\nd\n", "a\nB\nc\nd\n")).toBe("a\nB\nc\nd\n");
  });

  it("is a conflict when both sides change the same lines, or insert at the same place", () => {
    expect(mergeText("a\nb\nc\n", "a\nB1\nc\n", "a\nB2\nc\n")).toBeUndefined();
    expect(mergeText("a\nc\n", "a\nx\nc\n", "a\ny\nc\n")).toBeUndefined();
    expect(mergeText("a\n", "a", "b\n")).toBeUndefined();
  });
});
