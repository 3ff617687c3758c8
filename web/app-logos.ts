/**
 * `virtual:app-logos`: the logos of the built-in apps (apps/*.json), made at
 * build time from simple-icons (CC0, https://simpleicons.org). The package holds
 * thousands of brands (about 5 MB of JavaScript); the web app ships only the
 * paths of the apps Hitch has, in one chunk loaded when a picker first opens.
 * An app's brand is its `logo` (a simple-icons slug) when it names one, else
 * its id, else its name as simple-icons spells slugs; apps with none (and
 * administrators' own apps) get a monogram.
 */
import fs from 'node:fs';
import path from 'node:path';
import { svgToPath, titleToSlug } from 'simple-icons/sdk';
import type { Plugin } from 'vite';

const MODULE_ID = 'virtual:app-logos';
const RESOLVED_ID = `\0${MODULE_ID}`;

export interface AppLogo {
  /** The brand's name, as simple-icons titles it. */
  title: string;
  /** One SVG path in a 24×24 box. */
  path: string;
  /** The brand's colour, `#rrggbb`; a dark grey instead when it would not show on white. */
  fill: string;
}

interface IconData {
  title: string;
  slug?: string;
  hex: string;
}

/** Relative luminance (WCAG 2): colours lighter than this vanish on the white of a list. */
const LIGHTEST_FILL = 0.8;

function luminance(hex: string): number {
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function appLogos(options: { appsDir: string; iconsDir: string }): Record<string, AppLogo> {
  const data = JSON.parse(fs.readFileSync(path.join(options.iconsDir, 'data/simple-icons.json'), 'utf8')) as IconData[];
  const icons = new Map(data.map((icon) => [icon.slug ?? titleToSlug(icon.title), icon]));
  const logos: Record<string, AppLogo> = {};
  for (const file of fs.readdirSync(options.appsDir).filter((f) => f.endsWith('.json') && f !== 'schema.json')) {
    const app = JSON.parse(fs.readFileSync(path.join(options.appsDir, file), 'utf8')) as {
      id?: unknown;
      name?: unknown;
      logo?: unknown;
    };
    if (typeof app.id !== 'string') continue;
    const candidates = [
      app.logo,
      app.id,
      app.id.replaceAll('-', ''),
      typeof app.name === 'string' && titleToSlug(app.name),
    ];
    const slug = candidates.find((c): c is string => typeof c === 'string' && icons.has(c));
    if (!slug) continue;
    const icon = icons.get(slug)!;
    const svg = fs.readFileSync(path.join(options.iconsDir, 'icons', `${slug}.svg`), 'utf8');
    logos[app.id] = {
      title: icon.title,
      path: svgToPath(svg),
      fill: luminance(icon.hex) > LIGHTEST_FILL ? '#3a4458' : `#${icon.hex}`,
    };
  }
  return logos;
}

/** The Vite plugin that serves `virtual:app-logos`. */
export function appLogosPlugin(options: { appsDir: string; iconsDir: string }): Plugin {
  return {
    name: 'hitch-app-logos',
    resolveId: (id) => (id === MODULE_ID ? RESOLVED_ID : undefined),
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      this.addWatchFile(options.appsDir);
      return `export default ${JSON.stringify(appLogos(options))};`;
    },
  };
}
