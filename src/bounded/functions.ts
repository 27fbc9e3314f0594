/**
 * The pure functions of the core that may run off the main event loop, by name. The worker
 * imports this table; the main thread only names an entry and passes its arguments (plain data,
 * copied by structured clone both ways).
 */
import type { MessagePort } from "node:worker_threads";
import { parsePostmortem } from "../core/postmortem/parse.js";

export const BOUNDED = {
  parse: parsePostmortem,
} as const;

export type BoundedName = keyof typeof BOUNDED;
export type BoundedArgs<N extends BoundedName> = Parameters<(typeof BOUNDED)[N]>;
export type BoundedResult<N extends BoundedName> = ReturnType<(typeof BOUNDED)[N]>;

/** What the pool sends the worker: the function's name, its arguments, and a port to say "started" on. */
export interface CallMessage<N extends BoundedName = BoundedName> {
  name: N;
  args: BoundedArgs<N>;
  started: MessagePort;
}
