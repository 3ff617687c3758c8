import { lazy, Suspense, useId, useRef, useState, type FocusEvent } from 'react';
import { Loading } from '../components/status.tsx';
import type { PickerApp } from './filter.ts';

// cmdk and the logos load the first time the list opens, not with the first view.
const AppFilterList = lazy(() => import('./app-filter-list.tsx'));

/**
 * A filter by app that scales to the whole catalog: a button naming the chosen
 * app (or All apps) that opens a searchable list under it. Enter or the arrow
 * key opens it, typing narrows it, arrows and Enter choose, Escape closes it;
 * focus comes back to the button either way.
 */
export function AppFilter({
  apps,
  value,
  onChange,
}: {
  apps: PickerApp[] | undefined;
  /** The chosen app's id; '' for all apps. */
  value: string;
  onChange: (appId: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const labelId = useId();
  const buttonId = useId();
  const chosen = value === '' ? 'All apps' : (apps?.find((a) => a.id === value)?.name ?? value);
  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };
  // Focus leaving the filter (a click elsewhere, Tab) closes the list, as a select's does.
  const onBlur = (e: FocusEvent<HTMLDivElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget)) close(false);
  };
  return (
    <div className="app-filter" onBlur={onBlur}>
      <span id={labelId}>App</span>
      <button
        ref={button}
        id={buttonId}
        type="button"
        className="secondary"
        aria-labelledby={`${labelId} ${buttonId}`}
        aria-haspopup="dialog"
        aria-expanded={open}
        disabled={!apps}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {chosen} <span aria-hidden="true">▾</span>
      </button>
      {open && apps && (
        <div
          className="app-filter-popover"
          role="dialog"
          aria-label="Filter connections by app"
          // A click on a row (not focusable) would take focus from the search and close the list first.
          onMouseDown={(e) => {
            if (!(e.target instanceof HTMLInputElement)) e.preventDefault();
          }}
        >
          <Suspense fallback={<Loading what="apps" />}>
            <AppFilterList
              apps={apps}
              value={value}
              label="Filter connections by app"
              onChoose={(appId) => {
                close(true);
                if (appId !== value) onChange(appId);
              }}
              onClose={() => close(true)}
            />
          </Suspense>
        </div>
      )}
    </div>
  );
}
