/**
 * A headless Chromium for tests that use a page as a person would: Debian's `chromium` package
 * driven by playwright-core, which downloads no browser of its own. Each launch gets a fresh,
 * throw-away profile, and Chromium's own background traffic (updates, sync, field trials) is
 * switched off, so that the only requests are the page's.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { inCI } from "./ci.js";

export const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/**
 * Why browser tests cannot run on this machine, or undefined when they can. Outside CI a test
 * may skip on this; in CI a missing browser is a broken setup and must fail.
 */
export function browserMissing(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  return `Chromium is not installed at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`;
}

/** True when a browser test should be skipped rather than fail: no browser, and not in CI. */
export function skipBrowserTests(): boolean {
  const missing = browserMissing();
  if (missing === undefined || inCI) return false;
  console.warn(`Skipping browser tests: ${missing}`);
  return true;
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const missing = browserMissing();
  if (missing) throw new Error(missing);
  // launchPersistentContext passes this folder as --user-data-dir.
  const profile = await mkdtemp(path.join(os.tmpdir(), "accord-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 800 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}
