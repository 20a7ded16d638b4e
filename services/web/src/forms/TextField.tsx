import { forwardRef } from 'react';
import { Text, TextArea, TextInput } from '@gravity-ui/uikit';

interface Props {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  type?: 'text' | 'password' | 'number' | 'search';
  multiline?: boolean;
  autoComplete?: string;
  value?: string;
  name?: string;
  onChange?: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => void;
  onBlur?: (event: React.FocusEvent<HTMLInputElement | HTMLTextAreaElement>) => void;
}

/** A labelled text control whose error sits next to it and is tied to it for screen readers. */
export const TextField = forwardRef<HTMLInputElement | HTMLTextAreaElement, Props>(function TextField(
  { id, label, hint, error, type = 'text', multiline, autoComplete, value, name, onChange, onBlur },
  ref,
) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { value, name, onBlur, validationState: error ? ('invalid' as const) : undefined, size: 'l' as const };
  return (
    <div className="stack" style={{ gap: 4 }}>
      <label htmlFor={id}>
        <Text variant="subheader-1">{label}</Text>
      </label>
      {hint ? (
        <Text id={`${id}-hint`} color="secondary">
          {hint}
        </Text>
      ) : null}
      {multiline ? (
        <TextArea
          {...common}
          id={id}
          minRows={3}
          controlRef={ref as React.Ref<HTMLTextAreaElement>}
          controlProps={{ 'aria-describedby': describedBy, 'aria-invalid': !!error }}
          onChange={onChange as React.ChangeEventHandler<HTMLTextAreaElement>}
        />
      ) : (
        <TextInput
          {...common}
          id={id}
          type={type}
          autoComplete={autoComplete}
          controlRef={ref as React.Ref<HTMLInputElement>}
          controlProps={{ 'aria-describedby': describedBy, 'aria-invalid': !!error }}
          onChange={onChange as React.ChangeEventHandler<HTMLInputElement>}
        />
      )}
      {error ? (
        <Text id={`${id}-error`} color="danger">
          {error}
        </Text>
      ) : null}
    </div>
  );
});
