import { useId, type ReactNode } from 'react';

/** What a control needs to be named by its label and described by its help and error. */
export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/**
 * One labelled form field: the label with its required mark beside it, the
 * control, the help under the control, and the server's error about this field
 * (`error.field`) under that. Help and error describe the control, so a screen
 * reader says them with it; they are not part of the label's name.
 */
export function Field({
  label,
  required,
  help,
  error,
  children,
}: {
  label: ReactNode;
  required?: boolean;
  help?: ReactNode;
  error?: string | null;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const described = [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {children({
        id,
        ...(described ? { 'aria-describedby': described } : {}),
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
      {help ? <small id={`${id}-help`}>{help}</small> : null}
      {error ? (
        <small id={`${id}-error`} className="field-error" role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}
