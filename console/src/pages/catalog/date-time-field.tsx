/**
 * @module A moment typed in the reader's local time (the browser's datetime-local input) and held as ISO-8601
 * UTC, as the API wants; empty means "no bound".
 */
import { TextInput } from '@mantine/core';

interface DateTimeFieldProps {
  label: string;
  value?: string | null;
  onChange: (value: string | null) => void;
  error?: string;
  'data-testid'?: string;
}

/** `2026-03-01T10:00:00.000Z` → `2026-03-01T11:00` at UTC+1: what datetime-local shows. */
function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function DateTimeField({ label, value, onChange, error, ...rest }: DateTimeFieldProps) {
  return (
    <TextInput
      type="datetime-local"
      label={label}
      value={toLocalInput(value ?? null)}
      // datetime-local has no zone: `new Date('2026-03-01T11:00')` reads it as local time, as the reader meant.
      onChange={(event) =>
        onChange(event.currentTarget.value ? new Date(event.currentTarget.value).toISOString() : null)
      }
      error={error}
      data-testid={rest['data-testid']}
    />
  );
}
