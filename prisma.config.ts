import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's CLI is used here for `prisma generate` only: migrations are applied by
// `npm run db:migrate` (src/db/migrate.ts), which needs no native engine. Its stand-in
// answers `npx prisma migrate …` with that pointer, where Prisma would try to download one.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("prisma/schema-engine-unavailable.sh");
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/accord" },
});
