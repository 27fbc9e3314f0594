/** The test setup keeps every test offline. */
import { describe, expect, it } from "vitest";

describe("tests run offline", () => {
  it("refuses a request to a real host before it reaches the network", async () => {
    const error = await fetch("https://api.github.com/zen").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "NetConnectNotAllowedError", code: "ENETUNREACH" });
    expect(String(error)).toMatch(/Nock: Disallowed net connect for "api\.github\.com:443/);
  });
});
