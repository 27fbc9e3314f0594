export {
  type FailureSpec,
  primaryRateLimit,
  secondaryRateLimit,
  tooManyRequests,
} from "./failures.js";
export { type AddRepoOptions, FakeGitHub, type FakeGitHubOptions } from "./fake-github.js";
export type { Annotation, AppInfo, StateReason } from "./model.js";
export type { SecondaryRateLimit } from "./pacing.js";
export type { PullAtAGlance } from "./pull-requests.js";
export type { RecordedRequest, Violation, ViolationKind } from "./records.js";
export {
  BODY_MAX,
  type CommitOptions,
  FakeRepo,
  type IssueInput,
  type IssuePatch,
  type PullRequestOptions,
  TITLE_MAX,
} from "./repo.js";
export { useFakeGitHub } from "./vitest.js";
