import { lazy, Suspense, useMemo } from 'react';
import { listApps } from '../api/catalog.ts';
import { ErrorText, Loading } from '../components/status.tsx';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';
import type { AppSummary, ModuleListing } from '../api/types.ts';
import type { AppPickerProps } from './app-picker.tsx';
import type { PickerApp } from './filter.ts';
import { teamUsage } from './team-usage.ts';

// The picker (cmdk) and its logos load when a person first adds something, not with the first view.
const AppPicker = lazy(() => import('./app-picker.tsx'));

/** The apps that have modules, as the picker lists them: the modules as listed, the category from the catalog. */
function appsOfModules(modules: ModuleListing[], catalog: AppSummary[]): PickerApp[] {
  const categories = new Map(catalog.map((a) => [a.id, a.category]));
  const apps = new Map<string, PickerApp>();
  for (const m of modules) {
    let app = apps.get(m.app);
    if (!app) {
      app = { id: m.app, name: m.appName, category: categories.get(m.app) ?? 'Other', modules: [] };
      apps.set(m.app, app);
    }
    app.modules.push({ id: m.id, name: m.name });
  }
  return [...apps.values()];
}

/**
 * The app picker with what it needs: the catalog (fetched once per page load,
 * see api/catalog.ts) and the team's usage. Given `modules`, it lists the apps
 * that have them (Add module); otherwise every app (Add connection).
 */
export function PickApp({ modules, ...props }: Omit<AppPickerProps, 'apps' | 'usage'> & { modules?: ModuleListing[] }) {
  const { team } = useSession();
  const catalog = useAsync(() => listApps(), 'apps');
  const usage = useAsync(() => teamUsage(team.id), team.id);
  const list = useMemo(
    () => (catalog.data && modules ? appsOfModules(modules, catalog.data) : catalog.data),
    [catalog.data, modules],
  );
  if (catalog.error) return <ErrorText>{catalog.error}</ErrorText>;
  if (!list || usage.loading) return <Loading what="apps" />;
  return (
    <Suspense fallback={<Loading what="apps" />}>
      <AppPicker {...props} apps={list} usage={usage.data ?? NO_USAGE} />
    </Suspense>
  );
}

const NO_USAGE: ReadonlyMap<string, number> = new Map();
