/**
 * `npm run bench`: parse time per document, GitHub requests and time per sync, event and edit, and
 * the monthly review, against an in-memory GitHub that answers instantly; webhook intake; the incidents;
 * then the work queue in each mode, and the app on it (webhook to queue, resync reads). `--json`
 * prints the figures as one JSON object instead of the tables.
 */
import * as hostile from "./hostile.js";
import * as incidents from "./incidents.js";
import * as parse from "./parse.js";
import * as queue from "./queue.js";
import * as review from "./review.js";
import * as server from "./server.js";
import * as sync from "./sync.js";
import * as work from "./work.js";

const json = process.argv.includes("--json");
const log = console.log;
if (json) console.log = () => {};

const figures: Record<string, unknown> = {};
for (const bench of [parse, hostile, sync, review, incidents, server, queue, work])
  Object.assign(figures, await bench.run());

console.log = log;
if (json) console.log(JSON.stringify(figures, null, 2));
