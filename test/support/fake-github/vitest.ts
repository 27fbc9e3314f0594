import { afterEach, beforeEach } from "vitest";
import { FakeGitHub, type FakeGitHubOptions } from "./fake-github.js";

/**
 * A fresh FakeGitHub per test whose violations fail that test:
 *
 *   const github = useFakeGitHub();
 *   it("…", async () => { const gh = github(); … });
 *
 * Tests that provoke violations on purpose take them with `gh.takeViolations()`.
 */
export function useFakeGitHub(
  options: FakeGitHubOptions | (() => FakeGitHubOptions) = {},
): () => FakeGitHub {
  let current: FakeGitHub | undefined;
  beforeEach(() => {
    current = new FakeGitHub(typeof options === "function" ? options() : options);
  });
  afterEach(() => {
    const gh = current;
    current = undefined;
    gh?.assertNoViolations();
  });
  return () => {
    if (!current) throw new Error("useFakeGitHub: only available inside a test");
    return current;
  };
}
