/**
 * @module A failed request, shown in place: the problem's title and detail, the fields it names, the
 * request id to quote to support, and a retry button when the caller can retry.
 */
import { Alert, Button, Group, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { errorMessage, errorTitle } from '../lib/errors';

interface ErrorAlertProps {
  error: unknown;
  onRetry?: () => void;
  'data-testid'?: string;
}

export function ErrorAlert({ error, onRetry, 'data-testid': testId = 'error-alert' }: ErrorAlertProps) {
  const { t } = useTranslation();
  const apiError = error instanceof ApiError ? error : null;
  // Asking again won't change a 403 or 404; it may help after a network blip, a 5xx, a 408 or a 429.
  const retryable =
    !apiError || apiError.status < 400 || apiError.status >= 500 || [408, 429].includes(apiError.status);
  const showRetry = onRetry !== undefined && retryable;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={errorTitle(error)}
      data-testid={testId}
    >
      <Text size="sm">{errorMessage(error)}</Text>
      {apiError && apiError.errors.length > 0 && (
        <List size="sm" mt="xs">
          {apiError.errors.map((fieldError) => (
            <List.Item key={`${fieldError.field}:${fieldError.message}`}>
              <Text span fw={500} size="sm">
                {fieldError.field}
              </Text>
              : {fieldError.message}
            </List.Item>
          ))}
        </List>
      )}
      {(showRetry || apiError?.requestId) && (
        <Group mt="sm" justify="space-between">
          {apiError?.requestId ? (
            <Text size="xs" c="dimmed">
              {t('errors.requestId', { id: apiError.requestId })}
            </Text>
          ) : (
            <span />
          )}
          {showRetry && (
            <Button size="xs" variant="white" color="red" onClick={onRetry} data-testid="error-retry">
              {t('common.retry')}
            </Button>
          )}
        </Group>
      )}
    </Alert>
  );
}
