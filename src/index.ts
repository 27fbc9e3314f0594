/** The Probot app: handlers for pushes (sync), and more as they come. */
import type { ApplicationFunction, Probot } from "probot";
import { defaultDeps, type HandlerDeps } from "./handlers/deps.js";
import { handlePush } from "./handlers/push.js";

export function createApp(overrides: Partial<HandlerDeps> = {}): ApplicationFunction {
  const deps = defaultDeps(overrides);
  return (app: Probot) => {
    app.on("push", async (context) => {
      await handlePush(context, deps);
    });
  };
}

export default createApp();
