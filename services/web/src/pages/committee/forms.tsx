import { Text } from '@gravity-ui/uikit';
import { useController, type Control, type FieldValues, type Path } from 'react-hook-form';
import type { FieldErrors } from 'react-hook-form';
import type { SummaryItem } from '../../forms/ErrorSummary';

/** A group of checkboxes bound to a react-hook-form array of strings; its error sits under the legend. */
export function CheckboxGroup<T extends FieldValues>({
  control,
  name,
  id,
  legend,
  options,
  hint,
}: {
  control: Control<T>;
  name: Path<T>;
  id: string;
  legend: string;
  options: Array<{ value: string; label: string }>;
  hint?: string;
}) {
  const { field, fieldState } = useController({ control, name });
  const value = (field.value ?? []) as string[];
  const error = fieldState.error?.message;
  return (
    <fieldset className="fieldset" id={id} tabIndex={-1} aria-describedby={[hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}>
      <legend className="field__label">{legend}</legend>
      {hint ? (
        <Text id={`${id}-hint`} color="secondary">
          {hint}
        </Text>
      ) : null}
      {error ? (
        <Text id={`${id}-error`} color="danger">
          {error}
        </Text>
      ) : null}
      <div className="stack" style={{ gap: 8 }}>
        {/* The browser's own checkbox: Gravity's would split shared chunks and grow the citizen pages' first load. */}
        {options.map((option) => (
          <label key={option.value} className="committee-check" htmlFor={`${id}-${option.value}`}>
            <input
              type="checkbox"
              id={`${id}-${option.value}`}
              checked={value.includes(option.value)}
              onChange={(event) => field.onChange(event.target.checked ? [...value, option.value] : value.filter((v) => v !== option.value))}
            />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The form's errors for the summary, each linked to its control (nested arrays by `name.index.field`). */
export function summaryOfErrors(errors: FieldErrors, ids: (path: string) => string | undefined, prefix = ''): SummaryItem[] {
  return Object.entries(errors).flatMap(([key, error]) => {
    if (!error || typeof error !== 'object') return [];
    const path = prefix ? `${prefix}.${key}` : key;
    if ('message' in error && typeof error.message === 'string' && error.message) return [{ fieldId: ids(path), message: error.message }];
    return summaryOfErrors(error as FieldErrors, ids, path);
  });
}

/** A decimal typed the Russian way (comma) or the API's way (dot), as the API's string. */
export function decimalText(value: string): string {
  return value.trim().replace(',', '.');
}

export const DECIMAL = /^\d+([.,]\d{1,2})?$/;
