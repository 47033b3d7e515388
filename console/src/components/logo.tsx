/**
 * @module The Omnis word mark: a ring (every channel, one customer) and the name.
 */
import { Box, Group, Text, ThemeIcon } from '@mantine/core';

export function Logo({ size = 30 }: { size?: number }) {
  return (
    <Group gap={10} wrap="nowrap">
      <ThemeIcon
        size={size}
        radius="md"
        variant="gradient"
        gradient={{ from: 'blue.7', to: 'cyan.5', deg: 135 }}
      >
        <Box w={size * 0.46} h={size * 0.46} style={{ border: '3px solid white', borderRadius: '50%' }} />
      </ThemeIcon>
      <Text fw={700} size="lg" style={{ letterSpacing: '-0.01em' }}>
        Omnis
      </Text>
    </Group>
  );
}
