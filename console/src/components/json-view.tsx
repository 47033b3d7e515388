/**
 * @module Read-only, pretty-printed JSON (payloads, audit data) that scrolls instead of stretching the page.
 */
import { Code, ScrollArea } from '@mantine/core';

export function JsonView({
  value,
  maxHeight = 360,
  testId,
}: {
  value: unknown;
  maxHeight?: number;
  testId?: string;
}) {
  return (
    <ScrollArea.Autosize mah={maxHeight} type="auto">
      <Code block data-testid={testId} style={{ whiteSpace: 'pre', fontSize: 12 }}>
        {JSON.stringify(value, null, 2)}
      </Code>
    </ScrollArea.Autosize>
  );
}
