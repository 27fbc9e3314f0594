/**
 * `npm start` (`node dist/server.js`): the app's server, started on import. See docs/server.md
 * for its endpoints and environment.
 */
import { startServer } from "./http/start.js";
import { createApp } from "./index.js";

await startServer(createApp);
