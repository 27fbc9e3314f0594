/**
 * The pure functions of the core that may run off the main event loop, by name. The worker
 * imports this table; the main thread only names an entry and passes its arguments (plain data,
 * copied by structured clone both ways).
 */
import type { MessagePort } from "node:worker_threads";
import { parsePostmortem } from "../postmortem/parse.js";

export const TASKS = {
  parse: parsePostmortem,
} as const;

export type TaskName = keyof typeof TASKS;
export type TaskArgs<N extends TaskName> = Parameters<(typeof TASKS)[N]>;
export type TaskResult<N extends TaskName> = ReturnType<(typeof TASKS)[N]>;

/** What the pool sends the worker: the function's name, its arguments, and a port to say "started" on. */
export interface TaskMessage<N extends TaskName = TaskName> {
  name: N;
  args: TaskArgs<N>;
  started: MessagePort;
}
