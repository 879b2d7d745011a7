import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ArticleRow as ArticleRowModel } from '../read/loaders.js';
import type { Visit as VisitModel, Agreement as AgreementModel, Outcome as OutcomeModel, Actor as ActorModel, Place as PlaceModel, Citation as CitationModel, Mention as MentionModel, Revision as RevisionModel, VisitParticipant as VisitParticipantModel } from './prisma/client.js';
import type { PreviewMentionRow as PreviewMentionRowModel } from '../import/preview.js';
import type { Context } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date, `YYYY-MM-DD`. */
  Date: { input: Date; output: Date; }
  /** An instant in time, ISO 8601 in UTC (`2025-03-17T09:30:00.000Z`). */
  DateTime: { input: Date; output: Date; }
  /** Any JSON value: a snapshot of an object in the audit trail. */
  JSON: { input: unknown; output: unknown; }
};

/** A person, state or organisation. */
export type Actor = Node & {
  __typename?: 'Actor';
  /** Agreements this actor is party to, paged by cursor in the order they were recorded. */
  agreements: AgreementConnection;
  /** Every spelling the sources use for this actor, the canonical name included. At most 50. */
  aliases: Array<Scalars['String']['output']>;
  /** Articles this actor wrote or published, paged by cursor, newest first. */
  articles: ArticleConnection;
  /** When the actor was added to Accord. */
  createdAt: Scalars['DateTime']['output'];
  /** Who or what the actor is, in a sentence or two; `null` when none is recorded. */
  description?: Maybe<Scalars['String']['output']>;
  /**
   * What of its kind or description is the editor's reading rather than what a passage naming
   * it states; `null` otherwise.
   */
  editorialNote?: Maybe<Scalars['String']['output']>;
  /** Globally unique and opaque: pass it back as it is, do not parse it. */
  id: Scalars['ID']['output'];
  /** Whether it is a person, a state or an organisation. */
  kind: ActorKind;
  /**
   * Every passage of every stored article that names this actor, under any of its aliases,
   * paged by cursor: by article, then by position in the article.
   */
  mentions: MentionConnection;
  /** The canonical name. */
  name: Scalars['String']['output'];
  /** The visits this actor took part in, with the role, paged by cursor in the order they were recorded. */
  participations: ParticipationConnection;
  /** When the actor was last changed in Accord. */
  updatedAt: Scalars['DateTime']['output'];
  /** Raised by each update; pass it as `expectedVersion` to update safely. */
  version: Scalars['Int']['output'];
};


/** A person, state or organisation. */
export type ActorAgreementsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** A person, state or organisation. */
export type ActorArticlesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** A person, state or organisation. */
export type ActorMentionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** A person, state or organisation. */
export type ActorParticipationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** One page of actors. */
export type ActorConnection = {
  __typename?: 'ActorConnection';
  /** The actors of this page, each with its cursor, in order. */
  edges: Array<ActorEdge>;
  /** Whether another page follows, and the cursor to ask for it. */
  pageInfo: PageInfo;
  /** Number of actors in the whole (filtered) list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

/** An actor in a page, with its position in the list. */
export type ActorEdge = {
  __typename?: 'ActorEdge';
  /** Opaque position of this actor in the list: pass it as `after` to continue from here, or as `before` for the items before it. */
  cursor: Scalars['String']['output'];
  /** The actor. */
  node: Actor;
};

/**
 * An actor the facts name. When an actor in the record already has `name` as its name or an
 * alias, that actor is meant: `kind` and `description` must then be omitted or agree, and any of
 * `aliases` it lacks are added to it. Otherwise a new actor is created, and `kind` is required.
 */
export type ActorFactInput = {
  /** Every spelling the article uses; the rules of `CreateActorInput.aliases` apply. */
  aliases?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Who or what the actor is. */
  description?: InputMaybe<Scalars['String']['input']>;
  /**
   * What no cited passage states, and why the editor records it; at most 2,000 characters. Makes
   * the basis `EDITORIAL`. Not used for an actor already in the record: correct that with `updateActor`.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** A name for the actor inside these facts. */
  key: Scalars['String']['input'];
  /** Required for a new actor. */
  kind?: InputMaybe<ActorKind>;
  /** Its canonical name; also one of its aliases. */
  name: Scalars['String']['input'];
};

/** Narrows a list of actors; the fields given must all match. */
export type ActorFilter = {
  /** Only actors of this kind. */
  kind?: InputMaybe<ActorKind>;
  /**
   * Matches names and aliases, ignoring case and accents: anywhere in them for 3 characters or
   * more, at their start for 1 or 2. Must contain a letter or a digit.
   */
  search?: InputMaybe<Scalars['String']['input']>;
};

/** What an actor is. */
export type ActorKind =
  /** An organisation: a ministry, agency, company, news outlet or international body. */
  | 'ORGANIZATION'
  /** A person. */
  | 'PERSON'
  /** A state or its government. */
  | 'STATE';

/** How to sort actors. */
export type ActorOrder = {
  /** Ascending or descending; default ASC (A to Z). */
  direction?: OrderDirection;
  /** The value to sort by. */
  field: ActorOrderField;
};

/** What actors can be sorted by. */
export type ActorOrderField =
  /** The canonical name, then the id. */
  | 'NAME';

/** A document signed or adopted. */
export type Agreement = Node & {
  __typename?: 'Agreement';
  /**
   * `CITED` when the agreement rests on the passages cited; `EDITORIAL` when some of it is the
   * editor's reading, which `editorialNote` explains.
   */
  basis: Basis;
  /** Passages that report it. At most 50. */
  citations: Array<Citation>;
  /** When the agreement was added to Accord. */
  createdAt: Scalars['DateTime']['output'];
  /** What no cited passage states, and why the editor recorded it; `null` when the basis is `CITED`. */
  editorialNote?: Maybe<Scalars['String']['output']>;
  /** Globally unique and opaque: pass it back as it is, do not parse it. */
  id: Scalars['ID']['output'];
  /** The form of the document. */
  kind: AgreementKind;
  /** The states, organisations or people that are party to it. At most 50. */
  parties: Array<Actor>;
  /** Where it was signed: its visit's place; `null` when that is not known. */
  place?: Maybe<Place>;
  /** The day it was signed, or the first of its month or year (see `signedOnPrecision`); `null` when the sources do not say. */
  signedOn?: Maybe<Scalars['Date']['output']>;
  /** How precisely `signedOn` is known; `null` when it is. */
  signedOnPrecision?: Maybe<DatePrecision>;
  /** Where the agreement stands, as far as the sources say. */
  status: AgreementStatus;
  /** The document's title, as the sources give it. */
  title: Scalars['String']['output'];
  /** When the agreement was last changed in Accord. */
  updatedAt: Scalars['DateTime']['output'];
  /** Raised by each update; pass it as `expectedVersion` to update safely. */
  version: Scalars['Int']['output'];
  /** The visit it was signed at, if any. */
  visit?: Maybe<Visit>;
};

/** One page of agreements. */
export type AgreementConnection = {
  __typename?: 'AgreementConnection';
  /** The agreements of this page, each with its cursor, in order. */
  edges: Array<AgreementEdge>;
  /** Whether another page follows, and the cursor to ask for it. */
  pageInfo: PageInfo;
  /** Number of agreements in the whole (filtered) list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

/** An agreement in a page, with its position in the list. */
export type AgreementEdge = {
  __typename?: 'AgreementEdge';
  /** Opaque position of this agreement in the list: pass it as `after` to continue from here, or as `before` for the items before it. */
  cursor: Scalars['String']['output'];
  /** The agreement. */
  node: Agreement;
};

/** An agreement the article reports. */
export type AgreementFactInput = {
  /** The passages that report it; at most 50 (`Agreement.citations`). An agreement needs citations or an `editorialNote`. */
  citations?: InputMaybe<Array<QuoteInput>>;
  /**
   * What no cited passage states, and why the editor records it; at most 2,000 characters. Makes
   * the basis `EDITORIAL`.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** A name for the agreement inside these facts. */
  key?: InputMaybe<Scalars['String']['input']>;
  /** The form of the document. */
  kind: AgreementKind;
  /** Actor keys. */
  parties?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The day it was signed, when the article says. */
  signedOn?: InputMaybe<Scalars['Date']['input']>;
  /** How precisely `signedOn` is known; `DAY` when omitted. With `YEAR` or `MONTH`, `signedOn` is the first day of the year or month (`2025-01-01` for 2025). */
  signedOnPrecision?: InputMaybe<DatePrecision>;
  /** Where the agreement stands. */
  status: AgreementStatus;
  /** As `CreateAgreementInput.title`. */
  title: Scalars['String']['input'];
  /** The key of the visit it was signed at. */
  visit?: InputMaybe<Scalars['String']['input']>;
};

/** Narrows a list of agreements; the fields given must all match. */
export type AgreementFilter = {
  /** Only agreements of this kind. */
  kind?: InputMaybe<AgreementKind>;
  /** Only agreements this actor is party to. */
  partyId?: InputMaybe<Scalars['ID']['input']>;
};

/** The form of a signed or adopted document. */
export type AgreementKind =
  /** An agreement between governments or agencies, below a treaty. */
  | 'AGREEMENT'
  /** A declaration of principles or intentions. */
  | 'DECLARATION'
  /** A statement issued jointly by the sides, setting out shared positions. */
  | 'JOINT_STATEMENT'
  /** A memorandum of understanding: intentions and a framework, usually not binding. */
  | 'MEMORANDUM'
  /** Any other kind of document. */
  | 'OTHER'
  /** A protocol: an addition to or amendment of another agreement, or a record of terms agreed. */
  | 'PROTOCOL'
  /** A binding agreement between states, usually subject to ratification. */
  | 'TREATY';

/** Where an agreement stands. */
export type AgreementStatus =
  /** In force. */
  | 'IN_FORCE'
  /** Ratified by the parties, not yet in force. */
  | 'RATIFIED'
  /** Signed, not yet ratified or in force. */
  | 'SIGNED'
  /** No longer in force. */
  | 'TERMINATED';

/**
 * An API key, without its secret. Its `name` is the `editor` of every revision made with it, and
 * revisions are public: choose names that may be read by anyone.
 */
export type ApiKey = {
  __typename?: 'ApiKey';
  /** When it was made. */
  createdAt: Scalars['DateTime']['output'];
  /** Unique among all keys, revoked ones included; never reused. */
  name: Scalars['String']['output'];
  /** When it was revoked; `null` while it works. */
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  /** What the key may do. */
  role: KeyRole;
};

/** A published text that reports on diplomacy: the source of every fact Accord holds. */
export type Article = Node & {
  __typename?: 'Article';
  /** The article's authors, in byline order. At most 20. */
  authors: Array<Actor>;
  /**
   * The full text exactly as stored; every citation's offsets point into it. The largest value
   * Accord serves, up to hundreds of kB: it weighs 1,000 in a query's cost, as much as a thousand
   * objects, where other fields of text weigh nothing.
   */
  body: Scalars['String']['output'];
  /** When the article was added to Accord. */
  createdAt: Scalars['DateTime']['output'];
  /** Globally unique and opaque: pass it back as it is, do not parse it. */
  id: Scalars['ID']['output'];
  /** ISO 639-1 code of the article's language, e.g. `en`. */
  language: Scalars['String']['output'];
  /** The body split into paragraphs, in order. At most 2,000. */
  paragraphs: Array<Paragraph>;
  /** The day the article was published. */
  publishedOn: Scalars['Date']['output'];
  /** The organisation that published the article. */
  publisher?: Maybe<Actor>;
  /** URL-safe unique name, e.g. `resolution-of-border-issues-between-tajikistan-and-kyrgyzstan`. */
  slug: Scalars['String']['output'];
  /**
   * The source the article was imported from (`importArticle`, `npm run import`, the seed),
   * exactly as submitted, with where its title, author, affiliation, publisher and date were
   * read. Later corrections of the article (`updateArticle`) do not change it. `null` for an
   * article created with `createArticle`, whose fields an editor typed: it has no source.
   */
  source?: Maybe<ArticleSource>;
  /** The standfirst under the headline; `null` when the article has none. */
  subtitle?: Maybe<Scalars['String']['output']>;
  /** The headline, as published. */
  title: Scalars['String']['output'];
  /** When the article was last changed in Accord. */
  updatedAt: Scalars['DateTime']['output'];
  /** Raised by each update; pass it as `expectedVersion` to update safely. */
  version: Scalars['Int']['output'];
  /** The visits the article reports. At most 20. */
  visits: Array<Visit>;
};

/** One page of articles. */
export type ArticleConnection = {
  __typename?: 'ArticleConnection';
  /** The articles of this page, each with its cursor, in order. */
  edges: Array<ArticleEdge>;
  /** Whether another page follows, and the cursor to ask for it. */
  pageInfo: PageInfo;
  /** Number of articles in the whole list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

/** An article in a page, with its position in the list. */
export type ArticleEdge = {
  __typename?: 'ArticleEdge';
  /** Opaque position of this article in the list: pass it as `after` to continue from here, or as `before` for the items before it. */
  cursor: Scalars['String']['output'];
  /** The article. */
  node: Article;
};

/**
 * Facts read from one article. `key`s are names used only inside these facts, to link facts to
 * actors and visits. Each fact's `citations` quote the body verbatim.
 */
export type ArticleFactsInput = {
  /** The actors these facts name; at most 200. */
  actors?: InputMaybe<Array<ActorFactInput>>;
  /** The agreements the article reports; at most 200. */
  agreements?: InputMaybe<Array<AgreementFactInput>>;
  /** Who wrote and published the article, as actor keys; by default the byline and masthead. */
  article?: InputMaybe<ArticleSourceFactsInput>;
  /** The outcomes the article claims; at most 100 per visit (`Visit.outcomes`). */
  outcomes?: InputMaybe<Array<OutcomeFactInput>>;
  /** The visits the article reports; at most 20 (`Article.visits`). */
  visits?: InputMaybe<Array<VisitFactInput>>;
};

/** How to sort articles. */
export type ArticleOrder = {
  /** Ascending or descending; default DESC (newest first). */
  direction?: OrderDirection;
  /** The value to sort by. */
  field: ArticleOrderField;
};

/** What articles can be sorted by. */
export type ArticleOrderField =
  /** The publication date, then the id. */
  | 'PUBLISHED_ON';

/** What `previewArticle` read in a source. */
export type ArticlePreview = {
  __typename?: 'ArticlePreview';
  /** The body, as it would be stored. */
  body: Scalars['String']['output'];
  /** Every suggestion as one `ArticleFactsInput`, ready to edit and send to `importArticle`. */
  facts: Scalars['JSON']['output'];
  /** The front matter, with where each part was read. */
  frontMatter: FrontMatter;
  /** How many mentions there are in all. */
  mentionCount: Scalars['Int']['output'];
  /** Mentions of actors already in the record, in body order: the first 1,000. At most 1,000. */
  mentions: Array<PreviewMention>;
  /** The body's paragraphs; numbered list items are paragraphs of their own. At most 2,000. */
  paragraphs: Array<PreviewParagraph>;
  /** The paragraphs that repeat an earlier one, as `index` of each. At most 2,000. */
  repeats: Array<Scalars['Int']['output']>;
  /** The slug the title gives. */
  slug: Scalars['String']['output'];
  /** The suggested facts, by kind, each kind at most 200. At most 1,200. */
  suggestions: Array<Suggestion>;
};

/**
 * The source of an imported article, kept as it was submitted: its byte order mark, line endings
 * and front matter included, nothing normalised. Corrections of the article (`updateArticle`)
 * change the article's fields and body, never this.
 */
export type ArticleSource = {
  __typename?: 'ArticleSource';
  /**
   * Where the import read each part of the front matter, as it read them then. Every passage
   * satisfies `text.slice(start, end) === passage.text`, offsets in UTF-16 code units of `text`.
   */
  frontMatter: FrontMatter;
  /**
   * The source text, verbatim: up to 1,000,000 characters. Like `Article.body`, it weighs 1,000
   * in a query's cost.
   */
  text: Scalars['String']['output'];
};

/** Who wrote and published the article. */
export type ArticleSourceFactsInput = {
  /** Actor keys, in byline order. */
  authors?: InputMaybe<Array<Scalars['String']['input']>>;
  /** An actor key. */
  publisher?: InputMaybe<Scalars['String']['input']>;
  /** The slug the source's title gives; when given, it must match, so facts meet their own source. */
  slug?: InputMaybe<Scalars['String']['input']>;
};

/** Where a fact comes from. */
export type Basis =
  /** Stated by the passages the fact cites. */
  | 'CITED'
  /** Some of it is the editor's reading, not stated by any passage: its `editorialNote` says what. */
  | 'EDITORIAL';

/** A passage of the body, as a citation would quote it: `body.slice(start, end) === quote`. */
export type BodyPassage = {
  __typename?: 'BodyPassage';
  /** Where it ends in the body (exclusive). */
  end: Scalars['Int']['output'];
  /** The paragraph it begins in. */
  paragraphIndex: Scalars['Int']['output'];
  /** The passage, verbatim. */
  quote: Scalars['String']['output'];
  /** Where it begins in the body. */
  start: Scalars['Int']['output'];
};

/**
 * The provenance of a fact: a passage of an article. Invariant:
 * `article.body.slice(start, end) === quote` (UTF-16 offsets, as JavaScript counts).
 */
export type Citation = Node & {
  __typename?: 'Citation';
  /** The article quoted. */
  article: Article;
  /** Offset just past the passage's last character. */
  end: Scalars['Int']['output'];
  /** Globally unique and opaque: pass it back as it is, do not parse it. */
  id: Scalars['ID']['output'];
  /** Index of the paragraph the passage starts in. */
  paragraphIndex: Scalars['Int']['output'];
  /** The passage, verbatim. */
  quote: Scalars['String']['output'];
  /** Offset of the passage's first character in the article's body (UTF-16 code units). */
  start: Scalars['Int']['output'];
};

/** A new actor. */
export type CreateActorInput = {
  /**
   * Other spellings the sources use; the name is always one of the aliases, and there are at most
   * 50 with it. Each at most 200 characters, at least 2 characters with a letter among them, and
   * not only common English words ("the", "of the"): matching is case-sensitive, so a common
   * word in capitals ("WHO", "US") counts as an acronym and is allowed. Together they may occur
   * at most 200,000 times in any one stored article, overlapping occurrences included.
   */
  aliases?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Who or what the actor is; at most 5,000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /**
   * What no cited passage states, and why the editor records it; at most 2,000 characters. Makes
   * the basis `EDITORIAL`. Give it when no passage states its kind or description.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** Whether it is a person, a state or an organisation. */
  kind: ActorKind;
  /**
   * The canonical name; at most 200 characters, and no other actor's name or alias. It is an
   * alias too, so the rules for aliases apply.
   */
  name: Scalars['String']['input'];
};

/** A new agreement. */
export type CreateAgreementInput = {
  /**
   * Passages that report it, cited as it is created (each as `createCitation` takes one); at
   * most 50. A new agreement needs at least one, or an `editorialNote`.
   */
  citations?: InputMaybe<Array<NewCitationInput>>;
  /**
   * What no cited passage states, and why the editor records it; at most 2,000 characters. Makes
   * the basis `EDITORIAL`.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** The form of the document. */
  kind: AgreementKind;
  /** Actor ids. */
  partyIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** The day it was signed; omit or `null` when the sources do not say. */
  signedOn?: InputMaybe<Scalars['Date']['input']>;
  /** How precisely `signedOn` is known; `DAY` when omitted. With `YEAR` or `MONTH`, `signedOn` is the first day of the year or month (`2025-01-01` for 2025). */
  signedOnPrecision?: InputMaybe<DatePrecision>;
  /** Where the agreement stands. */
  status: AgreementStatus;
  /** The document's title; at most 500 characters. */
  title: Scalars['String']['input'];
  /** The visit it was signed at. */
  visitId?: InputMaybe<Scalars['ID']['input']>;
};

/** A new article. */
export type CreateArticleInput = {
  /** Actor ids, in byline order. */
  authorIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /**
   * The full text; paragraphs are separated by blank lines. At most 1,000,000 characters (UTF-16
   * code units) in at most 2,000 paragraphs, well-formed UTF-16 (no lone surrogate). Actors'
   * names and aliases may occur in it at most 200,000 times, overlapping occurrences included.
   */
  body: Scalars['String']['input'];
  /** ISO 639-1, e.g. `en`. */
  language: Scalars['String']['input'];
  /** The day the article was published. */
  publishedOn: Scalars['Date']['input'];
  /** An Actor id. */
  publisherId?: InputMaybe<Scalars['ID']['input']>;
  /** Lowercase letters, digits and single hyphens; unique. */
  slug: Scalars['String']['input'];
  /** The standfirst under the headline; omit or `null` when there is none. */
  subtitle?: InputMaybe<Scalars['String']['input']>;
  /** The headline; at most 500 characters. */
  title: Scalars['String']['input'];
  /** Ids of the visits the article reports. */
  visitIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/** A passage to cite, and the fact it supports. */
export type CreateCitationInput = {
  /** The article quoted. */
  articleId: Scalars['ID']['input'];
  /** The fact the passage supports: a Visit, Agreement or Outcome id. */
  factId: Scalars['ID']['input'];
  /** Which occurrence of `quote` in the body is meant, from 1; needed only when it occurs more than once. */
  occurrence?: InputMaybe<Scalars['Int']['input']>;
  /**
   * The passage, verbatim: at most 5,000 characters (UTF-16 code units), not only whitespace,
   * not beginning with whitespace, and whole characters (no lone surrogate, never half of an
   * emoji).
   */
  quote: Scalars['String']['input'];
};

/** A new outcome. */
export type CreateOutcomeInput = {
  /** The area it belongs to. */
  category: OutcomeCategory;
  /**
   * Passages that report it, cited as it is created (each as `createCitation` takes one); at
   * most 50. A new outcome needs at least one, or an `editorialNote`.
   */
  citations?: InputMaybe<Array<NewCitationInput>>;
  /**
   * What no cited passage states, and why the editor records it; at most 2,000 characters. Makes
   * the basis `EDITORIAL`.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** Position in the source's list, from 1; unique within the visit. */
  ordinal: Scalars['Int']['input'];
  /** The result, in one or two sentences; at most 2,000 characters. */
  statement: Scalars['String']['input'];
  /** How far it has come, as the source states it. */
  status: OutcomeStatus;
  /** The visit it is attributed to (a Visit id). */
  visitId: Scalars['ID']['input'];
};

/** A new visit. */
export type CreateVisitInput = {
  /** Ids of the articles that report the visit. */
  articleIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /**
   * Passages that report it, cited as it is created (each as `createCitation` takes one); at
   * most 100. A new visit needs at least one, or an `editorialNote`.
   */
  citations?: InputMaybe<Array<NewCitationInput>>;
  /** Documents the sources report as signed, 0 or more; omit or `null` when they do not say. */
  documentsSignedCount?: InputMaybe<Scalars['Int']['input']>;
  /**
   * What no cited passage states, and why the editor records it; at most 2,000 characters. Makes
   * the basis `EDITORIAL`.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** Last day, not before `startDate`; omit or `null` when the sources do not say. */
  endDate?: InputMaybe<Scalars['Date']['input']>;
  /** How precisely `endDate` is known; `DAY` when omitted. With `YEAR` or `MONTH`, `endDate` is the first day of the year or month (`2025-03-01` for March 2025). */
  endDatePrecision?: InputMaybe<DatePrecision>;
  /** The visit's diplomatic rank. */
  kind: VisitKind;
  /** Where it took place, at most 200 characters; omit or `null` when the sources do not say. */
  location?: InputMaybe<Scalars['String']['input']>;
  /** Who took part, and in which role. */
  participants?: InputMaybe<Array<ParticipantInput>>;
  /** First day; omit or `null` when the sources do not say. */
  startDate?: InputMaybe<Scalars['Date']['input']>;
  /** How precisely `startDate` is known; `DAY` when omitted. With `YEAR` or `MONTH`, `startDate` is the first day of the year or month (`2025-01-01` for 2025). */
  startDatePrecision?: InputMaybe<DatePrecision>;
  /** A short name for the visit; at most 500 characters. */
  title: Scalars['String']['input'];
};

/** A new key and the only copy of its secret. */
export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  /** The key as `apiKeys` lists it. */
  apiKey: ApiKey;
  /** The key to send as `Authorization: Bearer <key>`. Shown this once: it cannot be read back. */
  key: Scalars['String']['output'];
};

/** How precisely a date is known. The date itself is then the first day of its year or month. */
export type DatePrecision =
  /** The day. */
  | 'DAY'
  /** The year and month: `2025-03-01` stands for March 2025. */
  | 'MONTH'
  /** Only the year: `2025-01-01` stands for 2025. */
  | 'YEAR';

/** The parts of the front matter the parser recognised, each with the lines it read. */
export type FrontMatter = {
  __typename?: 'FrontMatter';
  /** What the byline says of the author after the name: affiliation, position. */
  affiliation?: Maybe<SourcePassage>;
  /** The author's name, within the byline. */
  author: SourcePassage;
  /** The author line. */
  byline: SourcePassage;
  /** The date line. */
  dateLine: SourcePassage;
  /** The names printed above the title, in order. At most 20. */
  masthead: Array<SourcePassage>;
  /** The day the date line names. */
  publishedOn: Scalars['Date']['output'];
  /** The publisher's name, as the masthead prints it. */
  publisher: SourcePassage;
  /** The standfirst, when there is one. */
  subtitle?: Maybe<SourcePassage>;
  /** The headline. */
  title: SourcePassage;
};

/** An article to bring in: its source text and, optionally, the facts read from it. */
export type ImportArticleInput = {
  /** The facts read from the source, in the format of a seed facts file (`src/seed/articles/`). */
  facts?: InputMaybe<ArticleFactsInput>;
  /** ISO 639-1 code of the source's language, e.g. `en`; `en` when omitted. */
  language?: InputMaybe<Scalars['String']['input']>;
  /**
   * The text as the author published it, in the seed's format; at most 1,000,000 characters
   * (UTF-16 code units) with its front matter, whose body follows the rules of
   * `CreateArticleInput.body`.
   */
  source: Scalars['String']['input'];
};

/** What an API key may do: `EDITOR` creates and updates; `ADMIN` also deletes and manages keys. */
export type KeyRole =
  /** Also deletes, and manages API keys. */
  | 'ADMIN'
  /** Creates and updates the record. */
  | 'EDITOR';

/** A passage of an article that names an actor. Same invariant as `Citation`. */
export type Mention = Node & {
  __typename?: 'Mention';
  /** The actor named. */
  actor: Actor;
  /** The article that names the actor. */
  article: Article;
  /** Offset just past the name's last character. */
  end: Scalars['Int']['output'];
  /** Globally unique and opaque: pass it back as it is, do not parse it. */
  id: Scalars['ID']['output'];
  /** Index of the paragraph the name is in. */
  paragraphIndex: Scalars['Int']['output'];
  /** The name as the article writes it: one of the actor's aliases. */
  quote: Scalars['String']['output'];
  /** Offset of the name's first character in the article's body (UTF-16 code units). */
  start: Scalars['Int']['output'];
};

/** One page of an actor's mentions. */
export type MentionConnection = {
  __typename?: 'MentionConnection';
  /** The mentions of this page, each with its cursor, in order. */
  edges: Array<MentionEdge>;
  /** Whether another page follows, and the cursor to ask for it. */
  pageInfo: PageInfo;
  /** Number of mentions in the whole list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

/** A mention in a page, with its position in the list. */
export type MentionEdge = {
  __typename?: 'MentionEdge';
  /** Opaque position of this mention in the list: pass it as `after` to continue from here, or as `before` for the items before it. */
  cursor: Scalars['String']['output'];
  /** The mention. */
  node: Mention;
};

/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /** Creates an actor; its name and aliases are searched for in every stored article at once. */
  createActor: Actor;
  /** Creates an agreement with its parties. */
  createAgreement: Agreement;
  /**
   * Makes an API key (`ADMIN` keys only). A name already used, even by a revoked key, is
   * `CONFLICT`: a name always means one key. Not a change to the record: it leaves no revision,
   * and `Idempotency-Key` does not apply (a retry after a lost answer meets `CONFLICT`; revoke
   * that key and make another).
   */
  createApiKey: CreatedApiKey;
  /** Creates an article; its body is split into paragraphs and searched for mentions of every actor. */
  createArticle: Article;
  /**
   * Cites a passage of an article for a visit, agreement or outcome. The server finds `quote` in
   * the article's body and stores its offsets. A quote that is not in the body is refused, and so
   * is one that occurs more than once unless `occurrence` says which.
   */
  createCitation: Citation;
  /** Creates an outcome of a visit. */
  createOutcome: Outcome;
  /** Creates a visit with its participants. */
  createVisit: Visit;
  /**
   * Deletes an actor with its aliases and mentions. Refused while it takes part in a visit, is
   * party to an agreement, or wrote or published an article (`extensions.dependents`).
   */
  deleteActor: Scalars['ID']['output'];
  /** Deletes an agreement with its parties and citations. Returns the id. */
  deleteAgreement: Scalars['ID']['output'];
  /** Deletes an article with its paragraphs and mentions. Refused while citations quote it. Returns the id. */
  deleteArticle: Scalars['ID']['output'];
  /** Deletes a citation. Returns the id. */
  deleteCitation: Scalars['ID']['output'];
  /** Deletes an outcome with its citations. Returns the id. */
  deleteOutcome: Scalars['ID']['output'];
  /** Deletes a visit with its participants and citations. Refused while agreements or outcomes belong to it. */
  deleteVisit: Scalars['ID']['output'];
  /**
   * Brings in an article from its source text as published (the seed's format: masthead, `##`
   * title heading, "By …" line, "Published on …" line, then the body), with the facts read from
   * it. The article, its new actors, visits, agreements, outcomes and every citation are written in
   * one transaction, or nothing is: a failure lists every fact and quote that did not fit
   * (`extensions.problems`, each with its `path` in `input`). Without `facts`, the article is
   * brought in with its author and publisher as read from the byline and the masthead.
   */
  importArticle: Article;
  /**
   * Removes the source an imported article keeps verbatim (`Article.source` becomes `null`), for
   * a correction no edit of the article can make: the source is public, and `updateArticle`
   * never changes it. ADMIN only. The revision it leaves says that the source was removed, not
   * what it said. What was read out of the source stays: the body, the actors of its byline and
   * masthead, and earlier revisions. `NOT_FOUND` when the article keeps no source.
   */
  removeArticleSource: Article;
  /**
   * Revokes the key of that name (`ADMIN` keys only); it stops working at once, on every
   * instance. `NOT_FOUND` when no key has the name, `CONFLICT` when it is already revoked.
   */
  revokeApiKey: ApiKey;
  /** Updates an actor. New names and aliases are searched for at once, and its mentions recomputed. */
  updateActor: Actor;
  /** Updates an agreement. `partyIds`, when given, replaces the old list. */
  updateAgreement: Agreement;
  /**
   * Updates an article. A new `body` re-anchors every citation and mention to the new text; an
   * edit that would remove or alter the text a citation quotes is refused with those citations
   * listed (`extensions.citations`).
   */
  updateArticle: Article;
  /** Updates an outcome. */
  updateOutcome: Outcome;
  /** Updates a visit. `participants` and `articleIds`, when given, replace the old lists. */
  updateVisit: Visit;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationCreateActorArgs = {
  input: CreateActorInput;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationCreateAgreementArgs = {
  input: CreateAgreementInput;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationCreateApiKeyArgs = {
  name: Scalars['String']['input'];
  role: KeyRole;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationCreateArticleArgs = {
  input: CreateArticleInput;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationCreateCitationArgs = {
  input: CreateCitationInput;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationCreateOutcomeArgs = {
  input: CreateOutcomeInput;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationCreateVisitArgs = {
  input: CreateVisitInput;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationDeleteActorArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationDeleteAgreementArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationDeleteArticleArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationDeleteCitationArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationDeleteOutcomeArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationDeleteVisitArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationImportArticleArgs = {
  input: ImportArticleInput;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationRemoveArticleSourceArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationRevokeApiKeyArgs = {
  name: Scalars['String']['input'];
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationUpdateActorArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  input: UpdateActorInput;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationUpdateAgreementArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  input: UpdateAgreementInput;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationUpdateArticleArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  input: UpdateArticleInput;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationUpdateOutcomeArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  input: UpdateOutcomeInput;
};


/**
 * Changes to the record. Every mutation needs `Authorization: Bearer <api key>` (keys come from
 * `npm run apikey -- create`): `EDITOR` keys may create and update, `ADMIN` keys may also
 * delete. Each mutation is one transaction and leaves a `Revision`. Updates take
 * `expectedVersion`: when the object has changed since (its `version` differs), the mutation
 * fails with `CONFLICT` and changes nothing.
 */
export type MutationUpdateVisitArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  input: UpdateVisitInput;
};

/** A passage to cite for a fact being created. */
export type NewCitationInput = {
  /** The article quoted. */
  articleId: Scalars['ID']['input'];
  /** Which occurrence of `quote` in the body is meant, from 1; needed only when it occurs more than once. */
  occurrence?: InputMaybe<Scalars['Int']['input']>;
  /** The passage, verbatim, under the rules of `CreateCitationInput.quote`. */
  quote: Scalars['String']['input'];
};

/** An object with a globally unique, opaque id that `Query.node` resolves. */
export type Node = {
  /** Globally unique and opaque: pass it back as it is, do not parse it. */
  id: Scalars['ID']['output'];
};

/** Sort direction. */
export type OrderDirection =
  /** Ascending: smallest, earliest or A first. */
  | 'ASC'
  /** Descending: largest, latest or Z first. */
  | 'DESC';

/** A result the sources attribute to a visit. */
export type Outcome = Node & {
  __typename?: 'Outcome';
  /**
   * `CITED` when the outcome, its category included, rests on the passages cited; `EDITORIAL` when some of it is the
   * editor's reading, which `editorialNote` explains.
   */
  basis: Basis;
  /** The area it belongs to. */
  category: OutcomeCategory;
  /** Passages that state it. At most 50. */
  citations: Array<Citation>;
  /** When the outcome was added to Accord. */
  createdAt: Scalars['DateTime']['output'];
  /** What no cited passage states, and why the editor recorded it; `null` when the basis is `CITED`. */
  editorialNote?: Maybe<Scalars['String']['output']>;
  /** Globally unique and opaque: pass it back as it is, do not parse it. */
  id: Scalars['ID']['output'];
  /** Position in the source's own numbered list, from 1. */
  ordinal: Scalars['Int']['output'];
  /** The result, in one or two sentences. */
  statement: Scalars['String']['output'];
  /** How far it has come, as the source states it. */
  status: OutcomeStatus;
  /** When the outcome was last changed in Accord. */
  updatedAt: Scalars['DateTime']['output'];
  /** Raised by each update; pass it as `expectedVersion` to update safely. */
  version: Scalars['Int']['output'];
  /** The visit it is attributed to. */
  visit: Visit;
};

/** The area an outcome belongs to. */
export type OutcomeCategory =
  /** Borders: delimitation, demarcation, crossings. */
  | 'BORDER'
  /** Cooperation in general, or in fields without a category of their own. */
  | 'COOPERATION'
  /** Investment and economic ties other than trade. */
  | 'ECONOMY'
  /** Energy and water resources. */
  | 'ENERGY'
  /** Movement of people: travel, residence, visas. */
  | 'MOBILITY'
  /** Anything else. */
  | 'OTHER'
  /** Security, defence and law enforcement. */
  | 'SECURITY'
  /** Trade in goods and services. */
  | 'TRADE'
  /** Roads, railways, flights and other transport links. */
  | 'TRANSPORT';

/** One page of outcomes. */
export type OutcomeConnection = {
  __typename?: 'OutcomeConnection';
  /** The outcomes of this page, each with its cursor, in order. */
  edges: Array<OutcomeEdge>;
  /** Whether another page follows, and the cursor to ask for it. */
  pageInfo: PageInfo;
  /** Number of outcomes in the whole (filtered) list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

/** An outcome in a page, with its position in the list. */
export type OutcomeEdge = {
  __typename?: 'OutcomeEdge';
  /** Opaque position of this outcome in the list: pass it as `after` to continue from here, or as `before` for the items before it. */
  cursor: Scalars['String']['output'];
  /** The outcome. */
  node: Outcome;
};

/** An outcome the article claims for a visit. */
export type OutcomeFactInput = {
  /** The area it belongs to. */
  category: OutcomeCategory;
  /** The passages that claim it; at most 50 (`Outcome.citations`). An outcome needs citations or an `editorialNote`. */
  citations?: InputMaybe<Array<QuoteInput>>;
  /**
   * What no cited passage states, and why the editor records it; at most 2,000 characters. Makes
   * the basis `EDITORIAL`.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** Its number in the article's own list, from 1; unique within the visit. */
  ordinal: Scalars['Int']['input'];
  /** As `CreateOutcomeInput.statement`. */
  statement: Scalars['String']['input'];
  /** How far it has come, as the article states it. */
  status: OutcomeStatus;
  /** The key of its visit; may be omitted when the facts hold one visit. */
  visit?: InputMaybe<Scalars['String']['input']>;
};

/** Narrows a list of outcomes; the fields given must all match. */
export type OutcomeFilter = {
  /** Only outcomes in this category. */
  category?: InputMaybe<OutcomeCategory>;
  /** Only outcomes with this status. */
  status?: InputMaybe<OutcomeStatus>;
  /** Only outcomes of this visit. */
  visitId?: InputMaybe<Scalars['ID']['input']>;
};

/** How to sort outcomes. */
export type OutcomeOrder = {
  /** Ascending or descending; default ASC (as the source lists them). */
  direction?: OrderDirection;
  /** The value to sort by. */
  field: OutcomeOrderField;
};

/** What outcomes can be sorted by. */
export type OutcomeOrderField =
  /** The position in the source's list, then the id. */
  | 'ORDINAL';

/** How far an outcome has come, as the source states it. */
export type OutcomeStatus =
  /** The source states it as done. */
  | 'ACHIEVED'
  /** The source states it as under way. */
  | 'IN_PROGRESS'
  /** The source states it as intended. */
  | 'PLANNED';

/** Paging state of a connection, as Relay defines it. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item returned: pass it as `after` to get the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /**
   * Whether more items follow the last one returned. On a page read backward (`last`/`before`)
   * this is `false`, as the Relay specification allows: page forward from `endCursor` to see.
   */
  hasNextPage: Scalars['Boolean']['output'];
  /**
   * Whether more items come before the first one returned. On a page read forward
   * (`first`/`after`) this is `false`, as the Relay specification allows: page backward from
   * `startCursor` to see.
   */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Cursor of the first item returned: pass it as `before` to get the page before; `null` for an empty page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A paragraph of an article: `article.body.slice(start, end) === text`. */
export type Paragraph = {
  __typename?: 'Paragraph';
  /** Index of an earlier paragraph of the same article that this one repeats almost word for word. */
  duplicateOf?: Maybe<Scalars['Int']['output']>;
  /** Offset just past the last character. */
  end: Scalars['Int']['output'];
  /** Position in the article, from 0. */
  index: Scalars['Int']['output'];
  /** Offset of the first character in the body (UTF-16 code units, as JavaScript counts). */
  start: Scalars['Int']['output'];
  /** The paragraph's text, trimmed of surrounding whitespace. */
  text: Scalars['String']['output'];
};

/** An actor's part in a visit. */
export type Participant = {
  __typename?: 'Participant';
  /** Who took part. */
  actor: Actor;
  /**
   * Why the editor recorded this role, when it is the editor's reading of the visit's passages
   * rather than what they state; `null` otherwise.
   */
  editorialNote?: Maybe<Scalars['String']['output']>;
  /** The part the actor played. */
  role: ParticipantRole;
  /** The visit taken part in. */
  visit: Visit;
};

/** One participant of a visit fact. */
export type ParticipantFactInput = {
  /** An actor key. */
  actor: Scalars['String']['input'];
  /**
   * What no cited passage states, and why the editor records it; at most 2,000 characters. Makes
   * the basis `EDITORIAL`. Give it when the visit's passages do not state the role.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** Its role in the visit. */
  role: ParticipantRole;
};

/** An actor taking part in a visit, and in which role. */
export type ParticipantInput = {
  /** An Actor id. */
  actorId: Scalars['ID']['input'];
  /**
   * What no cited passage states, and why the editor records it; at most 2,000 characters. Makes
   * the basis `EDITORIAL`. Give it when no cited passage of the visit states the role.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** The part the actor plays; the same actor may take part in several roles, each once. */
  role: ParticipantRole;
};

/** The part an actor plays in a visit. */
export type ParticipantRole =
  /** A member of a delegation. */
  | 'DELEGATE'
  /** The visiting side. */
  | 'GUEST'
  /** The receiving side. */
  | 'HOST';

/** One page of an actor's participations. */
export type ParticipationConnection = {
  __typename?: 'ParticipationConnection';
  /** The participations of this page, each with its cursor, in order. */
  edges: Array<ParticipationEdge>;
  /** Whether another page follows, and the cursor to ask for it. */
  pageInfo: PageInfo;
  /** Number of participations in the whole list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

/** A participation in a page, with its position in the list. */
export type ParticipationEdge = {
  __typename?: 'ParticipationEdge';
  /** Opaque position of this participation in the list: pass it as `after` to continue from here, or as `before` for the items before it. */
  cursor: Scalars['String']['output'];
  /** The participation: the visit and the role. */
  node: Participant;
};

/**
 * A place where visits took place and agreements were signed, as the sources name it. Places come
 * from the record itself: a visit's `location` names its place, created the first time that
 * location appears; it stays when its visits move (other sources may name it), under the same
 * name, exactly as written (case and spelling variants are places of their own). An agreement is
 * signed at its visit's place.
 */
export type Place = Node & {
  __typename?: 'Place';
  /** When the place first appeared in the record. */
  createdAt: Scalars['DateTime']['output'];
  /** Globally unique and opaque: pass it back as it is, do not parse it. */
  id: Scalars['ID']['output'];
  /** The name the sources give, exactly as in `Visit.location`. */
  name: Scalars['String']['output'];
};

/** A source to preview. */
export type PreviewArticleInput = {
  /** As `ImportArticleInput.language`. */
  language?: InputMaybe<Scalars['String']['input']>;
  /** As `ImportArticleInput.source`. */
  source: Scalars['String']['input'];
};

/** A passage of the body that names an actor already in the record. */
export type PreviewMention = {
  __typename?: 'PreviewMention';
  /** The actor named. */
  actor: Actor;
  /** Where it ends in the body (exclusive). */
  end: Scalars['Int']['output'];
  /** The paragraph it is in. */
  paragraphIndex: Scalars['Int']['output'];
  /** The passage: `body.slice(start, end) === quote`. */
  quote: Scalars['String']['output'];
  /** Where it begins in the body. */
  start: Scalars['Int']['output'];
};

/** A paragraph of the body as the import would store it. */
export type PreviewParagraph = {
  __typename?: 'PreviewParagraph';
  /** The earlier paragraph it repeats, when it is a repeat. */
  duplicateOf?: Maybe<Scalars['Int']['output']>;
  /** Where it ends in the body (exclusive). */
  end: Scalars['Int']['output'];
  /** Its position, from 0. */
  index: Scalars['Int']['output'];
  /** Where it begins in the body. */
  start: Scalars['Int']['output'];
  /** Its text. */
  text: Scalars['String']['output'];
};

/** The entry points for reading the record. Reads are public: no API key is needed. */
export type Query = {
  __typename?: 'Query';
  /** One actor by id; `null` when none matches. */
  actor?: Maybe<Actor>;
  /** People, states and organisations, paged by cursor. Default order: by name. */
  actors: ActorConnection;
  /** One agreement by id; `null` when none matches. */
  agreement?: Maybe<Agreement>;
  /** Agreements, paged by cursor, in the order they were recorded. */
  agreements: AgreementConnection;
  /**
   * Every API key, revoked ones included, oldest first; never a key's secret. `ADMIN` keys only.
   * At most 1,000.
   */
  apiKeys: Array<ApiKey>;
  /**
   * One article by its slug (`article(slug: "...")`) or its id; `null` when none matches.
   * Give exactly one of the two, else `BAD_USER_INPUT`.
   */
  article?: Maybe<Article>;
  /** Articles, paged by cursor. Default order: newest first. */
  articles: ArticleConnection;
  /** Any object by its global id; `null` when no object has this id. */
  node?: Maybe<Node>;
  /** One outcome by id; `null` when none matches. */
  outcome?: Maybe<Outcome>;
  /** Outcomes, paged by cursor. Default order: by ordinal, as the source lists them. */
  outcomes: OutcomeConnection;
  /**
   * Reads a source as `importArticle` would and suggests the facts it reports; writes nothing.
   * `EDITOR` keys only. Accept suggestions by sending them back, edited as needed, as
   * `importArticle`'s `facts` (`ArticlePreview.facts` holds all of them in that format).
   */
  previewArticle: ArticlePreview;
  /**
   * The audit trail of one object, newest first: every change made to it through the API. It
   * stays readable after the object is deleted. `first`: 0 to 100, default 20.
   */
  revisions: Array<Revision>;
  /**
   * Searches articles, visits, agreements, outcomes and actors at once, best match first.
   * Words are matched by full-text search (English stemming); names and aliases also match
   * case- and accent-insensitively and by similarity. The newest 100 matches of each kind are
   * ranked, so a common word costs little more than a rare one. `first`: 0 to 100, default 10.
   */
  search: Array<SearchResult>;
  /** One visit by id; `null` when none matches. */
  visit?: Maybe<Visit>;
  /** Visits, paged by cursor. Default order: newest first; visits without a known date come last. */
  visits: VisitConnection;
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryActorArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryActorsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ActorFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ActorOrder>;
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryAgreementArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryAgreementsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AgreementFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryArticleArgs = {
  id?: InputMaybe<Scalars['ID']['input']>;
  slug?: InputMaybe<Scalars['String']['input']>;
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryArticlesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ArticleOrder>;
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryOutcomeArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryOutcomesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OutcomeFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<OutcomeOrder>;
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryPreviewArticleArgs = {
  input: PreviewArticleInput;
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryRevisionsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  nodeId: Scalars['ID']['input'];
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QuerySearchArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  query: Scalars['String']['input'];
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryVisitArgs = {
  id: Scalars['ID']['input'];
};


/** The entry points for reading the record. Reads are public: no API key is needed. */
export type QueryVisitsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<VisitOrder>;
};

/** A verbatim passage of the article's body. */
export type QuoteInput = {
  /** Which occurrence is meant, from 1; needed only when it occurs more than once. */
  occurrence?: InputMaybe<Scalars['Int']['input']>;
  /** The passage, as `CreateCitationInput.quote`. */
  quote: Scalars['String']['input'];
};

/** One change to one object, as the audit trail keeps it. */
export type Revision = Node & {
  __typename?: 'Revision';
  /** Whether the object was created, changed or deleted. */
  action: RevisionAction;
  /** The object after the change; null for DELETE. */
  after?: Maybe<Scalars['JSON']['output']>;
  /** When the change was made. */
  at: Scalars['DateTime']['output'];
  /** The object before the change, with what it owned (aliases, participants, citations...); null for CREATE. */
  before?: Maybe<Scalars['JSON']['output']>;
  /** The name of the API key that made the change. */
  editor: Scalars['String']['output'];
  /** Globally unique and opaque: pass it back as it is, do not parse it. */
  id: Scalars['ID']['output'];
  /** The id of the object changed; it may no longer exist. */
  nodeId: Scalars['ID']['output'];
  /** The object's version after the change (for DELETE: the version deleted). */
  version: Scalars['Int']['output'];
};

/** What a revision did to its object. */
export type RevisionAction =
  /** The object was created. */
  | 'CREATE'
  /** The object was deleted. */
  | 'DELETE'
  /** The object was changed. */
  | 'UPDATE';

/** One search hit. */
export type SearchResult = {
  __typename?: 'SearchResult';
  /** The matching object: an Article, Visit, Agreement, Outcome or Actor. */
  node: Node;
  /** Relevance, higher is better; comparable within one search only. */
  score: Scalars['Float']['output'];
  /** A short passage around the match, with the matched words in `**bold**`. */
  snippet: Scalars['String']['output'];
};

/** A passage of the source as submitted: `source.slice(start, end) === text`, in UTF-16 code units. */
export type SourcePassage = {
  __typename?: 'SourcePassage';
  /** Where it ends in the source (exclusive). */
  end: Scalars['Int']['output'];
  /** Where it begins in the source. */
  start: Scalars['Int']['output'];
  /** The passage, verbatim. */
  text: Scalars['String']['output'];
};

/**
 * Live reads over WebSocket (the `graphql-transport-ws` protocol of the `graphql-ws` library, at
 * the same URL as queries). Each field is the `Query` field of the same name, with the same
 * arguments: a subscription answers at once with what that query would answer, then again
 * after each committed change that alters the answer, made through any instance of Accord or
 * written to the database directly. Intermediate states may be skipped when changes come faster than they are sent;
 * the last answer is always the current one. Limits and costs are those of the query.
 */
export type Subscription = {
  __typename?: 'Subscription';
  /** People, states and organisations, paged by cursor. Default order: by name. */
  actors: ActorConnection;
  /** Agreements, paged by cursor, in the order they were recorded. */
  agreements: AgreementConnection;
  /**
   * One article by its slug (`article(slug: "...")`) or its id; `null` when none matches.
   * Give exactly one of the two, else `BAD_USER_INPUT`.
   */
  article?: Maybe<Article>;
  /** Articles, paged by cursor. Default order: newest first. */
  articles: ArticleConnection;
  /** Any object by its global id; `null` when no object has this id. */
  node?: Maybe<Node>;
  /** Outcomes, paged by cursor. Default order: by ordinal, as the source lists them. */
  outcomes: OutcomeConnection;
  /** Visits, paged by cursor. Default order: newest first; visits without a known date come last. */
  visits: VisitConnection;
};


/**
 * Live reads over WebSocket (the `graphql-transport-ws` protocol of the `graphql-ws` library, at
 * the same URL as queries). Each field is the `Query` field of the same name, with the same
 * arguments: a subscription answers at once with what that query would answer, then again
 * after each committed change that alters the answer, made through any instance of Accord or
 * written to the database directly. Intermediate states may be skipped when changes come faster than they are sent;
 * the last answer is always the current one. Limits and costs are those of the query.
 */
export type SubscriptionActorsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ActorFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ActorOrder>;
};


/**
 * Live reads over WebSocket (the `graphql-transport-ws` protocol of the `graphql-ws` library, at
 * the same URL as queries). Each field is the `Query` field of the same name, with the same
 * arguments: a subscription answers at once with what that query would answer, then again
 * after each committed change that alters the answer, made through any instance of Accord or
 * written to the database directly. Intermediate states may be skipped when changes come faster than they are sent;
 * the last answer is always the current one. Limits and costs are those of the query.
 */
export type SubscriptionAgreementsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AgreementFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * Live reads over WebSocket (the `graphql-transport-ws` protocol of the `graphql-ws` library, at
 * the same URL as queries). Each field is the `Query` field of the same name, with the same
 * arguments: a subscription answers at once with what that query would answer, then again
 * after each committed change that alters the answer, made through any instance of Accord or
 * written to the database directly. Intermediate states may be skipped when changes come faster than they are sent;
 * the last answer is always the current one. Limits and costs are those of the query.
 */
export type SubscriptionArticleArgs = {
  id?: InputMaybe<Scalars['ID']['input']>;
  slug?: InputMaybe<Scalars['String']['input']>;
};


/**
 * Live reads over WebSocket (the `graphql-transport-ws` protocol of the `graphql-ws` library, at
 * the same URL as queries). Each field is the `Query` field of the same name, with the same
 * arguments: a subscription answers at once with what that query would answer, then again
 * after each committed change that alters the answer, made through any instance of Accord or
 * written to the database directly. Intermediate states may be skipped when changes come faster than they are sent;
 * the last answer is always the current one. Limits and costs are those of the query.
 */
export type SubscriptionArticlesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ArticleOrder>;
};


/**
 * Live reads over WebSocket (the `graphql-transport-ws` protocol of the `graphql-ws` library, at
 * the same URL as queries). Each field is the `Query` field of the same name, with the same
 * arguments: a subscription answers at once with what that query would answer, then again
 * after each committed change that alters the answer, made through any instance of Accord or
 * written to the database directly. Intermediate states may be skipped when changes come faster than they are sent;
 * the last answer is always the current one. Limits and costs are those of the query.
 */
export type SubscriptionNodeArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Live reads over WebSocket (the `graphql-transport-ws` protocol of the `graphql-ws` library, at
 * the same URL as queries). Each field is the `Query` field of the same name, with the same
 * arguments: a subscription answers at once with what that query would answer, then again
 * after each committed change that alters the answer, made through any instance of Accord or
 * written to the database directly. Intermediate states may be skipped when changes come faster than they are sent;
 * the last answer is always the current one. Limits and costs are those of the query.
 */
export type SubscriptionOutcomesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OutcomeFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<OutcomeOrder>;
};


/**
 * Live reads over WebSocket (the `graphql-transport-ws` protocol of the `graphql-ws` library, at
 * the same URL as queries). Each field is the `Query` field of the same name, with the same
 * arguments: a subscription answers at once with what that query would answer, then again
 * after each committed change that alters the answer, made through any instance of Accord or
 * written to the database directly. Intermediate states may be skipped when changes come faster than they are sent;
 * the last answer is always the current one. Limits and costs are those of the query.
 */
export type SubscriptionVisitsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<VisitOrder>;
};

/** A fact the rules read in the source, the passage it rests on, and the rule that found it. */
export type Suggestion = {
  __typename?: 'Suggestion';
  /** The fact, in the facts format of its kind. */
  fact: Scalars['JSON']['output'];
  /** What it proposes. */
  kind: SuggestionKind;
  /** The passage of the body it rests on; `null` for what the front matter gave (`frontMatter`). */
  passage?: Maybe<BodyPassage>;
  /** The rule that found it. */
  rule: Scalars['String']['output'];
};

/** What a suggestion proposes. */
export type SuggestionKind =
  /** An actor not yet in the record: `fact` is an `ActorFactInput`. */
  | 'ACTOR'
  /** A signed document: `fact` is an `AgreementFactInput`. */
  | 'AGREEMENT'
  /** A date with its precision: `fact` is `{date, precision}`, `date` as `2025`, `2025-03` or `2025-03-17`. */
  | 'DATE'
  /** How many documents were signed: `fact` is `{documentsSignedCount, visit}`. */
  | 'DOCUMENT_COUNT'
  /** An outcome: `fact` is an `OutcomeFactInput`. */
  | 'OUTCOME'
  /** A visit: `fact` is a `VisitFactInput`. */
  | 'VISIT';

/** Only the fields given change; `null` clears the description. `aliases` replaces the list; a new name is added to it. */
export type UpdateActorInput = {
  /**
   * Every other spelling the sources use; replaces the old list (the name is always kept). At
   * most 50 with the name, each following the rules of `CreateActorInput.aliases`; at most
   * 200,000 occurrences in any one stored article.
   */
  aliases?: InputMaybe<Array<Scalars['String']['input']>>;
  /** A new description; `null` removes it. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** A new editorial note (at most 2,000 characters), making the basis `EDITORIAL`; `null` removes it. */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** A new kind. */
  kind?: InputMaybe<ActorKind>;
  /** A new canonical name; at most 200 characters, no other actor's name or alias, and a valid alias. */
  name?: InputMaybe<Scalars['String']['input']>;
};

/** Only the fields given change; `null` clears an optional field. Lists replace the old list. */
export type UpdateAgreementInput = {
  /**
   * A new editorial note (at most 2,000 characters), making the basis `EDITORIAL`; `null` removes
   * it, which a fact that cites no passage cannot do.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** A new form of document. */
  kind?: InputMaybe<AgreementKind>;
  /** The parties (Actor ids); replaces the old list. */
  partyIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** A new signing date; `null` when the sources do not say. */
  signedOn?: InputMaybe<Scalars['Date']['input']>;
  /** How precisely the signing date is known; `DAY` when `signedOn` is given without it. */
  signedOnPrecision?: InputMaybe<DatePrecision>;
  /** A new status. */
  status?: InputMaybe<AgreementStatus>;
  /** A new title; at most 500 characters. */
  title?: InputMaybe<Scalars['String']['input']>;
  /** The visit it was signed at (a Visit id); `null` when none. */
  visitId?: InputMaybe<Scalars['ID']['input']>;
};

/** Only the fields given change; `null` clears an optional field. Lists replace the old list. */
export type UpdateArticleInput = {
  /** The authors (Actor ids) in byline order; replaces the old list. */
  authorIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /**
   * A new full text; every cited passage must still be in it, or the update is refused. At most
   * 1,000,000 characters (UTF-16 code units) in at most 2,000 paragraphs, well-formed UTF-16, in
   * which actors' names and aliases occur at most 200,000 times (overlapping ones included).
   */
  body?: InputMaybe<Scalars['String']['input']>;
  /** A new language: ISO 639-1, e.g. `en`. */
  language?: InputMaybe<Scalars['String']['input']>;
  /** A new publication date. */
  publishedOn?: InputMaybe<Scalars['Date']['input']>;
  /** A new publisher (an Actor id); `null` removes it. */
  publisherId?: InputMaybe<Scalars['ID']['input']>;
  /** A new slug: lowercase letters, digits and single hyphens; unique. */
  slug?: InputMaybe<Scalars['String']['input']>;
  /** A new standfirst; `null` removes it. */
  subtitle?: InputMaybe<Scalars['String']['input']>;
  /** A new headline; at most 500 characters. */
  title?: InputMaybe<Scalars['String']['input']>;
  /** Ids of the visits the article reports; replaces the old list. */
  visitIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/** Only the fields given change. */
export type UpdateOutcomeInput = {
  /** A new category. */
  category?: InputMaybe<OutcomeCategory>;
  /**
   * A new editorial note (at most 2,000 characters), making the basis `EDITORIAL`; `null` removes
   * it, which a fact that cites no passage cannot do.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** A new position in the source's list, from 1; unique within the visit. */
  ordinal?: InputMaybe<Scalars['Int']['input']>;
  /** A new statement; at most 2,000 characters. */
  statement?: InputMaybe<Scalars['String']['input']>;
  /** A new status. */
  status?: InputMaybe<OutcomeStatus>;
  /** Moves it to another visit (a Visit id); its ordinal must be free there. */
  visitId?: InputMaybe<Scalars['ID']['input']>;
};

/** Only the fields given change; `null` clears an optional field. Lists replace the old list. */
export type UpdateVisitInput = {
  /** Ids of the articles that report the visit; replaces the old list. */
  articleIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** A new count of documents signed, 0 or more; `null` when the sources do not say. */
  documentsSignedCount?: InputMaybe<Scalars['Int']['input']>;
  /**
   * A new editorial note (at most 2,000 characters), making the basis `EDITORIAL`; `null` removes
   * it, which a fact that cites no passage cannot do.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** A new last day, not before the start; `null` when the sources do not say. */
  endDate?: InputMaybe<Scalars['Date']['input']>;
  /** How precisely the end is known; `DAY` when `endDate` is given without it. */
  endDatePrecision?: InputMaybe<DatePrecision>;
  /** A new diplomatic rank. */
  kind?: InputMaybe<VisitKind>;
  /** A new place, at most 200 characters; `null` when the sources do not say. */
  location?: InputMaybe<Scalars['String']['input']>;
  /** Who took part, and in which role; replaces the old list. */
  participants?: InputMaybe<Array<ParticipantInput>>;
  /** A new first day; `null` when the sources do not say. */
  startDate?: InputMaybe<Scalars['Date']['input']>;
  /** How precisely the start is known; `DAY` when `startDate` is given without it. */
  startDatePrecision?: InputMaybe<DatePrecision>;
  /** A new name; at most 500 characters. */
  title?: InputMaybe<Scalars['String']['input']>;
};

/** A diplomatic visit. */
export type Visit = Node & {
  __typename?: 'Visit';
  /** Documents signed or adopted during the visit. At most 100. */
  agreements: Array<Agreement>;
  /** Articles that report the visit, paged by cursor, newest first. */
  articles: ArticleConnection;
  /**
   * `CITED` when the visit rests on the passages cited; `EDITORIAL` when some of it is the
   * editor's reading, which `editorialNote` explains.
   */
  basis: Basis;
  /** Passages that report the visit itself. At most 100. */
  citations: Array<Citation>;
  /** When the visit was added to Accord. */
  createdAt: Scalars['DateTime']['output'];
  /** How many documents the sources report as signed during the visit (they may name fewer). */
  documentsSignedCount?: Maybe<Scalars['Int']['output']>;
  /** What no cited passage states, and why the editor recorded it; `null` when the basis is `CITED`. */
  editorialNote?: Maybe<Scalars['String']['output']>;
  /** Last day of the visit, or the first of its month or year (see `endDatePrecision`); `null` when the sources do not say. */
  endDate?: Maybe<Scalars['Date']['output']>;
  /** How precisely `endDate` is known; `null` when it is. */
  endDatePrecision?: Maybe<DatePrecision>;
  /** Globally unique and opaque: pass it back as it is, do not parse it. */
  id: Scalars['ID']['output'];
  /** The visit's diplomatic rank. */
  kind: VisitKind;
  /** Where the visit took place; `null` when the sources do not say. */
  location?: Maybe<Scalars['String']['output']>;
  /** Results the sources attribute to the visit, in the sources' own order. At most 100. */
  outcomes: Array<Outcome>;
  /** Who took part, and in which role. At most 50. */
  participants: Array<Participant>;
  /** The place `location` names, as an object of the record; `null` when the sources do not say. */
  place?: Maybe<Place>;
  /** First day of the visit, or of its month or year (see `startDatePrecision`); `null` when the sources do not say. */
  startDate?: Maybe<Scalars['Date']['output']>;
  /** How precisely `startDate` is known; `null` when it is. */
  startDatePrecision?: Maybe<DatePrecision>;
  /** A short name for the visit, e.g. `State visit of President Emomali Rahmon of Tajikistan to Kyrgyzstan`. */
  title: Scalars['String']['output'];
  /** When the visit was last changed in Accord. */
  updatedAt: Scalars['DateTime']['output'];
  /** Raised by each update; pass it as `expectedVersion` to update safely. */
  version: Scalars['Int']['output'];
};


/** A diplomatic visit. */
export type VisitArticlesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** One page of visits. */
export type VisitConnection = {
  __typename?: 'VisitConnection';
  /** The visits of this page, each with its cursor, in order. */
  edges: Array<VisitEdge>;
  /** Whether another page follows, and the cursor to ask for it. */
  pageInfo: PageInfo;
  /** Number of visits in the whole list, not just this page. */
  totalCount: Scalars['Int']['output'];
};

/** A visit in a page, with its position in the list. */
export type VisitEdge = {
  __typename?: 'VisitEdge';
  /** Opaque position of this visit in the list: pass it as `after` to continue from here, or as `before` for the items before it. */
  cursor: Scalars['String']['output'];
  /** The visit. */
  node: Visit;
};

/** A visit the article reports; the article is linked to it. */
export type VisitFactInput = {
  /** The passages that report the visit; at most 100 (`Visit.citations`). A visit needs citations or an `editorialNote`. */
  citations?: InputMaybe<Array<QuoteInput>>;
  /** Documents the article reports as signed. */
  documentsSignedCount?: InputMaybe<Scalars['Int']['input']>;
  /**
   * What no cited passage states, and why the editor records it; at most 2,000 characters. Makes
   * the basis `EDITORIAL`.
   */
  editorialNote?: InputMaybe<Scalars['String']['input']>;
  /** Last day, when the article says. */
  endDate?: InputMaybe<Scalars['Date']['input']>;
  /** How precisely `endDate` is known; `DAY` when omitted. With `YEAR` or `MONTH`, `endDate` is the first day of the year or month (`2025-03-01` for March 2025). */
  endDatePrecision?: InputMaybe<DatePrecision>;
  /** A name for the visit inside these facts. */
  key: Scalars['String']['input'];
  /** The visit's diplomatic rank. */
  kind: VisitKind;
  /** Where it took place, when the article says. */
  location?: InputMaybe<Scalars['String']['input']>;
  /** Who took part, by actor key. */
  participants?: InputMaybe<Array<ParticipantFactInput>>;
  /** First day, when the article says. */
  startDate?: InputMaybe<Scalars['Date']['input']>;
  /** How precisely `startDate` is known; `DAY` when omitted. With `YEAR` or `MONTH`, `startDate` is the first day of the year or month (`2025-01-01` for 2025). */
  startDatePrecision?: InputMaybe<DatePrecision>;
  /** As `CreateVisitInput.title`. */
  title: Scalars['String']['input'];
};

/** The diplomatic rank of a visit, as protocol names it. */
export type VisitKind =
  /** A visit by a head of state or government at the host's invitation, with less ceremony. */
  | 'OFFICIAL_VISIT'
  /** A visit in a private capacity, not on official business. */
  | 'PRIVATE_VISIT'
  /** The highest rank: a head of state's visit at another's invitation, with full ceremonial. */
  | 'STATE_VISIT'
  /** A visit for talks on set business, with little or no ceremonial. */
  | 'WORKING_VISIT';

/** How to sort visits. */
export type VisitOrder = {
  /** Ascending or descending; default DESC (newest first). */
  direction?: OrderDirection;
  /** The value to sort by. */
  field: VisitOrderField;
};

/** What visits can be sorted by. */
export type VisitOrderField =
  /** The first day of the visit, then the id; visits without a known date come last either way. */
  | 'START_DATE';



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;




/** Mapping of interface types */
export type ResolversInterfaceTypes<_RefType extends Record<string, unknown>> = {
  Node:
    | ( ActorModel )
    | ( AgreementModel )
    | ( ArticleRowModel )
    | ( CitationModel )
    | ( MentionModel )
    | ( OutcomeModel )
    | ( PlaceModel )
    | ( RevisionModel )
    | ( VisitModel )
  ;
};

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Actor: ResolverTypeWrapper<ActorModel>;
  ActorConnection: ResolverTypeWrapper<Omit<ActorConnection, 'edges'> & { edges: Array<ResolversTypes['ActorEdge']> }>;
  ActorEdge: ResolverTypeWrapper<Omit<ActorEdge, 'node'> & { node: ResolversTypes['Actor'] }>;
  ActorFactInput: ActorFactInput;
  ActorFilter: ActorFilter;
  ActorKind: ActorKind;
  ActorOrder: ActorOrder;
  ActorOrderField: ActorOrderField;
  Agreement: ResolverTypeWrapper<AgreementModel>;
  AgreementConnection: ResolverTypeWrapper<Omit<AgreementConnection, 'edges'> & { edges: Array<ResolversTypes['AgreementEdge']> }>;
  AgreementEdge: ResolverTypeWrapper<Omit<AgreementEdge, 'node'> & { node: ResolversTypes['Agreement'] }>;
  AgreementFactInput: AgreementFactInput;
  AgreementFilter: AgreementFilter;
  AgreementKind: AgreementKind;
  AgreementStatus: AgreementStatus;
  ApiKey: ResolverTypeWrapper<ApiKey>;
  Article: ResolverTypeWrapper<ArticleRowModel>;
  ArticleConnection: ResolverTypeWrapper<Omit<ArticleConnection, 'edges'> & { edges: Array<ResolversTypes['ArticleEdge']> }>;
  ArticleEdge: ResolverTypeWrapper<Omit<ArticleEdge, 'node'> & { node: ResolversTypes['Article'] }>;
  ArticleFactsInput: ArticleFactsInput;
  ArticleOrder: ArticleOrder;
  ArticleOrderField: ArticleOrderField;
  ArticlePreview: ResolverTypeWrapper<Omit<ArticlePreview, 'mentions'> & { mentions: Array<ResolversTypes['PreviewMention']> }>;
  ArticleSource: ResolverTypeWrapper<ArticleSource>;
  ArticleSourceFactsInput: ArticleSourceFactsInput;
  Basis: Basis;
  BodyPassage: ResolverTypeWrapper<BodyPassage>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Citation: ResolverTypeWrapper<CitationModel>;
  CreateActorInput: CreateActorInput;
  CreateAgreementInput: CreateAgreementInput;
  CreateArticleInput: CreateArticleInput;
  CreateCitationInput: CreateCitationInput;
  CreateOutcomeInput: CreateOutcomeInput;
  CreateVisitInput: CreateVisitInput;
  CreatedApiKey: ResolverTypeWrapper<CreatedApiKey>;
  Date: ResolverTypeWrapper<Scalars['Date']['output']>;
  DatePrecision: DatePrecision;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  FrontMatter: ResolverTypeWrapper<FrontMatter>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ImportArticleInput: ImportArticleInput;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  KeyRole: KeyRole;
  Mention: ResolverTypeWrapper<MentionModel>;
  MentionConnection: ResolverTypeWrapper<Omit<MentionConnection, 'edges'> & { edges: Array<ResolversTypes['MentionEdge']> }>;
  MentionEdge: ResolverTypeWrapper<Omit<MentionEdge, 'node'> & { node: ResolversTypes['Mention'] }>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NewCitationInput: NewCitationInput;
  Node: ResolverTypeWrapper<ResolversInterfaceTypes<ResolversTypes>['Node']>;
  OrderDirection: OrderDirection;
  Outcome: ResolverTypeWrapper<OutcomeModel>;
  OutcomeCategory: OutcomeCategory;
  OutcomeConnection: ResolverTypeWrapper<Omit<OutcomeConnection, 'edges'> & { edges: Array<ResolversTypes['OutcomeEdge']> }>;
  OutcomeEdge: ResolverTypeWrapper<Omit<OutcomeEdge, 'node'> & { node: ResolversTypes['Outcome'] }>;
  OutcomeFactInput: OutcomeFactInput;
  OutcomeFilter: OutcomeFilter;
  OutcomeOrder: OutcomeOrder;
  OutcomeOrderField: OutcomeOrderField;
  OutcomeStatus: OutcomeStatus;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Paragraph: ResolverTypeWrapper<Paragraph>;
  Participant: ResolverTypeWrapper<VisitParticipantModel>;
  ParticipantFactInput: ParticipantFactInput;
  ParticipantInput: ParticipantInput;
  ParticipantRole: ParticipantRole;
  ParticipationConnection: ResolverTypeWrapper<Omit<ParticipationConnection, 'edges'> & { edges: Array<ResolversTypes['ParticipationEdge']> }>;
  ParticipationEdge: ResolverTypeWrapper<Omit<ParticipationEdge, 'node'> & { node: ResolversTypes['Participant'] }>;
  Place: ResolverTypeWrapper<PlaceModel>;
  PreviewArticleInput: PreviewArticleInput;
  PreviewMention: ResolverTypeWrapper<PreviewMentionRowModel>;
  PreviewParagraph: ResolverTypeWrapper<PreviewParagraph>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  QuoteInput: QuoteInput;
  Revision: ResolverTypeWrapper<RevisionModel>;
  RevisionAction: RevisionAction;
  SearchResult: ResolverTypeWrapper<Omit<SearchResult, 'node'> & { node: ResolversTypes['Node'] }>;
  SourcePassage: ResolverTypeWrapper<SourcePassage>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Suggestion: ResolverTypeWrapper<Suggestion>;
  SuggestionKind: SuggestionKind;
  UpdateActorInput: UpdateActorInput;
  UpdateAgreementInput: UpdateAgreementInput;
  UpdateArticleInput: UpdateArticleInput;
  UpdateOutcomeInput: UpdateOutcomeInput;
  UpdateVisitInput: UpdateVisitInput;
  Visit: ResolverTypeWrapper<VisitModel>;
  VisitConnection: ResolverTypeWrapper<Omit<VisitConnection, 'edges'> & { edges: Array<ResolversTypes['VisitEdge']> }>;
  VisitEdge: ResolverTypeWrapper<Omit<VisitEdge, 'node'> & { node: ResolversTypes['Visit'] }>;
  VisitFactInput: VisitFactInput;
  VisitKind: VisitKind;
  VisitOrder: VisitOrder;
  VisitOrderField: VisitOrderField;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Actor: ActorModel;
  ActorConnection: Omit<ActorConnection, 'edges'> & { edges: Array<ResolversParentTypes['ActorEdge']> };
  ActorEdge: Omit<ActorEdge, 'node'> & { node: ResolversParentTypes['Actor'] };
  ActorFactInput: ActorFactInput;
  ActorFilter: ActorFilter;
  ActorOrder: ActorOrder;
  Agreement: AgreementModel;
  AgreementConnection: Omit<AgreementConnection, 'edges'> & { edges: Array<ResolversParentTypes['AgreementEdge']> };
  AgreementEdge: Omit<AgreementEdge, 'node'> & { node: ResolversParentTypes['Agreement'] };
  AgreementFactInput: AgreementFactInput;
  AgreementFilter: AgreementFilter;
  ApiKey: ApiKey;
  Article: ArticleRowModel;
  ArticleConnection: Omit<ArticleConnection, 'edges'> & { edges: Array<ResolversParentTypes['ArticleEdge']> };
  ArticleEdge: Omit<ArticleEdge, 'node'> & { node: ResolversParentTypes['Article'] };
  ArticleFactsInput: ArticleFactsInput;
  ArticleOrder: ArticleOrder;
  ArticlePreview: Omit<ArticlePreview, 'mentions'> & { mentions: Array<ResolversParentTypes['PreviewMention']> };
  ArticleSource: ArticleSource;
  ArticleSourceFactsInput: ArticleSourceFactsInput;
  BodyPassage: BodyPassage;
  Boolean: Scalars['Boolean']['output'];
  Citation: CitationModel;
  CreateActorInput: CreateActorInput;
  CreateAgreementInput: CreateAgreementInput;
  CreateArticleInput: CreateArticleInput;
  CreateCitationInput: CreateCitationInput;
  CreateOutcomeInput: CreateOutcomeInput;
  CreateVisitInput: CreateVisitInput;
  CreatedApiKey: CreatedApiKey;
  Date: Scalars['Date']['output'];
  DateTime: Scalars['DateTime']['output'];
  Float: Scalars['Float']['output'];
  FrontMatter: FrontMatter;
  ID: Scalars['ID']['output'];
  ImportArticleInput: ImportArticleInput;
  Int: Scalars['Int']['output'];
  JSON: Scalars['JSON']['output'];
  Mention: MentionModel;
  MentionConnection: Omit<MentionConnection, 'edges'> & { edges: Array<ResolversParentTypes['MentionEdge']> };
  MentionEdge: Omit<MentionEdge, 'node'> & { node: ResolversParentTypes['Mention'] };
  Mutation: Record<PropertyKey, never>;
  NewCitationInput: NewCitationInput;
  Node: ResolversInterfaceTypes<ResolversParentTypes>['Node'];
  Outcome: OutcomeModel;
  OutcomeConnection: Omit<OutcomeConnection, 'edges'> & { edges: Array<ResolversParentTypes['OutcomeEdge']> };
  OutcomeEdge: Omit<OutcomeEdge, 'node'> & { node: ResolversParentTypes['Outcome'] };
  OutcomeFactInput: OutcomeFactInput;
  OutcomeFilter: OutcomeFilter;
  OutcomeOrder: OutcomeOrder;
  PageInfo: PageInfo;
  Paragraph: Paragraph;
  Participant: VisitParticipantModel;
  ParticipantFactInput: ParticipantFactInput;
  ParticipantInput: ParticipantInput;
  ParticipationConnection: Omit<ParticipationConnection, 'edges'> & { edges: Array<ResolversParentTypes['ParticipationEdge']> };
  ParticipationEdge: Omit<ParticipationEdge, 'node'> & { node: ResolversParentTypes['Participant'] };
  Place: PlaceModel;
  PreviewArticleInput: PreviewArticleInput;
  PreviewMention: PreviewMentionRowModel;
  PreviewParagraph: PreviewParagraph;
  Query: Record<PropertyKey, never>;
  QuoteInput: QuoteInput;
  Revision: RevisionModel;
  SearchResult: Omit<SearchResult, 'node'> & { node: ResolversParentTypes['Node'] };
  SourcePassage: SourcePassage;
  String: Scalars['String']['output'];
  Subscription: Record<PropertyKey, never>;
  Suggestion: Suggestion;
  UpdateActorInput: UpdateActorInput;
  UpdateAgreementInput: UpdateAgreementInput;
  UpdateArticleInput: UpdateArticleInput;
  UpdateOutcomeInput: UpdateOutcomeInput;
  UpdateVisitInput: UpdateVisitInput;
  Visit: VisitModel;
  VisitConnection: Omit<VisitConnection, 'edges'> & { edges: Array<ResolversParentTypes['VisitEdge']> };
  VisitEdge: Omit<VisitEdge, 'node'> & { node: ResolversParentTypes['Visit'] };
  VisitFactInput: VisitFactInput;
  VisitOrder: VisitOrder;
};

export type CostDirectiveArgs = {
  weight: Scalars['String']['input'];
};

export type CostDirectiveResolver<Result, Parent, ContextType = Context, Args = CostDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ListSizeDirectiveArgs = {
  assumedSize?: Maybe<Scalars['Int']['input']>;
  requireOneSlicingArgument?: Maybe<Scalars['Boolean']['input']>;
  sizedFields?: Maybe<Array<Scalars['String']['input']>>;
  slicingArguments?: Maybe<Array<Scalars['String']['input']>>;
};

export type ListSizeDirectiveResolver<Result, Parent, ContextType = Context, Args = ListSizeDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ActorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Actor'] = ResolversParentTypes['Actor']> = {
  agreements?: Resolver<ResolversTypes['AgreementConnection'], ParentType, ContextType, Partial<ActorAgreementsArgs>>;
  aliases?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  articles?: Resolver<ResolversTypes['ArticleConnection'], ParentType, ContextType, Partial<ActorArticlesArgs>>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  editorialNote?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ActorKind'], ParentType, ContextType>;
  mentions?: Resolver<ResolversTypes['MentionConnection'], ParentType, ContextType, Partial<ActorMentionsArgs>>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  participations?: Resolver<ResolversTypes['ParticipationConnection'], ParentType, ContextType, Partial<ActorParticipationsArgs>>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ActorConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ActorConnection'] = ResolversParentTypes['ActorConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ActorEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ActorEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ActorEdge'] = ResolversParentTypes['ActorEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Actor'], ParentType, ContextType>;
};

export type AgreementResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Agreement'] = ResolversParentTypes['Agreement']> = {
  basis?: Resolver<ResolversTypes['Basis'], ParentType, ContextType>;
  citations?: Resolver<Array<ResolversTypes['Citation']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  editorialNote?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['AgreementKind'], ParentType, ContextType>;
  parties?: Resolver<Array<ResolversTypes['Actor']>, ParentType, ContextType>;
  place?: Resolver<Maybe<ResolversTypes['Place']>, ParentType, ContextType>;
  signedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  signedOnPrecision?: Resolver<Maybe<ResolversTypes['DatePrecision']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AgreementStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  visit?: Resolver<Maybe<ResolversTypes['Visit']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type AgreementConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AgreementConnection'] = ResolversParentTypes['AgreementConnection']> = {
  edges?: Resolver<Array<ResolversTypes['AgreementEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AgreementEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AgreementEdge'] = ResolversParentTypes['AgreementEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Agreement'], ParentType, ContextType>;
};

export type ApiKeyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['KeyRole'], ParentType, ContextType>;
};

export type ArticleResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Article'] = ResolversParentTypes['Article']> = {
  authors?: Resolver<Array<ResolversTypes['Actor']>, ParentType, ContextType>;
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  language?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  paragraphs?: Resolver<Array<ResolversTypes['Paragraph']>, ParentType, ContextType>;
  publishedOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  publisher?: Resolver<Maybe<ResolversTypes['Actor']>, ParentType, ContextType>;
  slug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<Maybe<ResolversTypes['ArticleSource']>, ParentType, ContextType>;
  subtitle?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  visits?: Resolver<Array<ResolversTypes['Visit']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ArticleConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ArticleConnection'] = ResolversParentTypes['ArticleConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ArticleEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ArticleEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ArticleEdge'] = ResolversParentTypes['ArticleEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Article'], ParentType, ContextType>;
};

export type ArticlePreviewResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ArticlePreview'] = ResolversParentTypes['ArticlePreview']> = {
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  facts?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  frontMatter?: Resolver<ResolversTypes['FrontMatter'], ParentType, ContextType>;
  mentionCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  mentions?: Resolver<Array<ResolversTypes['PreviewMention']>, ParentType, ContextType>;
  paragraphs?: Resolver<Array<ResolversTypes['PreviewParagraph']>, ParentType, ContextType>;
  repeats?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  slug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  suggestions?: Resolver<Array<ResolversTypes['Suggestion']>, ParentType, ContextType>;
};

export type ArticleSourceResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ArticleSource'] = ResolversParentTypes['ArticleSource']> = {
  frontMatter?: Resolver<ResolversTypes['FrontMatter'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type BodyPassageResolvers<ContextType = Context, ParentType extends ResolversParentTypes['BodyPassage'] = ResolversParentTypes['BodyPassage']> = {
  end?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  paragraphIndex?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  quote?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CitationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Citation'] = ResolversParentTypes['Citation']> = {
  article?: Resolver<ResolversTypes['Article'], ParentType, ContextType>;
  end?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  paragraphIndex?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  quote?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type CreatedApiKeyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreatedApiKey'] = ResolversParentTypes['CreatedApiKey']> = {
  apiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export interface DateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Date'], any> {
  name: 'Date';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FrontMatterResolvers<ContextType = Context, ParentType extends ResolversParentTypes['FrontMatter'] = ResolversParentTypes['FrontMatter']> = {
  affiliation?: Resolver<Maybe<ResolversTypes['SourcePassage']>, ParentType, ContextType>;
  author?: Resolver<ResolversTypes['SourcePassage'], ParentType, ContextType>;
  byline?: Resolver<ResolversTypes['SourcePassage'], ParentType, ContextType>;
  dateLine?: Resolver<ResolversTypes['SourcePassage'], ParentType, ContextType>;
  masthead?: Resolver<Array<ResolversTypes['SourcePassage']>, ParentType, ContextType>;
  publishedOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  publisher?: Resolver<ResolversTypes['SourcePassage'], ParentType, ContextType>;
  subtitle?: Resolver<Maybe<ResolversTypes['SourcePassage']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['SourcePassage'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MentionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mention'] = ResolversParentTypes['Mention']> = {
  actor?: Resolver<ResolversTypes['Actor'], ParentType, ContextType>;
  article?: Resolver<ResolversTypes['Article'], ParentType, ContextType>;
  end?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  paragraphIndex?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  quote?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MentionConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MentionConnection'] = ResolversParentTypes['MentionConnection']> = {
  edges?: Resolver<Array<ResolversTypes['MentionEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MentionEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MentionEdge'] = ResolversParentTypes['MentionEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Mention'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createActor?: Resolver<ResolversTypes['Actor'], ParentType, ContextType, RequireFields<MutationCreateActorArgs, 'input'>>;
  createAgreement?: Resolver<ResolversTypes['Agreement'], ParentType, ContextType, RequireFields<MutationCreateAgreementArgs, 'input'>>;
  createApiKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType, RequireFields<MutationCreateApiKeyArgs, 'name' | 'role'>>;
  createArticle?: Resolver<ResolversTypes['Article'], ParentType, ContextType, RequireFields<MutationCreateArticleArgs, 'input'>>;
  createCitation?: Resolver<ResolversTypes['Citation'], ParentType, ContextType, RequireFields<MutationCreateCitationArgs, 'input'>>;
  createOutcome?: Resolver<ResolversTypes['Outcome'], ParentType, ContextType, RequireFields<MutationCreateOutcomeArgs, 'input'>>;
  createVisit?: Resolver<ResolversTypes['Visit'], ParentType, ContextType, RequireFields<MutationCreateVisitArgs, 'input'>>;
  deleteActor?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteActorArgs, 'id'>>;
  deleteAgreement?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteAgreementArgs, 'id'>>;
  deleteArticle?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteArticleArgs, 'id'>>;
  deleteCitation?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteCitationArgs, 'id'>>;
  deleteOutcome?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteOutcomeArgs, 'id'>>;
  deleteVisit?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteVisitArgs, 'id'>>;
  importArticle?: Resolver<ResolversTypes['Article'], ParentType, ContextType, RequireFields<MutationImportArticleArgs, 'input'>>;
  removeArticleSource?: Resolver<ResolversTypes['Article'], ParentType, ContextType, RequireFields<MutationRemoveArticleSourceArgs, 'id'>>;
  revokeApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'name'>>;
  updateActor?: Resolver<ResolversTypes['Actor'], ParentType, ContextType, RequireFields<MutationUpdateActorArgs, 'id' | 'input'>>;
  updateAgreement?: Resolver<ResolversTypes['Agreement'], ParentType, ContextType, RequireFields<MutationUpdateAgreementArgs, 'id' | 'input'>>;
  updateArticle?: Resolver<ResolversTypes['Article'], ParentType, ContextType, RequireFields<MutationUpdateArticleArgs, 'id' | 'input'>>;
  updateOutcome?: Resolver<ResolversTypes['Outcome'], ParentType, ContextType, RequireFields<MutationUpdateOutcomeArgs, 'id' | 'input'>>;
  updateVisit?: Resolver<ResolversTypes['Visit'], ParentType, ContextType, RequireFields<MutationUpdateVisitArgs, 'id' | 'input'>>;
};

export type NodeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Node'] = ResolversParentTypes['Node']> = {
  __resolveType: TypeResolveFn<'Actor' | 'Agreement' | 'Article' | 'Citation' | 'Mention' | 'Outcome' | 'Place' | 'Revision' | 'Visit', ParentType, ContextType>;
};

export type OutcomeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Outcome'] = ResolversParentTypes['Outcome']> = {
  basis?: Resolver<ResolversTypes['Basis'], ParentType, ContextType>;
  category?: Resolver<ResolversTypes['OutcomeCategory'], ParentType, ContextType>;
  citations?: Resolver<Array<ResolversTypes['Citation']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  editorialNote?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  ordinal?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  statement?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OutcomeStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  visit?: Resolver<ResolversTypes['Visit'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type OutcomeConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OutcomeConnection'] = ResolversParentTypes['OutcomeConnection']> = {
  edges?: Resolver<Array<ResolversTypes['OutcomeEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type OutcomeEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OutcomeEdge'] = ResolversParentTypes['OutcomeEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Outcome'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ParagraphResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Paragraph'] = ResolversParentTypes['Paragraph']> = {
  duplicateOf?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  end?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ParticipantResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Participant'] = ResolversParentTypes['Participant']> = {
  actor?: Resolver<ResolversTypes['Actor'], ParentType, ContextType>;
  editorialNote?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['ParticipantRole'], ParentType, ContextType>;
  visit?: Resolver<ResolversTypes['Visit'], ParentType, ContextType>;
};

export type ParticipationConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ParticipationConnection'] = ResolversParentTypes['ParticipationConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ParticipationEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ParticipationEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ParticipationEdge'] = ResolversParentTypes['ParticipationEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Participant'], ParentType, ContextType>;
};

export type PlaceResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Place'] = ResolversParentTypes['Place']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PreviewMentionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PreviewMention'] = ResolversParentTypes['PreviewMention']> = {
  actor?: Resolver<ResolversTypes['Actor'], ParentType, ContextType>;
  end?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  paragraphIndex?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  quote?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PreviewParagraphResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PreviewParagraph'] = ResolversParentTypes['PreviewParagraph']> = {
  duplicateOf?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  end?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  actor?: Resolver<Maybe<ResolversTypes['Actor']>, ParentType, ContextType, RequireFields<QueryActorArgs, 'id'>>;
  actors?: Resolver<ResolversTypes['ActorConnection'], ParentType, ContextType, Partial<QueryActorsArgs>>;
  agreement?: Resolver<Maybe<ResolversTypes['Agreement']>, ParentType, ContextType, RequireFields<QueryAgreementArgs, 'id'>>;
  agreements?: Resolver<ResolversTypes['AgreementConnection'], ParentType, ContextType, Partial<QueryAgreementsArgs>>;
  apiKeys?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType>;
  article?: Resolver<Maybe<ResolversTypes['Article']>, ParentType, ContextType, Partial<QueryArticleArgs>>;
  articles?: Resolver<ResolversTypes['ArticleConnection'], ParentType, ContextType, Partial<QueryArticlesArgs>>;
  node?: Resolver<Maybe<ResolversTypes['Node']>, ParentType, ContextType, RequireFields<QueryNodeArgs, 'id'>>;
  outcome?: Resolver<Maybe<ResolversTypes['Outcome']>, ParentType, ContextType, RequireFields<QueryOutcomeArgs, 'id'>>;
  outcomes?: Resolver<ResolversTypes['OutcomeConnection'], ParentType, ContextType, Partial<QueryOutcomesArgs>>;
  previewArticle?: Resolver<ResolversTypes['ArticlePreview'], ParentType, ContextType, RequireFields<QueryPreviewArticleArgs, 'input'>>;
  revisions?: Resolver<Array<ResolversTypes['Revision']>, ParentType, ContextType, RequireFields<QueryRevisionsArgs, 'first' | 'nodeId'>>;
  search?: Resolver<Array<ResolversTypes['SearchResult']>, ParentType, ContextType, RequireFields<QuerySearchArgs, 'first' | 'query'>>;
  visit?: Resolver<Maybe<ResolversTypes['Visit']>, ParentType, ContextType, RequireFields<QueryVisitArgs, 'id'>>;
  visits?: Resolver<ResolversTypes['VisitConnection'], ParentType, ContextType, Partial<QueryVisitsArgs>>;
};

export type RevisionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Revision'] = ResolversParentTypes['Revision']> = {
  action?: Resolver<ResolversTypes['RevisionAction'], ParentType, ContextType>;
  after?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  before?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  editor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  nodeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SearchResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SearchResult'] = ResolversParentTypes['SearchResult']> = {
  node?: Resolver<ResolversTypes['Node'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  snippet?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SourcePassageResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SourcePassage'] = ResolversParentTypes['SourcePassage']> = {
  end?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  actors?: SubscriptionResolver<ResolversTypes['ActorConnection'], "actors", ParentType, ContextType, Partial<SubscriptionActorsArgs>>;
  agreements?: SubscriptionResolver<ResolversTypes['AgreementConnection'], "agreements", ParentType, ContextType, Partial<SubscriptionAgreementsArgs>>;
  article?: SubscriptionResolver<Maybe<ResolversTypes['Article']>, "article", ParentType, ContextType, Partial<SubscriptionArticleArgs>>;
  articles?: SubscriptionResolver<ResolversTypes['ArticleConnection'], "articles", ParentType, ContextType, Partial<SubscriptionArticlesArgs>>;
  node?: SubscriptionResolver<Maybe<ResolversTypes['Node']>, "node", ParentType, ContextType, RequireFields<SubscriptionNodeArgs, 'id'>>;
  outcomes?: SubscriptionResolver<ResolversTypes['OutcomeConnection'], "outcomes", ParentType, ContextType, Partial<SubscriptionOutcomesArgs>>;
  visits?: SubscriptionResolver<ResolversTypes['VisitConnection'], "visits", ParentType, ContextType, Partial<SubscriptionVisitsArgs>>;
};

export type SuggestionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Suggestion'] = ResolversParentTypes['Suggestion']> = {
  fact?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['SuggestionKind'], ParentType, ContextType>;
  passage?: Resolver<Maybe<ResolversTypes['BodyPassage']>, ParentType, ContextType>;
  rule?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type VisitResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Visit'] = ResolversParentTypes['Visit']> = {
  agreements?: Resolver<Array<ResolversTypes['Agreement']>, ParentType, ContextType>;
  articles?: Resolver<ResolversTypes['ArticleConnection'], ParentType, ContextType, Partial<VisitArticlesArgs>>;
  basis?: Resolver<ResolversTypes['Basis'], ParentType, ContextType>;
  citations?: Resolver<Array<ResolversTypes['Citation']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  documentsSignedCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  editorialNote?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  endDate?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  endDatePrecision?: Resolver<Maybe<ResolversTypes['DatePrecision']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['VisitKind'], ParentType, ContextType>;
  location?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  outcomes?: Resolver<Array<ResolversTypes['Outcome']>, ParentType, ContextType>;
  participants?: Resolver<Array<ResolversTypes['Participant']>, ParentType, ContextType>;
  place?: Resolver<Maybe<ResolversTypes['Place']>, ParentType, ContextType>;
  startDate?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  startDatePrecision?: Resolver<Maybe<ResolversTypes['DatePrecision']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type VisitConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['VisitConnection'] = ResolversParentTypes['VisitConnection']> = {
  edges?: Resolver<Array<ResolversTypes['VisitEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type VisitEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['VisitEdge'] = ResolversParentTypes['VisitEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Visit'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  Actor?: ActorResolvers<ContextType>;
  ActorConnection?: ActorConnectionResolvers<ContextType>;
  ActorEdge?: ActorEdgeResolvers<ContextType>;
  Agreement?: AgreementResolvers<ContextType>;
  AgreementConnection?: AgreementConnectionResolvers<ContextType>;
  AgreementEdge?: AgreementEdgeResolvers<ContextType>;
  ApiKey?: ApiKeyResolvers<ContextType>;
  Article?: ArticleResolvers<ContextType>;
  ArticleConnection?: ArticleConnectionResolvers<ContextType>;
  ArticleEdge?: ArticleEdgeResolvers<ContextType>;
  ArticlePreview?: ArticlePreviewResolvers<ContextType>;
  ArticleSource?: ArticleSourceResolvers<ContextType>;
  BodyPassage?: BodyPassageResolvers<ContextType>;
  Citation?: CitationResolvers<ContextType>;
  CreatedApiKey?: CreatedApiKeyResolvers<ContextType>;
  Date?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  FrontMatter?: FrontMatterResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Mention?: MentionResolvers<ContextType>;
  MentionConnection?: MentionConnectionResolvers<ContextType>;
  MentionEdge?: MentionEdgeResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Node?: NodeResolvers<ContextType>;
  Outcome?: OutcomeResolvers<ContextType>;
  OutcomeConnection?: OutcomeConnectionResolvers<ContextType>;
  OutcomeEdge?: OutcomeEdgeResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Paragraph?: ParagraphResolvers<ContextType>;
  Participant?: ParticipantResolvers<ContextType>;
  ParticipationConnection?: ParticipationConnectionResolvers<ContextType>;
  ParticipationEdge?: ParticipationEdgeResolvers<ContextType>;
  Place?: PlaceResolvers<ContextType>;
  PreviewMention?: PreviewMentionResolvers<ContextType>;
  PreviewParagraph?: PreviewParagraphResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Revision?: RevisionResolvers<ContextType>;
  SearchResult?: SearchResultResolvers<ContextType>;
  SourcePassage?: SourcePassageResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Suggestion?: SuggestionResolvers<ContextType>;
  Visit?: VisitResolvers<ContextType>;
  VisitConnection?: VisitConnectionResolvers<ContextType>;
  VisitEdge?: VisitEdgeResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = Context> = {
  cost?: CostDirectiveResolver<any, any, ContextType>;
  listSize?: ListSizeDirectiveResolver<any, any, ContextType>;
};
