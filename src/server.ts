/** `npm start`: Probot's server (or its setup page, without credentials) running the app. */
import { run } from "probot";
import app from "./index.js";
import { FollowThroughOctokit } from "./octokit.js";

await run(app, { Octokit: FollowThroughOctokit });
