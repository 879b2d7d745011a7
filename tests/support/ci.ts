/**
 * Whether this run is CI (`.ci/run` exports CI=true). A CI machine has Redis, redis-server and
 * Chromium, so there a test that needs one fails when it is missing instead of skipping.
 */
export const inCI = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";
