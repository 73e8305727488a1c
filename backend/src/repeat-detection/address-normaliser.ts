/**
 * Addresses as citizens give them: "东关新村8栋6楼", "东关大街东关新村8栋602", "幸福路和建设街交叉口往北50米",
 * "东关菜市场外面". The detector compares the place a request is about, so the normaliser keeps the place names
 * and sets aside what varies between callers about one place: house, building, unit and room numbers (kept apart,
 * they tell two buildings of one compound apart), distances and directions (往北50米, 门口, 对面, 附近), and the
 * district and street office names (every order of a street shares them).
 */

/**
 * The province and city an address may start with (广东省深圳市, 云川市 before 东城区): every address of the center
 * shares them. A city is recognised only when a district, county or city follows, so 菜市场 stays.
 */
const LEADING_REGION = /^(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,7}?市(?=[\u4e00-\u9fff]{1,7}?(?:区|县|市|旗)))?/;

/** Numbers with their unit: 12号, 8栋, 3号楼, 2单元, 602室. Chinese numerals count too (三栋). */
const NUMBERED = /([0-9]+|[一二三四五六七八九十百零两]+)(号楼|号院|号|栋|幢|座|单元|门|室|层|楼|米|弄|巷|期)/g;
/** A bare number of three or more digits (a room: 602). */
const BARE_NUMBER = /[0-9]{3,}/g;
/** Where around the place the citizen stands: not part of the place's name. */
const POSITION_WORDS = [
  '大门口',
  '交叉口',
  '十字路口',
  '路口',
  '门口',
  '门前',
  '大门',
  '外面',
  '里面',
  '附近',
  '一带',
  '周边',
  '对面',
  '旁边',
  '楼下',
  '楼上',
  '楼顶',
  '顶楼',
  '往东',
  '往西',
  '往南',
  '往北',
  '东侧',
  '西侧',
  '南侧',
  '北侧',
  '北门',
  '南门',
  '东门',
  '西门',
  '一段',
  '那段',
  '路段',
  '之间',
  '小区',
  '社区',
  '段',
  '处',
  '旁',
  '内',
  '外',
];

const UNIT_ALIASES: Record<string, string> = { 号楼: '栋', 幢: '栋', 座: '栋', 号院: '号' };
const CHINESE_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** The numbers that identify a building or door: unit (号, 栋, 单元, 室) → the numbers given. */
export type HouseNumbers = Record<string, string[]>;

/** Chinese numerals up to 99 as digits (十二 → 12); anything else as given. */
function toDigits(numeral: string): string {
  if (/^[0-9]+$/.test(numeral)) return String(Number(numeral));
  if (numeral.length === 1 && numeral in CHINESE_DIGITS) return String(CHINESE_DIGITS[numeral]);
  const ten = numeral.indexOf('十');
  if (ten >= 0 && numeral.length <= 3) {
    const tens = ten === 0 ? 1 : (CHINESE_DIGITS[numeral[0]] ?? 0);
    const ones = ten === numeral.length - 1 ? 0 : (CHINESE_DIGITS[numeral[ten + 1]] ?? 0);
    return String(tens * 10 + ones);
  }
  return numeral;
}

/** The house, building, unit and room numbers a text names (distances, floors and storeys are left out). */
export function houseNumbers(text: string): HouseNumbers {
  const numbers: HouseNumbers = {};
  for (const match of text.matchAll(NUMBERED)) {
    const unit = UNIT_ALIASES[match[2]] ?? match[2];
    if (!['号', '栋', '单元', '室'].includes(unit)) continue;
    const value = toDigits(match[1]);
    const list = (numbers[unit] ??= []);
    if (!list.includes(value)) list.push(value);
  }
  return numbers;
}

/**
 * The address reduced to its place names, as fragments: numbers, positions and the given unit names removed
 * ("东关大街东关新村8栋602" → ["东关大街东关新村"], "幸福路和建设街交叉口往北50米" → ["幸福路", "建设街"]).
 */
export function placeFragments(address: string, unitNames: readonly string[] = []): string[] {
  let rest = address.replace(LEADING_REGION, '').replace(/[\s,，。、;；:：()（）\-—]+/g, '|');
  for (const name of unitNames) if (name.length >= 2) rest = rest.split(name).join('|');
  rest = rest.replace(NUMBERED, '|').replace(BARE_NUMBER, '|').replace(/[0-9a-zA-Z]+/g, '|');
  for (const word of POSITION_WORDS) rest = rest.split(word).join('|');
  return rest.split('|').filter((fragment) => fragment.length >= 2);
}

/** Character bigrams of the place fragments: what two addresses of one place share however each caller words it. */
export function placeBigrams(address: string, unitNames: readonly string[] = []): Set<string> {
  const bigrams = new Set<string>();
  for (const fragment of placeFragments(address, unitNames)) {
    for (let i = 0; i + 1 < fragment.length; i++) bigrams.add(fragment.slice(i, i + 2));
  }
  return bigrams;
}

/** A road name at the start of a fragment: 东关大街, 南湖大道, 幸福路, 青石巷. */
const LEADING_ROAD = /^(.+?(?:大道|大街|路|街|巷|胡同))(.*)$/;

/**
 * The places an address names besides its roads — a compound, a market, a school, a shop: "南湖大道南山印象" →
 * ["南山印象"], "东关新村8栋6楼" → ["东关新村"], "幸福路12号" → []. Two addresses on one road can still be two places.
 */
export function siteNames(address: string, unitNames: readonly string[] = []): string[] {
  const sites: string[] = [];
  for (const fragment of placeFragments(address, unitNames)) {
    const road = LEADING_ROAD.exec(fragment);
    const rest = road ? road[2] : fragment;
    if (rest.length >= 2) sites.push(rest);
  }
  return sites;
}
