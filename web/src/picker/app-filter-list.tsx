import { Command } from 'cmdk';
import { useDeferredValue, useMemo, useState } from 'react';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';
import { filterApps, indexApps, type PickerApp } from './filter.ts';
import { AppLogoMark, useLogos } from './logo.tsx';
import { teamUsage } from './team-usage.ts';

/** Rendered rows at most: past this the person narrows by typing, and is told so. */
const SHOWN_APPS = 100;
const ALL_APPS = 'all';

export interface AppFilterListProps {
  apps: PickerApp[];
  /** The chosen app's id; '' for all apps. */
  value: string;
  label: string;
  onChoose: (appId: string) => void;
  onClose: () => void;
}

/**
 * The searchable list behind the Connections table's app filter, on cmdk's
 * combobox like the app picker, with the picker's filter and order: the
 * team's apps first, then the catalog. Loaded the first time it opens.
 */
export default function AppFilterList({ apps, value, label, onChoose, onClose }: AppFilterListProps) {
  const { team } = useSession();
  // The order only: the list does not wait for it.
  const usage = useAsync(() => teamUsage(team.id), team.id);
  const [query, setQuery] = useState('');
  const [highlighted, setHighlighted] = useState(value ? `app:${value}` : ALL_APPS);
  const logos = useLogos();
  const index = useMemo(() => indexApps(apps, usage.data ?? NO_USAGE), [apps, usage.data]);
  const deferredQuery = useDeferredValue(query);
  const matching = useMemo(() => filterApps(index, deferredQuery, null), [index, deferredQuery]);
  const visible = matching.slice(0, SHOWN_APPS);
  const searching = deferredQuery.trim() !== '';
  const values = [...(searching ? [] : [ALL_APPS]), ...visible.map((a) => `app:${a.id}`)];
  const active = values.includes(highlighted) ? highlighted : (values[0] ?? '');
  return (
    <Command
      label={label}
      shouldFilter={false}
      className="picker app-filter-list"
      loop
      value={active}
      onValueChange={setHighlighted}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        // Closes the list, not the page's dialog or anything else listening.
        e.preventDefault();
        e.stopPropagation();
        onClose();
      }}
    >
      <Command.Input
        autoFocus
        value={query}
        onValueChange={(q) => {
          setQuery(q);
          setHighlighted('');
        }}
        placeholder="Search apps"
      />
      <Command.List>
        <Command.Empty>No app matches: try another word.</Command.Empty>
        {!searching && (
          <Command.Item value={ALL_APPS} onSelect={() => onChoose('')}>
            <span className="picker-name">All apps</span>
            {value === '' && <Chosen />}
          </Command.Item>
        )}
        {visible.map((app) => (
          <Command.Item key={app.id} value={`app:${app.id}`} onSelect={() => onChoose(app.id)}>
            <AppLogoMark app={app} logo={logos[app.id]} />
            <span className="picker-name">{app.name}</span>
            {app.id === value && <Chosen />}
          </Command.Item>
        ))}
        {matching.length > visible.length && (
          <p className="picker-more" role="status">
            Showing {visible.length} of {matching.length} apps: type to find the others.
          </p>
        )}
      </Command.List>
    </Command>
  );
}

function Chosen() {
  return (
    <small>
      <span aria-hidden="true">✓</span>
      <span className="visually-hidden">(chosen)</span>
    </small>
  );
}

const NO_USAGE: ReadonlyMap<string, number> = new Map();
