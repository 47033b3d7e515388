/**
 * @module A console address that leads nowhere.
 */
import { Button, Container, EmptyState, Paper } from '@mantine/core';
import { IconMapQuestion } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Container size="sm" py="xl">
      <Paper withBorder radius="md" p="xl" data-testid="not-found">
        <EmptyState
          icon={<IconMapQuestion size={28} />}
          variant="light"
          title={t('notFound.title')}
          description={t('notFound.body')}
        >
          <EmptyState.Actions>
            <Button component={Link} to="/">
              {t('notFound.home')}
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    </Container>
  );
}
