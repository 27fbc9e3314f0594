import { appHandlers } from "./apps.js";
import { checkHandlers } from "./checks.js";
import type { Handler } from "./context.js";
import { gitHandlers } from "./git.js";
import { issueMetaHandlers } from "./issue-meta.js";
import { issueHandlers } from "./issues.js";
import { labelHandlers } from "./labels.js";
import { pullHandlers } from "./pulls.js";
import { repoHandlers } from "./repos.js";
import { subIssueHandlers } from "./sub-issues.js";

/** Implemented operations, by operationId. */
export const handlers: Record<string, Handler> = {
  ...appHandlers,
  ...repoHandlers,
  ...gitHandlers,
  ...issueHandlers,
  ...subIssueHandlers,
  ...issueMetaHandlers,
  ...labelHandlers,
  ...checkHandlers,
  ...pullHandlers,
};

export type { Ctx, Handler, Server } from "./context.js";
