-- DropIndex
DROP INDEX "ActorAlias_actorId_alias_key";

-- CreateIndex
CREATE UNIQUE INDEX "ActorAlias_alias_key" ON "ActorAlias"("alias");

-- CreateIndex
CREATE INDEX "ActorAlias_actorId_idx" ON "ActorAlias"("actorId");
