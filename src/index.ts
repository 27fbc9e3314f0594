/** The Probot app: pushes sync post-mortems, issue events keep tracking issues true, pull requests get a check. */
import type { ApplicationFunction, Probot } from "probot";
import { appBotLogin } from "./github/app-identity.js";
import type { Octokit } from "./github/client.js";
import { defaultDeps, type HandlerDeps } from "./handlers/deps.js";
import { handleIssueEvent, ISSUE_EVENTS } from "./handlers/issues.js";
import {
  handlePullRequest,
  handleRerequest,
  PULL_REQUEST_EVENTS,
} from "./handlers/pull-request.js";
import { handlePush } from "./handlers/push.js";
import { inlineWork } from "./jobs.js";
import { parseHourUtc, startScheduler } from "./schedule.js";

export function createApp(overrides: Partial<HandlerDeps> = {}): ApplicationFunction {
  const base = defaultDeps(overrides);
  return (app: Probot) => {
    const withLogin = { ...base, botLogin: base.botLogin ?? appBotLogin(() => app.auth()) };
    const deps = {
      ...withLogin,
      work:
        base.work ??
        inlineWork({
          ...withLogin,
          auth: async (id) => (await app.auth(id)) as Octokit,
          log: app.log,
        }),
    };
    app.on("push", async (context) => {
      await handlePush(context, deps);
    });
    app.on([...ISSUE_EVENTS], async (context) => {
      await handleIssueEvent(context, deps);
    });
    app.on([...PULL_REQUEST_EVENTS], async (context) => {
      await handlePullRequest(context, deps);
    });
    app.on(["check_suite.rerequested", "check_run.rerequested"], async (context) => {
      await handleRerequest(context, deps);
    });
    // With the work queue, the daily run is the queue's schedule (src/http/work.ts).
    if (deps.schedule && !deps.work.deferred) {
      startScheduler(app, deps, {
        hourUtc: parseHourUtc(process.env.FOLLOW_THROUGH_HOUR_UTC, (message) =>
          app.log.error(message),
        ),
        spreadMs: 500,
      });
    }
  };
}

export default createApp();
