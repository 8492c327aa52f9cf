/** Turning people's and companies' names into the ASCII parts of email addresses and domains. */

const SPECIAL: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  ø: "o",
  œ: "oe",
  ł: "l",
  đ: "d",
  þ: "th",
  ı: "i",
};

/** Lower-case ASCII letters and digits only: "Wikström-Ösel" → "wikstromosel". */
export function asciiWord(text: string): string {
  return text
    .toLowerCase()
    .replace(/[ßæøœłđþı]/g, (ch) => SPECIAL[ch] ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]/g, "");
}

// Joining words and legal forms that say nothing about which company it is.
const NOISE = new Set([
  "and",
  "und",
  "et",
  "e",
  "y",
  "og",
  "och",
  "i",
  "en",
  "the",
  "de",
  "van",
  "der",
  "la",
  "le",
  "group",
  "llc",
  "inc",
  "ltd",
  "plc",
  "gmbh",
  "ag",
  "kg",
  "co",
  "corp",
  "sa",
  "spa",
  "srl",
  "sarl",
  "bv",
  "nv",
  "ab",
  "as",
  "oy",
  "sp",
  "zoo",
  "hermanos",
  "bedrijf",
  "holding",
  "pty",
]);

/** The words a company's domain is made of: "Hartz, Esser und Lindenberg" → ["hartz", "esser", "lindenberg"]. */
export function domainWords(companyName: string): string[] {
  const words = companyName
    .split(/[\s,&/+.-]+/)
    .map(asciiWord)
    .filter((w) => w.length > 0);
  const meaningful = words.filter((w) => !NOISE.has(w));
  return meaningful.length > 0 ? meaningful : words.length > 0 ? words : ["company"];
}
