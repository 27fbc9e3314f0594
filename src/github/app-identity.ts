/** Who the app is on GitHub, for telling its own events from people's. */
import type { Octokit } from "./client.js";

/**
 * The login of the app's bot (`{slug}[bot]`), read once per process with the app's JWT
 * (`GET /app`) and then kept. A failed read answers null and is tried again next time.
 */
export function appBotLogin(auth: () => Promise<Octokit>): () => Promise<string | null> {
  let login: Promise<string | null> | null = null;
  return () => {
    login ??= auth()
      .then((octokit) => octokit.rest.apps.getAuthenticated())
      .then(({ data }) => (data?.slug ? `${data.slug}[bot]` : null))
      .catch(() => {
        login = null;
        return null;
      });
    return login;
  };
}
