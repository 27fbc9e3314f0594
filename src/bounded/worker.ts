/** The worker thread's entry (run by the pool in src/bounded/pool.ts): one named pure function per task. */
import { TASKS, type TaskArgs, type TaskMessage, type TaskName } from "./tasks.js";

export default function runTask<N extends TaskName>({ name, args, started }: TaskMessage<N>) {
  // The time budget starts now, not while the task waited for a thread or the thread started.
  started.postMessage("started");
  started.close();
  const task = TASKS[name] as (...input: TaskArgs<N>) => unknown;
  return task(...args);
}
