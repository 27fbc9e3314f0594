/**
 * The container files, read as text: images cannot be built on the development machines, so
 * test/package.test.ts runs the Dockerfile's install steps, and this test holds the Dockerfile to
 * exactly those steps and to what a production image needs.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const dockerfile = readFileSync(new URL("../Dockerfile", import.meta.url), "utf8");
/** Instructions with their continuation lines joined, comments left out. */
const instructions = dockerfile
  .replace(/\\\n\s*/g, " ")
  .split("\n")
  .filter((line) => line.trim() !== "" && !line.startsWith("#"));
const stages = dockerfile
  .replace(/^#.*\n/gm, "")
  .split(/^FROM /m)
  .slice(1);
const runtime = stages.at(-1) ?? "";

describe("Dockerfile", () => {
  it("builds in two stages: the tarball with npm pack, then an image from that tarball", () => {
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/RUN .*npm ci\b/);
    expect(stages[0]).toMatch(/RUN .*npm pack --pack-destination \/pkg/);
    expect(runtime).toContain("COPY --from=build /pkg/");
  });

  it("installs the tarball as the package test does: unpacked, then npm ci --omit=dev", () => {
    const install = instructions.find((line) => line.includes("npm ci --omit=dev")) ?? "";
    expect(install).toMatch(/tar -xzf \/tmp\/pkg\/follow-through-\*\.tgz --strip-components=1/);
    expect(runtime).not.toMatch(/npm (?:install|ci)(?! --omit=dev)/);
  });

  it("runs as a non-root user, listens on all interfaces, checks /healthz", () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/HOST=0\.0\.0\.0/);
    expect(runtime).toMatch(/NODE_ENV=production/);
    const check = instructions.find((line) => line.startsWith("HEALTHCHECK")) ?? "";
    expect(check).toContain("/healthz");
    expect(check).toMatch(/CMD \["node"/);
  });

  it("starts node in exec form, so SIGTERM reaches it", () => {
    const cmd = instructions.filter((line) => /^(?:CMD|ENTRYPOINT) /.test(line));
    expect(cmd).toEqual(['CMD ["node", "bin/follow-through.js", "serve"]']);
  });
});

describe("docker-compose.yml", () => {
  const compose = parse(readFileSync(new URL("../docker-compose.yml", import.meta.url), "utf8"));

  it("runs two app replicas on one Redis", () => {
    expect(compose.services.app.deploy.replicas).toBe(2);
    expect(compose.services.app.environment.REDIS_URL).toBe("redis://redis:6379");
    expect(compose.services.redis.image).toMatch(/^redis:/);
    expect(compose.services.app.depends_on.redis.condition).toBe("service_healthy");
  });
});

describe(".dockerignore", () => {
  it("keeps dependencies, builds and secrets out of the build context", () => {
    const ignored = readFileSync(new URL("../.dockerignore", import.meta.url), "utf8").split("\n");
    for (const entry of ["node_modules", "dist", ".env", "*.pem", ".git"])
      expect(ignored).toContain(entry);
  });
});
