/** The app's installations and the repositories each one reaches, for the daily walk. */
import type { Octokit } from "./client.js";

/** A repository as GitHub lists it for an installation: the fields the daily walk looks at. */
export interface InstallationRepo {
  name: string;
  full_name: string;
  html_url: string;
  owner: { login: string };
  default_branch?: string;
  archived?: boolean;
  disabled?: boolean;
  has_issues?: boolean;
  open_issues_count?: number;
}

/** The ids of the app's installations that are not suspended (read with the app's JWT). */
export async function activeInstallations(appOctokit: Octokit): Promise<number[]> {
  const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, {
    per_page: 100,
  });
  return installations.filter((installation) => !installation.suspended_at).map(({ id }) => id);
}

/** Every repository an installation reaches (read with its installation token). */
export async function installationRepos(octokit: Octokit): Promise<InstallationRepo[]> {
  return octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
}
