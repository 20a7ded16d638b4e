import type { ComponentProps } from 'react';
import { useController, type Control, type FieldValues, type Path } from 'react-hook-form';
import { TextField } from '../forms/TextField';

type Props<T extends FieldValues> = Omit<ComponentProps<typeof TextField>, 'value' | 'name' | 'onChange' | 'onBlur' | 'error'> & {
  control: Control<T>;
  name: Path<T>;
};

/** A TextField bound to a react-hook-form field; its error (from zod or from the server) sits next to it. */
export function FormTextField<T extends FieldValues>({ control, name, ...rest }: Props<T>) {
  const { field, fieldState } = useController({ control, name });
  return (
    <TextField
      {...rest}
      ref={field.ref}
      name={field.name}
      value={field.value == null ? '' : String(field.value)}
      onChange={(event) => field.onChange(event.target.value)}
      onBlur={field.onBlur}
      error={fieldState.error?.message}
    />
  );
}
