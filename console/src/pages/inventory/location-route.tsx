/** @module Where stock travels — a transfer's or a lane's two locations, as every inventory table shows them. */
import { Group, Text } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';

/** "WH-GTF · Central warehouse → BCN01 · Barcelona"; names from `useLocationIndex().nameOf`. */
export function LocationRoute({
  from,
  to,
  nameOf,
}: {
  from: string;
  to: string;
  nameOf: (id: string) => string;
}) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm">{nameOf(from)}</Text>
      <IconArrowRight size={14} />
      <Text size="sm">{nameOf(to)}</Text>
    </Group>
  );
}
