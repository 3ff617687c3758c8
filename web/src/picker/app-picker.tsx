import { Command } from 'cmdk';
import { useDeferredValue, useMemo, useState } from 'react';
import { plural } from '../format.ts';
import { categoriesOf, filterApps, filterModules, indexApps, type PickerApp } from './filter.ts';
import { AppLogoMark, useLogos } from './logo.tsx';

/** Rendered rows at most: past this the person narrows by typing or by category, and is told so. */
const SHOWN_APPS = 200;
const SHOWN_MODULES = 50;

export interface AppPickerProps {
  apps: PickerApp[];
  /** Uses per app id in this team: those apps come first. */
  usage: ReadonlyMap<string, number>;
  /** `app`: choose an app (Add connection). `module`: choose one of an app's modules (Add module). */
  choose: 'app' | 'module';
  label: string;
  onPick: (pick: { app: PickerApp; moduleId?: string }) => void;
}

/**
 * The searchable list of apps (and their modules) behind Add connection and
 * Add module, on cmdk's accessible combobox: type to filter by app name,
 * category or module name, arrow keys to move, Enter to choose. The catalog is
 * filtered here, in the browser, from the one cached listing.
 */
export default function AppPicker({ apps, usage, choose, label, onPick }: AppPickerProps) {
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  // Module mode, after an app is chosen: its modules.
  const [opened, setOpened] = useState<PickerApp | null>(null);
  // The highlighted row, kept here: the list changes under cmdk (a narrower search, a category), and the
  // highlight goes to the first row whenever the one it was on is gone.
  const [highlighted, setHighlighted] = useState('');
  const search = (q: string) => {
    setQuery(q);
    setHighlighted('');
  };
  const logos = useLogos();
  const index = useMemo(() => indexApps(apps, usage), [apps, usage]);
  const categories = useMemo(() => categoriesOf(apps).sort((a, b) => a.localeCompare(b)), [apps]);
  // Typing stays instant at 1,000 apps: the list follows a beat behind the input when it must.
  const deferredQuery = useDeferredValue(query);
  const matching = useMemo(() => filterApps(index, deferredQuery, category), [index, deferredQuery, category]);
  const modules = useMemo(
    () => (choose === 'module' ? filterModules(matching, deferredQuery, SHOWN_MODULES) : []),
    [choose, matching, deferredQuery],
  );
  const used = (app: PickerApp) => (usage.get(app.id) ?? 0) > 0;

  function pickApp(app: PickerApp) {
    if (choose === 'app') onPick({ app });
    else if (app.modules.length === 1) onPick({ app, moduleId: app.modules[0]!.id });
    else {
      setOpened(app);
      search('');
    }
  }

  if (opened) {
    const shown = opened.modules.filter((m) => m.name.toLowerCase().includes(query.trim().toLowerCase()));
    const activeModule = shown.some((m) => m.id === highlighted) ? highlighted : (shown[0]?.id ?? '');
    return (
      <Command
        // A view of its own (not the apps list's cmdk state reused): its rows and highlight start afresh.
        key={`modules:${opened.id}`}
        label={`Modules of ${opened.name}`}
        shouldFilter={false}
        className="picker"
        loop
        value={activeModule}
        onValueChange={setHighlighted}
      >
        <div className="picker-head">
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setOpened(null);
              search('');
            }}
          >
            All apps
          </button>
          <AppLogoMark app={opened} logo={logos[opened.id]} />
          <strong>{opened.name}</strong>
        </div>
        <Command.Input
          autoFocus
          value={query}
          onValueChange={search}
          placeholder={`Search the modules of ${opened.name}`}
          onKeyDown={(e) => {
            // Backspace in an empty search goes back to the apps, as in Make's module picker.
            if (e.key === 'Backspace' && query === '') setOpened(null);
          }}
        />
        <Command.List>
          <Command.Empty>No module of {opened.name} matches: try another word.</Command.Empty>
          {shown.map((m) => (
            <Command.Item key={m.id} value={m.id} onSelect={() => onPick({ app: opened, moduleId: m.id })}>
              {m.name}
            </Command.Item>
          ))}
        </Command.List>
      </Command>
    );
  }

  const visible = matching.slice(0, SHOWN_APPS);
  const groups = [
    { heading: 'Your team’s apps', apps: visible.filter(used) },
    { heading: visible.some(used) ? 'Other apps' : 'Apps', apps: visible.filter((a) => !used(a)) },
  ];
  const values = [
    ...modules.map(({ app, module }) => `module:${app.id}/${module.id}`),
    ...groups.flatMap((g) => g.apps.map((a) => `app:${a.id}`)),
  ];
  const active = values.includes(highlighted) ? highlighted : (values[0] ?? '');
  return (
    <Command label={label} shouldFilter={false} className="picker" loop value={active} onValueChange={setHighlighted}>
      <Command.Input
        autoFocus
        value={query}
        onValueChange={search}
        placeholder={choose === 'app' ? 'Search apps' : 'Search apps and modules'}
      />
      <div className="categories" role="group" aria-label="Categories">
        <button
          type="button"
          aria-pressed={category === null}
          onClick={() => {
            setCategory(null);
            setHighlighted('');
          }}
        >
          All
        </button>
        {categories.map((c) => (
          <button
            key={c}
            type="button"
            aria-pressed={category === c}
            onClick={() => {
              setCategory(category === c ? null : c);
              setHighlighted('');
            }}
          >
            {c}
          </button>
        ))}
      </div>
      <Command.List>
        <Command.Empty>No app matches{category ? ` in ${category}` : ''}: try another word or category.</Command.Empty>
        {modules.length > 0 && (
          <Command.Group heading="Modules">
            {modules.map(({ app, module }) => (
              <Command.Item
                key={`${app.id}/${module.id}`}
                value={`module:${app.id}/${module.id}`}
                onSelect={() => onPick({ app, moduleId: module.id })}
              >
                <AppLogoMark app={app} logo={logos[app.id]} />
                <span>
                  {app.name}: {module.name}
                </span>
              </Command.Item>
            ))}
          </Command.Group>
        )}
        {groups.map(
          (group) =>
            group.apps.length > 0 && (
              <Command.Group key={group.heading} heading={group.heading}>
                {group.apps.map((app) => (
                  <Command.Item key={app.id} value={`app:${app.id}`} onSelect={() => pickApp(app)}>
                    <AppLogoMark app={app} logo={logos[app.id]} />
                    <span className="picker-name">{app.name}</span>
                    <small>
                      {app.category}
                      {choose === 'module' ? ` · ${plural(app.modules.length, 'module', 'modules')}` : ''}
                      {used(app) ? ` · used ${plural(usage.get(app.id) ?? 0, 'time', 'times')}` : ''}
                    </small>
                  </Command.Item>
                ))}
              </Command.Group>
            ),
        )}
        {matching.length > visible.length && (
          <p className="picker-more" role="status">
            Showing {visible.length} of {matching.length} apps: type or choose a category to find the others.
          </p>
        )}
      </Command.List>
    </Command>
  );
}
