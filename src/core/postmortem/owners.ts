/** Owners as written → GitHub logins, teams, and the names nobody mapped. */
import type { Config } from "../config.js";

const LOGIN = /^@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})$/;
const TEAM = /^@([A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*)$/;
/** Mentions that would notify everyone: never owners. */
const BROADCAST = /^@(?:here|channel|everyone|all)$/i;
/**
 * A team written as a name: "Core-1 team", "the SRE team", "Team Platform". No login matches it,
 * and teams cannot be assigned.
 */
const NAMED_TEAM =
  /^(?:the )?(?:[\p{L}\p{N}][\p{L}\p{N}.&'-]* ){1,4}teams?$|^team [\p{L}\p{N}][\p{L}\p{N}.&'-]*(?: [\p{L}\p{N}][\p{L}\p{N}.&'-]*){0,3}$/iu;
/** Cells that name nobody: "???", "—", "TBD", "n/a", "…". */
const PLACEHOLDERS =
  /^(?:-+|—|–|n\/?a|none|tbd|tbc|to be (?:decided|determined|assigned)|\?+|unassigned|nobody|anyone|\.{2,}|…)$/i;

/** Splits an owner cell ("Susan J, @bob and @org/sre") into owners as written. */
export function splitOwners(cell: string): string[] {
  return (
    cell
      .replace(/<br\s*\/?>|\n/gi, ",")
      // One space per run, so the `\s*` around separators cannot backtrack over long runs.
      .replace(/\s+/g, " ")
      .replace(/[*_`]/g, "")
      // "n/a" names nobody; read whole before slashes split names.
      .replace(/(?<![\w/])n\/a(?![\w/])/gi, "")
      // "and" only between words: "luk,and,ale" names three people, one of them "and".
      .split(/\s*(?:,|;|(?<!@[\w.-]*)\/|\+|&)\s*|\s+and\s+/)
      .flatMap((part) => splitMentions(part.trim()))
      .filter((part) => part !== "" && !PLACEHOLDERS.test(part))
  );
}

/** "@alice @bob" written with spaces only is two owners; "Susan J" is one. */
function splitMentions(part: string): string[] {
  const words = part.split(/\s+/);
  if (words.length > 1 && words.every((word) => word.startsWith("@"))) return words;
  return [part];
}

export interface ResolvedOwners {
  assignees: string[];
  teams: string[];
  /** Teams written as a name ("Core-1 team") that `people:` does not map: nobody to assign. */
  namedTeams: string[];
  /** Owners that are neither a login, a team nor a name in `people:`. */
  unmapped: string[];
  /** Mentions such as `@here` that were dropped. */
  broadcasts: string[];
}

export function resolveOwners(owners: string[], people: Config["people"]): ResolvedOwners {
  const result: ResolvedOwners = {
    assignees: [],
    teams: [],
    namedTeams: [],
    unmapped: [],
    broadcasts: [],
  };
  const directory = peopleDirectory(people);
  for (const owner of owners) {
    const team = owner.match(TEAM);
    const login = owner.match(LOGIN);
    const name = normalizeName(owner);
    // "the SRE team" finds "SRE team" under people: too.
    const mapped = directory.get(name) ?? directory.get(name.replace(/^the /, ""));
    if (BROADCAST.test(owner)) result.broadcasts.push(owner);
    else if (mapped) result.assignees.push(...mapped);
    else if (team?.[1]) result.teams.push(`@${team[1]}`);
    else if (login?.[1]) result.assignees.push(login[1]);
    else if (NAMED_TEAM.test(owner.replace(/\s+/g, " ").trim())) result.namedTeams.push(owner);
    else result.unmapped.push(owner);
  }
  result.assignees = [...new Set(result.assignees)];
  return result;
}

function normalizeName(name: string): string {
  return name.replace(/^@/, "").replace(/\s+/g, " ").trim().toLowerCase();
}

const directories = new WeakMap<object, Map<string, string[]>>();

/** Case- and spacing-insensitive lookup table, built once per `people:` object. */
function peopleDirectory(people: Config["people"]): Map<string, string[]> {
  const cached = directories.get(people);
  if (cached) return cached;
  const directory = new Map<string, string[]>();
  for (const [name, value] of Object.entries(people)) {
    const logins = (Array.isArray(value) ? value : [value]).map((login) => login.replace(/^@/, ""));
    directory.set(normalizeName(name), logins);
  }
  directories.set(people, directory);
  return directory;
}

/** Authors resolved like owners; a bare login-like author ("octocat") is taken as a login too. */
export function authorLogins(authors: string[], people: Config["people"]): string[] {
  const resolved = resolveOwners(authors, people);
  const bare = resolved.unmapped.filter((name) =>
    /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(name),
  );
  return [...new Set([...resolved.assignees, ...bare])];
}
