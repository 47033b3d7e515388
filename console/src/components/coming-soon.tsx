/**
 * @module The empty state of an area the console does not cover yet: its name and one paragraph on what
 * will be there.
 */
import { Container, EmptyState, Paper } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from './page-header';

export type Area =
  'customers' | 'inbox' | 'catalog' | 'inventory' | 'orders' | 'pos' | 'campaigns' | 'analytics';

export function ComingSoon({ area, icon }: { area: Area; icon: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Container size="lg" px={0}>
      <PageHeader title={t(`areas.${area}.title`)} order={2} />
      <Paper withBorder radius="md" p={{ base: 'lg', sm: 48 }} data-testid={`coming-soon-${area}`}>
        <EmptyState
          icon={icon}
          variant="light"
          size="lg"
          title={t(`areas.${area}.emptyTitle`)}
          description={t(`areas.${area}.description`)}
          maw={560}
          mx="auto"
        />
      </Paper>
    </Container>
  );
}
