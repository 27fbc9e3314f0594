/** What a handler answers; the transport turns it into a WHATWG Response. */
export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (raw file contents) and its media type. */
  raw?: { text: string; mediaType: string };
  /** Which documented media type the JSON body follows, when not `application/json`. */
  mediaType?: string;
}

/** A response GitHub answers with an error status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    /** Set when the request broke GitHub's documented contract, not just the current state. */
    readonly violation?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(String(body.message));
  }
}

export interface FieldError {
  resource: string;
  field?: string;
  code: string;
  value?: string | number | string[] | null;
  message?: string;
}

const DOCS = "https://docs.github.com/rest";

export function errorBody(status: number, message: string, docs = DOCS): Record<string, unknown> {
  return { message, documentation_url: docs, status: String(status) };
}

export function notFound(message = "Not Found"): HttpError {
  return new HttpError(404, errorBody(404, message));
}

export function gone(message: string): HttpError {
  return new HttpError(410, errorBody(410, message));
}

export function validationFailed(errors: FieldError[], violation?: string): HttpError {
  return new HttpError(422, { ...errorBody(422, "Validation Failed"), errors }, violation);
}

export function json(
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): FakeResponse {
  return { status, body, headers };
}

export function noContent(): FakeResponse {
  return { status: 204 };
}

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

/**
 * One page of a list, GitHub style: `per_page` (default 30, at most 100) and `page`, with a
 * `Link` header carrying the request's other query parameters along.
 */
export function paginate<T>(
  all: T[],
  url: URL,
  query: Record<string, unknown>,
  defaults: { perPage?: number; maxPerPage?: number } = {},
): Page<T> {
  const max = defaults.maxPerPage ?? 100;
  const requested = Number(query.per_page ?? defaults.perPage ?? 30);
  const perPage = Math.min(Math.max(Number.isFinite(requested) ? requested : 30, 1), max);
  const page = Math.max(Number(query.page ?? 1) || 1, 1);
  const items = all.slice((page - 1) * perPage, page * perPage);
  const last = Math.max(Math.ceil(all.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const target = new URL(url.href);
    target.searchParams.set("page", String(n));
    if (query.per_page !== undefined) target.searchParams.set("per_page", String(perPage));
    return `<${target.href}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return { items, headers: links.length ? { link: links.join(", ") } : {} };
}
