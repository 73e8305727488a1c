import { existsSync } from 'node:fs';

/** One face for pdfkit: a font file and, for a collection (.ttc), the PostScript name of the face inside it. */
export interface FontFace {
  path: string;
  postscriptName: string | null;
}

export interface CjkFonts {
  regular: FontFace;
  bold: FontFace;
}

/** Thrown when no CJK font can be found: the bulletin cannot be rendered (the API answers 503 with this message). */
export class CjkFontMissingError extends Error {
  constructor(detail: string) {
    super(`The CJK font is not installed (Debian: apt-get install fonts-noto-cjk); ${detail}`);
  }
}

/** Noto Sans CJK SC where the distributions put it (Debian/Ubuntu, Fedora, Arch, Alpine). */
const KNOWN_LOCATIONS: { regular: string; bold: string }[] = [
  { regular: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', bold: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc' },
  { regular: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', bold: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc' },
  { regular: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', bold: '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc' },
];

/** The Simplified Chinese faces of the Noto Sans CJK collections. */
const NOTO_SC = { regular: 'NotoSansCJKsc-Regular', bold: 'NotoSansCJKsc-Bold' };

/**
 * The fonts the bulletin is set in. `override` (BULLETIN_FONT) is one font file used for regular and bold text:
 * a .ttf/.otf, or a collection as `path.ttc#PostScriptName` (without a name the Noto SC face is assumed).
 * Otherwise Noto Sans CJK SC from the known locations; the bold face falls back to the regular one.
 */
export function findCjkFonts(override: string | null = null, exists: (path: string) => boolean = existsSync): CjkFonts {
  if (override) {
    const [path, name] = override.split('#', 2);
    if (!exists(path)) throw new CjkFontMissingError(`BULLETIN_FONT names ${path}, which does not exist`);
    const face: FontFace = { path, postscriptName: name ?? (path.toLowerCase().endsWith('.ttc') ? NOTO_SC.regular : null) };
    return { regular: face, bold: face };
  }
  for (const location of KNOWN_LOCATIONS) {
    if (!exists(location.regular)) continue;
    const regular: FontFace = { path: location.regular, postscriptName: NOTO_SC.regular };
    const bold: FontFace = exists(location.bold) ? { path: location.bold, postscriptName: NOTO_SC.bold } : regular;
    return { regular, bold };
  }
  throw new CjkFontMissingError(`looked for ${KNOWN_LOCATIONS.map((location) => location.regular).join(', ')}`);
}
