/** @module The storefront's empty and error blocks, one look for every page. */
import { Alert, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconMoodEmpty } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useShopT } from './shop-i18n';

export function EmptyState(props: { title: string; body: string; action?: ReactNode; testId?: string }) {
  return (
    <Paper withBorder radius="lg" p="xl" data-testid={props.testId ?? 'shop-empty'}>
      <Stack align="center" ta="center" gap="xs">
        <IconMoodEmpty size={40} color="var(--mantine-color-gray-5)" />
        <Title order={2} size="h4">
          {props.title}
        </Title>
        <Text c="dimmed" maw={460}>
          {props.body}
        </Text>
        {props.action}
      </Stack>
    </Paper>
  );
}

export function ErrorState(props: { onRetry: () => void }) {
  const { t } = useShopT();
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={t('shop.states.errorTitle')}
      data-testid="shop-error"
    >
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{t('shop.states.errorBody')}</Text>
        <Button size="xs" variant="white" color="red" onClick={props.onRetry}>
          {t('shop.states.retry')}
        </Button>
      </Stack>
    </Alert>
  );
}
