import { createRequire } from "node:module";
import type { Json } from "./objects.js";
import { validateWebhook } from "./schema.js";

const require = createRequire(import.meta.url);

interface ExampleGroup {
  name: string;
  examples: Json[];
}

let groups: ExampleGroup[] | undefined;
const chosen = new Map<string, Json>();

function loadExamples(): ExampleGroup[] {
  groups ??= require("@octokit/webhooks-examples/api.github.com/index.json") as ExampleGroup[];
  return groups;
}

/** Every example payload of an event (`pull_request`), optionally only one action. */
export function examplesOf(event: string, action?: string): Json[] {
  const group = loadExamples().find((g) => g.name === event);
  if (!group) throw new Error(`webhooks-examples has no "${event}" event`);
  return group.examples.filter((e) => action === undefined || e.action === action);
}

/**
 * A deep clone of the example of `event`/`action` that is closest to the current schema (some
 * examples predate fields the schema now requires). `fallbackAction` is used when the examples
 * have none for `action`; the clone then gets `action` set.
 */
export function example(event: string, action?: string, fallbackAction?: string): Json {
  const cacheKey = `${event}.${action ?? ""}`;
  let best = chosen.get(cacheKey);
  if (!best) {
    let candidates = examplesOf(event, action);
    if (candidates.length === 0 && fallbackAction) candidates = examplesOf(event, fallbackAction);
    if (candidates.length === 0) {
      throw new Error(`webhooks-examples has no "${event}" example for action "${action}"`);
    }
    const eventName = action ? `${event}.${action}` : event;
    const scored = candidates.map((candidate) => ({
      candidate,
      errors: validateWebhook(
        eventName,
        action === undefined ? candidate : { ...candidate, action },
      ).length,
    }));
    scored.sort((a, b) => a.errors - b.errors);
    best = scored[0]?.candidate as Json;
    chosen.set(cacheKey, best);
  }
  const copy = structuredClone(best);
  if (action !== undefined) copy.action = action;
  return copy;
}
