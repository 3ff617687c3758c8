/** What the picker lists: an app with its category and modules, as `GET /apps` gives them. */
export interface PickerApp {
  id: string;
  name: string;
  category: string;
  modules: Array<{ id: string; name: string }>;
}

export interface PickerIndex {
  apps: PickerApp[];
  /** Lower-case text searched per app: name, category and module names. */
  haystacks: string[];
}

/** Built once per catalog: the text each keystroke searches is not rebuilt per keystroke. */
export function indexApps(apps: PickerApp[], usage: ReadonlyMap<string, number>): PickerIndex {
  // The team's apps first, most used first; then the rest in catalog order (a stable sort keeps it).
  const ordered = apps
    .map((app, at) => ({ app, at, uses: usage.get(app.id) ?? 0 }))
    .sort((a, b) => b.uses - a.uses || a.at - b.at)
    .map((x) => x.app);
  return {
    apps: ordered,
    haystacks: ordered.map((a) => [a.name, a.category, ...a.modules.map((m) => m.name)].join('\n').toLowerCase()),
  };
}

function wordsOf(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * The apps matching every word of the query in their name, category or module
 * names, in the index's order, except that apps whose name starts with the
 * query come first: typing "git" puts GitHub before an app that merely has a
 * "git" module.
 */
export function filterApps(index: PickerIndex, query: string, category: string | null): PickerApp[] {
  const words = wordsOf(query);
  const prefix = query.trim().toLowerCase();
  const first: PickerApp[] = [];
  const rest: PickerApp[] = [];
  index.apps.forEach((app, i) => {
    if (category !== null && app.category !== category) return;
    const haystack = index.haystacks[i]!;
    if (!words.every((w) => haystack.includes(w))) return;
    (prefix && app.name.toLowerCase().startsWith(prefix) ? first : rest).push(app);
  });
  return [...first, ...rest];
}

/** Modules whose name, with their app's name, holds every word of the query. */
export function filterModules(
  apps: PickerApp[],
  query: string,
  limit: number,
): Array<{ app: PickerApp; module: { id: string; name: string } }> {
  const words = wordsOf(query);
  if (words.length === 0) return [];
  const found: Array<{ app: PickerApp; module: { id: string; name: string } }> = [];
  for (const app of apps) {
    const appName = app.name.toLowerCase();
    for (const module of app.modules) {
      const text = `${appName}\n${module.name.toLowerCase()}`;
      if (words.every((w) => text.includes(w)) && words.some((w) => module.name.toLowerCase().includes(w))) {
        found.push({ app, module });
        if (found.length >= limit) return found;
      }
    }
  }
  return found;
}

/** The categories in first-seen order, each once. */
export function categoriesOf(apps: PickerApp[]): string[] {
  return [...new Set(apps.map((a) => a.category))];
}
