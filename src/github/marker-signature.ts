/**
 * The app's hidden markers are signed when written and verified when read, here at the edge of
 * GitHub: the core only ever sees markers the app wrote. A marker a person edited (or copied from
 * another repository, or wrote from scratch) fails verification and is taken out of the body the
 * core sees, exactly as if the person had deleted it; the app then rebuilds what it needs from
 * its own issues and the document, and never acts on what that marker claimed.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

const MARKER =
  /<!-- follow-through:(action|tracking|review|reminder|incident|write-back) (\{.*?\})(?: ([\w-]{22}))? -->/gs;

/** The key markers are signed with, derived from a secret only the app holds. */
export function markerKey(secret: string): Buffer {
  return createHash("sha256").update("follow-through marker key\0").update(secret).digest();
}

export interface MarkerSigner {
  sign(body: string): string;
  /** The body with valid signatures removed and every marker that does not verify taken out. */
  verify(body: string): string;
}

/** Signs markers for one repository (a marker copied from another repository does not verify). */
export function markerSigner(key: Buffer, repository: string): MarkerSigner {
  const mac = (kind: string, json: string) =>
    createHmac("sha256", key)
      .update(`${repository.toLowerCase()}\0${kind}\0${json}`)
      .digest("base64url")
      .slice(0, 22);
  return {
    sign: (body) =>
      body.replace(
        MARKER,
        (_all, kind: string, json: string) =>
          `<!-- follow-through:${kind} ${json} ${mac(kind, json)} -->`,
      ),
    verify: (body) =>
      body.replace(MARKER, (_all, kind: string, json: string, signature: string | undefined) =>
        signature && same(signature, mac(kind, json))
          ? `<!-- follow-through:${kind} ${json} -->`
          : "",
      ),
  };
}

/** Without a key nothing is signed, and only the author check tells the app's issues apart. */
export const UNSIGNED: MarkerSigner = {
  sign: (body) => body,
  verify: (body) =>
    body.replace(
      MARKER,
      (_all, kind: string, json: string) => `<!-- follow-through:${kind} ${json} -->`,
    ),
};

function same(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
