/**
 * @module The customer's data: download everything we hold (at once), or ask to be erased — a request our
 * staff confirm within a month, which the customer can withdraw while it is pending.
 */
import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconDownload, IconInfoCircle, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErasureRequest, Me, usePreferenceActions } from '../../api/preferences';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifyError, notifySuccess } from '../../lib/notify';
import { formatLongDate } from './preferences-language';

const REJECTION_REASONS = [
  'legal_obligation',
  'legal_claims',
  'open_contract',
  'identity_not_verified',
] as const;

function ErasureStatus({
  request,
  onCancel,
  cancelling,
}: {
  request: ErasureRequest;
  onCancel: () => void;
  cancelling: boolean;
}) {
  const { t } = useTranslation();
  if (request.status === 'pending') {
    return (
      <Alert
        color="orange"
        variant="light"
        title={t('preferences.data.pendingTitle')}
        data-testid="erasure-pending"
      >
        <Stack gap="xs">
          <Text size="sm">
            {t('preferences.data.pendingBody', {
              requested: formatLongDate(request.requested_at),
              due: formatLongDate(request.due_at),
            })}
          </Text>
          <Group>
            <Button
              size="xs"
              variant="white"
              color="orange"
              onClick={onCancel}
              loading={cancelling}
              data-testid="erasure-cancel"
            >
              {t('preferences.data.cancel')}
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  if (request.status === 'rejected') {
    const reason = REJECTION_REASONS.find((r) => r === request.reason);
    return (
      <Alert
        color="gray"
        variant="light"
        title={t('preferences.data.rejectedTitle')}
        data-testid="erasure-rejected"
      >
        {t('preferences.data.rejectedBody', {
          requested: formatLongDate(request.requested_at),
          reason: reason ? t(`preferences.data.reasons.${reason}`) : t('preferences.data.reasonUnknown'),
        })}
      </Alert>
    );
  }
  return null;
}

interface DataSectionProps {
  me: Me;
  actions: ReturnType<typeof usePreferenceActions>;
}

export function DataSection({ me, actions }: DataSectionProps) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const request = me.erasure_request;
  const pending = request?.status === 'pending';
  return (
    <Paper withBorder radius="md" p="lg" data-testid="preferences-data">
      <Stack gap="md">
        <div>
          <Title order={3} size="h4">
            {t('preferences.data.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('preferences.data.description')}
          </Text>
        </div>
        {request && (
          <ErasureStatus
            request={request}
            cancelling={actions.cancelErasure.isPending}
            onCancel={() =>
              actions.cancelErasure.mutate(undefined, {
                onError: (error) => notifyError(error, t('preferences.states.saveFailed')),
              })
            }
          />
        )}
        <Group>
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            loading={actions.downloadExport.isPending}
            onClick={() =>
              actions.downloadExport.mutate(undefined, {
                onSuccess: () => notifySuccess(t('preferences.data.downloaded')),
                onError: (error) => notifyError(error, t('preferences.states.saveFailed')),
              })
            }
            data-testid="download-data"
          >
            {t('preferences.data.download')}
          </Button>
          {!pending && (
            <Button
              variant="light"
              color="red"
              leftSection={<IconTrash size={16} />}
              onClick={() => setConfirming(true)}
              data-testid="erase-data"
            >
              {t('preferences.data.erase')}
            </Button>
          )}
        </Group>
        <Group gap={6} wrap="nowrap" align="flex-start">
          <IconInfoCircle
            size={16}
            color="var(--mantine-color-dimmed)"
            style={{ flexShrink: 0, marginTop: 2 }}
          />
          <Text size="xs" c="dimmed">
            {t('preferences.data.eraseNote')}
          </Text>
        </Group>
      </Stack>
      <ConfirmModal
        opened={confirming}
        title={t('preferences.data.eraseTitle')}
        message={t('preferences.data.eraseBody')}
        confirmLabel={t('preferences.data.eraseConfirm')}
        danger
        loading={actions.requestErasure.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() =>
          actions.requestErasure.mutate(undefined, {
            onSuccess: () => setConfirming(false),
            onError: (error) => notifyError(error, t('preferences.states.saveFailed')),
          })
        }
      />
    </Paper>
  );
}
