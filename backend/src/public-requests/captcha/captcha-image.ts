import { randomInt } from 'node:crypto';

type Point = readonly [number, number];
type Stroke = readonly Point[];

/**
 * Hand-drawn glyphs on a 10 × 16 grid, as strokes: the question is drawn as lines, never as SVG text, so that reading
 * the markup does not give the sum away (a bot needs OCR, and the rate limits bound how often it may guess).
 */
const GLYPHS: Record<string, readonly Stroke[]> = {
  '0': [[[3, 0], [7, 0], [10, 3], [10, 13], [7, 16], [3, 16], [0, 13], [0, 3], [3, 0]]],
  '1': [[[2, 3], [5, 0], [5, 16]], [[2, 16], [8, 16]]],
  '2': [[[0, 3], [3, 0], [7, 0], [10, 3], [10, 6], [0, 16], [10, 16]]],
  '3': [[[0, 1], [9, 1], [4, 7], [7, 7], [10, 10], [10, 13], [7, 16], [3, 16], [0, 14]]],
  '4': [[[7, 16], [7, 0], [0, 11], [10, 11]]],
  '5': [[[10, 0], [1, 0], [0, 7], [6, 6], [10, 9], [10, 13], [7, 16], [2, 16], [0, 14]]],
  '6': [[[9, 1], [6, 0], [3, 0], [0, 4], [0, 13], [3, 16], [7, 16], [10, 13], [10, 10], [7, 7], [3, 7], [0, 10]]],
  '7': [[[0, 0], [10, 0], [4, 16]]],
  '8': [[[5, 7], [2, 7], [0, 5], [0, 2], [2, 0], [8, 0], [10, 2], [10, 5], [8, 7], [5, 7], [2, 9], [0, 11], [0, 14], [2, 16], [8, 16], [10, 14], [10, 11], [8, 9], [5, 7]]],
  '9': [[[1, 15], [4, 16], [7, 16], [10, 12], [10, 3], [7, 0], [3, 0], [0, 3], [0, 6], [3, 9], [7, 9], [10, 6]]],
  '+': [[[5, 3], [5, 13]], [[0, 8], [10, 8]]],
  '-': [[[0, 8], [10, 8]]],
  '=': [[[0, 5], [10, 5]], [[0, 11], [10, 11]]],
  '?': [[[0, 3], [3, 0], [7, 0], [10, 3], [10, 6], [5, 9], [5, 12]], [[5, 15], [5, 16]]],
};

const WIDTH = 200;
const HEIGHT = 64;
const COLOURS = ['#1f3a93', '#8e2f1c', '#1e6b52', '#5b2c83', '#7a5c00', '#333333'];

/** A random number in [min, max) with 0.1 resolution, from the crypto source (no predictable Math.random). */
function jitter(min: number, max: number): number {
  return min + randomInt(0, Math.round((max - min) * 10)) / 10;
}

const fixed = (n: number) => n.toFixed(1);

/** Draws `text` (digits, + - = ?) as an SVG with jittered, rotated strokes and noise lines; answers a data: URL. */
export function renderCaptchaSvg(text: string): string {
  const parts: string[] = [];
  // Noise behind the glyphs: curves across the whole image.
  for (let i = 0; i < 5; i++) {
    const colour = COLOURS[randomInt(0, COLOURS.length)];
    parts.push(
      `<path d="M${fixed(jitter(0, 30))} ${fixed(jitter(5, HEIGHT - 5))} Q${fixed(jitter(60, 140))} ${fixed(jitter(0, HEIGHT))} ${fixed(jitter(170, WIDTH))} ${fixed(jitter(5, HEIGHT - 5))}" stroke="${colour}" stroke-opacity="0.35" stroke-width="${fixed(jitter(1, 2.2))}" fill="none"/>`,
    );
  }
  const advance = Math.min(26, (WIDTH - 16) / text.length);
  let x = 8 + (WIDTH - 16 - advance * text.length) / 2;
  for (const char of text) {
    const glyph = GLYPHS[char];
    if (!glyph) throw new Error(`The captcha cannot draw "${char}"`);
    const scale = jitter(1.9, 2.4);
    const angle = jitter(-14, 14);
    const top = (HEIGHT - 16 * scale) / 2 + jitter(-4, 4);
    const colour = COLOURS[randomInt(0, COLOURS.length)];
    const paths = glyph
      .map((stroke) => 'M' + stroke.map(([px, py]) => `${fixed(px * scale * 0.8 + jitter(-0.8, 0.8))} ${fixed(py * scale + jitter(-0.8, 0.8))}`).join(' L'))
      .join(' ');
    const centreX = 5 * scale * 0.8;
    const centreY = 8 * scale;
    parts.push(
      `<g transform="translate(${fixed(x)} ${fixed(top)}) rotate(${fixed(angle)} ${fixed(centreX)} ${fixed(centreY)})"><path d="${paths}" stroke="${colour}" stroke-width="${fixed(jitter(2.2, 3))}" stroke-linecap="round" stroke-linejoin="round" fill="none"/></g>`,
    );
    x += advance;
  }
  // Dots over the glyphs.
  for (let i = 0; i < 30; i++) {
    parts.push(`<circle cx="${fixed(jitter(0, WIDTH))}" cy="${fixed(jitter(0, HEIGHT))}" r="${fixed(jitter(0.6, 1.6))}" fill="${COLOURS[randomInt(0, COLOURS.length)]}" fill-opacity="0.5"/>`);
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">` +
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#f4f6fa"/>${parts.join('')}</svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
