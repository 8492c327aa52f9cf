import { countryName, formatOffset, languageName, zoneOffsetMinutes } from "./format";

/** Options for the country, time zone and language pickers, built once from Intl. */

export type TOption = { value: string; label: string };

// ISO 3166-1 alpha-2: every officially assigned code.
const COUNTRY_CODES =
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW".split(
    " ",
  );

let countries: TOption[] | undefined;

export function countryOptions(): TOption[] {
  countries ??= COUNTRY_CODES.map((code) => ({ value: code, label: `${countryName(code)} (${code})` })).sort(
    (a, b) => a.label.localeCompare(b.label),
  );
  return countries;
}

let zones: TOption[] | undefined;

/** Every IANA zone this browser knows, "Europe/Berlin · GMT+01:00", plus `current` if it is an alias. */
export function timeZoneOptions(current?: string | null): TOption[] {
  if (!zones) {
    const names = new Set<string>(
      typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [],
    );
    names.add("UTC");
    const now = new Date();
    zones = [...names]
      .map((name) => {
        const offset = zoneOffsetMinutes(name, now);
        return {
          value: name,
          label: offset === null ? name : `${name.replaceAll("_", " ")} · ${formatOffset(offset)}`,
        };
      })
      .sort((a, b) => (a.value === "UTC" ? -1 : b.value === "UTC" ? 1 : a.value.localeCompare(b.value)));
  }
  if (current && !zones.some((zone) => zone.value === current)) {
    return [{ value: current, label: current }, ...zones];
  }
  return zones;
}

// The languages support teams most often answer in; any other BCP 47 tag already on a contact
// is added to the list so it can be kept.
const LANGUAGE_TAGS = [
  "en",
  "en-GB",
  "en-US",
  "de",
  "fr",
  "es",
  "es-MX",
  "pt",
  "pt-BR",
  "it",
  "nl",
  "sv",
  "da",
  "nb",
  "fi",
  "is",
  "pl",
  "cs",
  "sk",
  "hu",
  "ro",
  "bg",
  "el",
  "hr",
  "sr",
  "sl",
  "et",
  "lv",
  "lt",
  "uk",
  "ru",
  "tr",
  "ar",
  "he",
  "fa",
  "hi",
  "bn",
  "ur",
  "ta",
  "th",
  "vi",
  "id",
  "ms",
  "fil",
  "ja",
  "ko",
  "zh",
  "zh-TW",
  "sw",
  "af",
];

let languages: TOption[] | undefined;

export function languageOptions(current?: string | null): TOption[] {
  languages ??= LANGUAGE_TAGS.map((tag) => ({ value: tag, label: `${languageName(tag)} (${tag})` })).sort(
    (a, b) => a.label.localeCompare(b.label),
  );
  if (current && !languages.some((language) => language.value === current)) {
    return [{ value: current, label: `${languageName(current)} (${current})` }, ...languages];
  }
  return languages;
}
