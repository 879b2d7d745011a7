/** What the seed is known to hold, as both the database and the API must show it. */

/** The state visit as the source article reports it: no dates or place, 16 documents signed. */
export const SEEDED_VISIT = {
  kind: "STATE_VISIT",
  startDate: null,
  endDate: null,
  location: null,
  documentsSignedCount: 16,
};
