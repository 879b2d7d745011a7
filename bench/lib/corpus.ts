/**
 * The raw material of the synthetic dataset: paragraphs recombined from the sentences of the
 * real source article (so bodies read like the real one and full-text search sees real
 * English), and word lists for names, places and facts. Everything is deterministic: the same
 * generator version builds the same data.
 */
import { readFileSync } from "node:fs";
import { parseArticle } from "../../src/import/parse.js";

/** A small seeded PRNG (mulberry32): the pools are the same on every build. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PoolParagraph {
  text: string;
  /** Length of the first sentence: citations quote it. */
  firstLength: number;
}

/**
 * Sentences of the source body. A sentence ends at `.`, `!`, `?` or `;` after a lowercase
 * letter, so "H.E. Emomali Rahmon" and list numbers stay inside their sentence.
 */
export function sourceSentences(): string[] {
  const source = readFileSync(
    new URL("../../src/seed/articles/tajikistan-kyrgyzstan-border.md", import.meta.url),
    "utf8",
  );
  const article = parseArticle(source);
  return article.paragraphs
    .flatMap((p) => article.body.slice(p.start, p.end).split(/(?<=[a-z)%][.!?;])\s+(?=[A-Z])/))
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s.length >= 40 && s.length <= 420);
}

/**
 * `count` paragraphs of one or two source sentences each (about 290 characters on average,
 * like the source's own paragraphs). Only characters of the Basic Multilingual Plane are
 * used, so Postgres's character offsets equal JavaScript's UTF-16 offsets.
 */
export function paragraphPool(count: number, seed = 1): PoolParagraph[] {
  const sentences = sourceSentences().filter((s) => !/[\uD800-\uDFFF]/.test(s));
  if (sentences.length < 10) throw new Error("the source article has too few sentences");
  const next = random(seed);
  const pick = () => sentences[Math.floor(next() * sentences.length)]!;
  return Array.from({ length: count }, () => {
    const first = pick();
    const parts = next() < 0.75 ? [first] : [first, pick()];
    return { text: parts.join(" "), firstLength: first.length };
  });
}

/** Whitespace-separated words as a list. */
const words = (text: string) => text.trim().split(/\s+/);

export const FIRST_NAMES = words(`
  Aziz Bakhtiyor Dilnoza Farrukh Gulnara Jamshid Kamola Karim Laylo Madina Nodir Otabek Parviz
  Rustam Sadir Shahlo Timur Umida Zarina Akylbek Aida Bolot Cholpon Daniyar Elmira Erlan Gulzat
  Kanat Meerim Nurlan Talant Zhyldyz Askar Dana Yerlan Saule Marat Aigerim Serik Ainur Emomali
  Firdavs Khurshed Manizha Sherali Tahmina Alisher Nigora Sanjar Feruza Ravshan Malika Ulugbek
  Zulfiya Anvar Dildora Ikrom Lola Murod Nasiba Oybek Sabina Shukhrat Yulduz
`);

export const LAST_NAMES = words(`
  Karimov Rahmonov Nazarov Saidov Yusupov Tursunov Aliev Kadyrov Abdullaev Mirzoev Sharipov
  Khodjaev Usmonov Rasulov Safarov Juraev Akhmedov Ismoilov Hasanov Boboev Japarov Tashiev
  Atambaev Otunbaeva Omurbekov Sydykov Toktogulov Imanaliev Jeenbekov Mamytov Asanov Bakirov
  Kasymov Nurmatov Sultanov Zhumabaev Abenov Baimukhamedov Dzhaksybekov Ermekov Iskakov
  Kenzhebaev Mukhametov Nurpeisov Sarsenbaev Tokayev Umarov Zhakupov Muhammadzoda Davlatzoda
  Faizulloev Gafurov Hakimov Ikromov Jalolov Kurbonov Latipov Mahmudov Najmiddinov Olimov Qodirov
  Rajabov Sobirov Tojiev Valiev Yodgorov Zokirov Ergashev Fayzullaev Gulomov Khamidov Mirzayev
  Normatov Ochilov Pulatov Qosimov Rakhimova Salimova Turgunova Yakubova
`);

/** Places the synthetic visits happen in: each names about 1 article in 120. */
export const PLACES = words(`
  Dushanbe Bishkek Tashkent Astana Ashgabat Samarkand Bukhara Khujand Osh Jalal-Abad Batken
  Isfara Kulob Bokhtar Khorog Panjakent Fergana Andijan Namangan Kokand Termez Nukus Khiva Almaty
  Shymkent Karaganda Aktobe Atyrau Mary Turkmenabat Dashoguz Balkanabat Karakol Naryn Talas
  Tokmok Kant Cholpon-Ata Istaravshan Vahdat Hisor Tursunzoda Rasht Murghob Ishkoshim Kashgar
  Urumqi Lanzhou Xian Beijing Shanghai Moscow Kazan Novosibirsk Yekaterinburg Omsk Ankara
  Istanbul Baku Tbilisi Yerevan Tehran Mashhad Kabul Herat Mazar-i-Sharif Islamabad Lahore Delhi
  Mumbai Dubai Doha Riyadh Cairo Geneva Vienna Berlin Paris Brussels Rome Madrid Lisbon Warsaw
  Prague Budapest Bucharest Sofia Belgrade Athens Helsinki Stockholm Oslo Copenhagen Amsterdam
  London Dublin Washington Ottawa Tokyo Seoul Hanoi Bangkok Jakarta Singapore Manila Canberra
  Wellington Nairobi Mogadishu Lagos Dakar Rabat Tunis Algiers Brasilia Santiago Lima Bogota
  Havana
`);

export const VISIT_KINDS = ["STATE_VISIT", "OFFICIAL_VISIT", "WORKING_VISIT", "PRIVATE_VISIT"];

/** Headlines for titles: `%s` is the place. */
export const HEADLINES = [
  "talks in %s open a new page of cooperation",
  "a visit to %s settles long-standing border questions",
  "leaders meet in %s on transport and trade",
  "agreements signed in %s on water and energy",
  "%s talks restore direct flights and crossings",
  "a state visit to %s and its results",
  "what the meeting in %s achieved",
  "good-neighbourliness on the agenda in %s",
];

/** Agreement titles: `%s` is the place. */
export const AGREEMENT_TITLES: [string, string][] = [
  ["TREATY", "Treaty on the state border signed in %s"],
  ["JOINT_STATEMENT", "Joint Statement of the leaders issued in %s"],
  ["AGREEMENT", "Agreement on trade and economic cooperation concluded in %s"],
  ["MEMORANDUM", "Memorandum of understanding on transport links agreed in %s"],
  ["PROTOCOL", "Protocol on border crossings signed in %s"],
  ["DECLARATION", "Declaration on strategic partnership adopted in %s"],
  ["AGREEMENT", "Agreement on water and energy resources concluded in %s"],
  ["MEMORANDUM", "Memorandum on cultural and educational exchange agreed in %s"],
];

/** Outcome statements with their category: `%s` is the place. */
export const OUTCOMES: [string, string][] = [
  ["BORDER", "The issue of the state border was fully resolved after the talks in %s"],
  ["TRANSPORT", "The full operation of two border crossings was restored after %s"],
  ["TRANSPORT", "Direct flights between the capitals and %s were restored"],
  ["MOBILITY", "Mutual visits of citizens increased after the meeting in %s"],
  ["TRADE", "Trade turnover grew following the agreements reached in %s"],
  ["ECONOMY", "Joint investment projects were launched at the %s forum"],
  ["ENERGY", "Electricity supplies across the border were agreed in %s"],
  ["COOPERATION", "Cooperation in education and culture was expanded from %s"],
  ["SECURITY", "Joint measures against cross-border crime were agreed in %s"],
  ["OTHER", "A joint commission was set up to follow up the %s talks"],
  ["BORDER", "Demarcation of the remaining border sections near %s was completed"],
  ["TRADE", "Customs procedures at the %s checkpoint were simplified"],
];

export const ORGANIZATION_WORDS = ["Foundation", "Institute", "Centre", "Council"];
