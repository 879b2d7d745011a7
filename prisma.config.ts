import { defineConfig } from "prisma/config";

// Prisma's CLI is used here for `prisma generate` only: migrations are applied by
// `npm run db:migrate` (src/db/migrate.ts), which needs no native engine.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/accord" },
});
