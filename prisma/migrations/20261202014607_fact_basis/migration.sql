-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('YEAR', 'MONTH', 'DAY');

-- AlterTable
ALTER TABLE "Actor" ADD COLUMN     "editorialNote" TEXT;

-- AlterTable
ALTER TABLE "Agreement" ADD COLUMN     "editorialNote" TEXT,
ADD COLUMN     "signedOnPrecision" "DatePrecision";

-- AlterTable
ALTER TABLE "Outcome" ADD COLUMN     "editorialNote" TEXT;

-- AlterTable
ALTER TABLE "Visit" ADD COLUMN     "editorialNote" TEXT,
ADD COLUMN     "endDatePrecision" "DatePrecision",
ADD COLUMN     "startDatePrecision" "DatePrecision";

-- AlterTable
ALTER TABLE "VisitParticipant" ADD COLUMN     "editorialNote" TEXT;

-- Dates known before precision was recorded were days.
UPDATE "Visit" SET "startDatePrecision" = 'DAY' WHERE "startDate" IS NOT NULL;
UPDATE "Visit" SET "endDatePrecision" = 'DAY' WHERE "endDate" IS NOT NULL;
UPDATE "Agreement" SET "signedOnPrecision" = 'DAY' WHERE "signedOn" IS NOT NULL;

-- Facts recorded before every fact had to cite a passage or carry a note say so, rather than
-- claim a citation they do not have.
UPDATE "Visit" f SET "editorialNote" = 'Recorded without a cited passage.'
  WHERE NOT EXISTS (SELECT 1 FROM "Citation" c WHERE c."visitId" = f."id");
UPDATE "Agreement" f SET "editorialNote" = 'Recorded without a cited passage.'
  WHERE NOT EXISTS (SELECT 1 FROM "Citation" c WHERE c."agreementId" = f."id");
UPDATE "Outcome" f SET "editorialNote" = 'Recorded without a cited passage.'
  WHERE NOT EXISTS (SELECT 1 FROM "Citation" c WHERE c."outcomeId" = f."id");

-- A precision exactly when there is a date, and the date is the first day of its year or month.
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_startDatePrecision_check" CHECK (
  ("startDate" IS NULL) = ("startDatePrecision" IS NULL)
  AND ("startDatePrecision" <> 'YEAR' OR "startDate" = date_trunc('year', "startDate")::date)
  AND ("startDatePrecision" <> 'MONTH' OR "startDate" = date_trunc('month', "startDate")::date));
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_endDatePrecision_check" CHECK (
  ("endDate" IS NULL) = ("endDatePrecision" IS NULL)
  AND ("endDatePrecision" <> 'YEAR' OR "endDate" = date_trunc('year', "endDate")::date)
  AND ("endDatePrecision" <> 'MONTH' OR "endDate" = date_trunc('month', "endDate")::date));
ALTER TABLE "Agreement" ADD CONSTRAINT "Agreement_signedOnPrecision_check" CHECK (
  ("signedOn" IS NULL) = ("signedOnPrecision" IS NULL)
  AND ("signedOnPrecision" <> 'YEAR' OR "signedOn" = date_trunc('year', "signedOn")::date)
  AND ("signedOnPrecision" <> 'MONTH' OR "signedOn" = date_trunc('month', "signedOn")::date));

-- A visit does not end before it starts, the end taken as the last day of its year or month.
-- (IF EXISTS: the drift check builds the migrations without their hand-written objects.)
ALTER TABLE "Visit" DROP CONSTRAINT IF EXISTS "Visit_dates_check";
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_dates_check" CHECK (
  "startDate" IS NULL OR "endDate" IS NULL OR "startDate" <= (CASE "endDatePrecision"
    WHEN 'YEAR' THEN ("endDate" + interval '1 year' - interval '1 day')::date
    WHEN 'MONTH' THEN ("endDate" + interval '1 month' - interval '1 day')::date
    ELSE "endDate" END));

-- A note says something.
ALTER TABLE "Actor" ADD CONSTRAINT "Actor_editorialNote_check" CHECK (btrim("editorialNote") <> '');
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_editorialNote_check" CHECK (btrim("editorialNote") <> '');
ALTER TABLE "VisitParticipant" ADD CONSTRAINT "VisitParticipant_editorialNote_check" CHECK (btrim("editorialNote") <> '');
ALTER TABLE "Agreement" ADD CONSTRAINT "Agreement_editorialNote_check" CHECK (btrim("editorialNote") <> '');
ALTER TABLE "Outcome" ADD CONSTRAINT "Outcome_editorialNote_check" CHECK (btrim("editorialNote") <> '');

-- A visit, agreement or outcome without an editorial note cites at least one passage. Checked
-- at commit (deferred), so that a writer may create a fact and then its citations in one
-- transaction; the edits check the same first and refuse with the field named, so this only
-- guards against a writer that does not.
CREATE FUNCTION accord_fact_basis_check(fact regclass, link text, fact_id integer) RETURNS void
  LANGUAGE plpgsql
AS $$
DECLARE
  uncited boolean;
BEGIN
  EXECUTE format(
    'SELECT EXISTS (SELECT 1 FROM %s f WHERE f."id" = $1 AND f."editorialNote" IS NULL'
    ' AND NOT EXISTS (SELECT 1 FROM "Citation" c WHERE c.%I = f."id"))', fact, link)
    INTO uncited USING fact_id;
  IF uncited THEN
    RAISE EXCEPTION '% % cites no passage and has no editorial note', fact, fact_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'fact_basis';
  END IF;
END;
$$;

CREATE FUNCTION accord_fact_basis() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM accord_fact_basis_check(TG_RELID::regclass, TG_ARGV[0], NEW."id");
  RETURN NULL;
END;
$$;

CREATE FUNCTION accord_citation_basis() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  IF OLD."visitId" IS NOT NULL THEN
    PERFORM accord_fact_basis_check('"Visit"'::regclass, 'visitId', OLD."visitId");
  END IF;
  IF OLD."agreementId" IS NOT NULL THEN
    PERFORM accord_fact_basis_check('"Agreement"'::regclass, 'agreementId', OLD."agreementId");
  END IF;
  IF OLD."outcomeId" IS NOT NULL THEN
    PERFORM accord_fact_basis_check('"Outcome"'::regclass, 'outcomeId', OLD."outcomeId");
  END IF;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER "Visit_basis" AFTER INSERT OR UPDATE OF "editorialNote" ON "Visit"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_fact_basis('visitId');
CREATE CONSTRAINT TRIGGER "Agreement_basis" AFTER INSERT OR UPDATE OF "editorialNote" ON "Agreement"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_fact_basis('agreementId');
CREATE CONSTRAINT TRIGGER "Outcome_basis" AFTER INSERT OR UPDATE OF "editorialNote" ON "Outcome"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_fact_basis('outcomeId');
CREATE CONSTRAINT TRIGGER "Citation_basis" AFTER DELETE OR UPDATE OF "visitId", "agreementId", "outcomeId" ON "Citation"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_citation_basis();
