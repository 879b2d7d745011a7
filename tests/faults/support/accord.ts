/**
 * One Accord server as production runs it: `node --import tsx src/index.ts` in its own
 * process, NODE_ENV=production, against a database the harness migrated and seeded.
 */
import { type ChildProcess } from "node:child_process";
import { healthy, spawnAccord } from "../../support/accord-process.js";
import { freePort, sleep } from "./processes.js";

export interface AccordInstance {
  name: string;
  port: number;
  /** The GraphQL endpoint. */
  url: string;
  readonly pid: number;
  alive(): boolean;
  signal(signal: NodeJS.Signals): void;
  /** Resolves to the exit code (null when ended by a signal) once the process has exited. */
  exited(): Promise<number | null>;
  /** Starts the process again on the same port, once `/healthz` answers. */
  start(): Promise<void>;
  /** What the process wrote (its last 64 kB), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startAccord(
  name: string,
  env: Record<string, string>,
): Promise<AccordInstance> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exit: Promise<number | null> = Promise.resolve(null);
  let output = "";
  const running = () => !!child && child.exitCode === null && child.signalCode === null;

  const start = async () => {
    const proc = spawnAccord(port, env);
    child = proc;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-65_536);
    };
    proc.stdout.on("data", keep);
    proc.stderr.on("data", keep);
    exit = new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (!running()) throw new Error(`Accord ${name} exited while starting:\n${output}`);
      if (Date.now() > deadline) throw new Error(`Accord ${name} did not start:\n${output}`);
      if (await healthy(port)) return;
      await sleep(100);
    }
  };

  await start();
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    get pid() {
      return child?.pid ?? 0;
    },
    alive: running,
    signal(signal) {
      if (running()) child!.kill(signal);
    },
    exited: () => exit,
    start,
    output: () => output,
    async stop() {
      if (running()) {
        child!.kill("SIGKILL");
        await exit;
      }
    },
  };
}
