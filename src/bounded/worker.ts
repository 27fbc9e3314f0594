/** The worker thread's entry (run by the pool in src/bounded/pool.ts): one named pure function per call. */
import { BOUNDED, type BoundedArgs, type BoundedName, type CallMessage } from "./functions.js";

export default function runCall<N extends BoundedName>({ name, args, started }: CallMessage<N>) {
  // The time budget starts now, not while the call waited for a thread or the thread started.
  started.postMessage("started");
  started.close();
  const call = BOUNDED[name] as (...input: BoundedArgs<N>) => unknown;
  return call(...args);
}
