import { useEffect, useState } from 'react';
import type { AppLogo } from '../../app-logos.ts';

type Logos = Record<string, AppLogo>;

// One chunk for every picker, fetched the first time one opens.
let loading: Promise<Logos> | null = null;
function loadLogos(): Promise<Logos> {
  loading ??= import('virtual:app-logos').then(
    (m) => m.default,
    () => ({}),
  );
  return loading;
}

export function useLogos(): Logos {
  const [logos, setLogos] = useState<Logos>({});
  useEffect(() => {
    let live = true;
    void loadLogos().then((l) => live && setLogos(l));
    return () => {
      live = false;
    };
  }, []);
  return logos;
}

const MONOGRAM_COLOURS = 8;

/** A stable colour per name, so an app's monogram looks the same everywhere. */
function colourOf(name: string): number {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % MONOGRAM_COLOURS;
}

/** The app's brand mark from simple-icons, or its initials where there is none. Decorative: the name is beside it. */
export function AppLogoMark({ app, logo }: { app: { name: string }; logo: AppLogo | undefined }) {
  if (logo)
    return (
      <svg className="logo" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d={logo.path} fill={logo.fill} />
      </svg>
    );
  const initials = app.name
    .split(/[\s-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
  return (
    <span className={`logo monogram mono-${colourOf(app.name)}`} aria-hidden="true">
      {initials || '?'}
    </span>
  );
}
