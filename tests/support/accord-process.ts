/** Accord as its own process, the way production runs it, for tests that start one. */
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";

const root = path.resolve(new URL("../..", import.meta.url).pathname);

/**
 * Starts src/index.ts with NODE_ENV=production on `port`, logging warnings and worse, with
 * `env` on top of this process's environment; `nodeArgs` go to Node before the script.
 */
export function spawnAccord(port: number, env: Record<string, string>, nodeArgs: string[] = []) {
  return spawn(process.execPath, [...nodeArgs, "--import", "tsx", "src/index.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NODE_OPTIONS: "",
      PORT: String(port),
      ACCORD_LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether Accord answers `/healthz` on the port with a 2xx within a second. */
export function healthy(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) }).then(
    (response) => response.ok,
    () => false,
  );
}
