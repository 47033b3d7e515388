/**
 * @module Deciding an erasure request: confirming it erases the person everywhere (a modal that says it cannot be
 * undone, with the option to keep suppression hashes), rejecting it needs one of the reasons the law allows,
 * which the customer then sees on their preference page.
 */
import { Alert, Button, Checkbox, Code, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ERASURE_REJECTION_REASONS,
  useConfirmErasureRequest,
  useRejectErasureRequest,
  type ErasureRejectionReason,
  type ErasureRequest,
} from '../../api/privacy-requests';
import { notifyError, notifySuccess } from '../../lib/notify';
import { ct } from './customer-actions-i18n';

interface DecisionProps {
  /** The request being decided; null keeps the modal closed. */
  request: ErasureRequest | null;
  onClose: () => void;
}

export function ConfirmErasureModal({ request, onClose }: DecisionProps) {
  return (
    <Modal
      opened={request !== null}
      onClose={onClose}
      title={ct('customerActions.requests.confirmTitle')}
      centered
    >
      {request && <ConfirmErasureForm request={request} onClose={onClose} />}
    </Modal>
  );
}

function ConfirmErasureForm({ request, onClose }: { request: ErasureRequest; onClose: () => void }) {
  const { t } = useTranslation();
  const confirm = useConfirmErasureRequest();
  const [suppress, setSuppress] = useState(false);
  const submit = () =>
    confirm.mutate(
      { id: request.id, suppress },
      {
        onSuccess: () => {
          notifySuccess(ct('customerActions.requests.confirmed'));
          onClose();
        },
        onError: (error) => notifyError(error, ct('customerActions.requests.confirmFailed')),
      },
    );
  return (
    <Stack data-testid="erasure-confirm-modal">
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />}>
        <Text size="sm">{ct('customerActions.requests.confirmBody', { id: request.customer_id })}</Text>
      </Alert>
      <Checkbox
        label={ct('customerActions.requests.suppress')}
        description={ct('customerActions.requests.suppressHint')}
        checked={suppress}
        onChange={(event) => setSuppress(event.currentTarget.checked)}
        data-testid="erasure-confirm-suppress"
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button color="red" loading={confirm.isPending} onClick={submit} data-testid="erasure-confirm-submit">
          {ct('customerActions.requests.confirmSubmit')}
        </Button>
      </Group>
    </Stack>
  );
}

export function RejectErasureModal({ request, onClose }: DecisionProps) {
  return (
    <Modal
      opened={request !== null}
      onClose={onClose}
      title={ct('customerActions.requests.rejectTitle')}
      centered
    >
      {request && <RejectErasureForm request={request} onClose={onClose} />}
    </Modal>
  );
}

function RejectErasureForm({ request, onClose }: { request: ErasureRequest; onClose: () => void }) {
  const { t } = useTranslation();
  const reject = useRejectErasureRequest();
  const [reason, setReason] = useState<ErasureRejectionReason | null>(null);
  const submit = () => {
    if (!reason) return;
    reject.mutate(
      { id: request.id, reason },
      {
        onSuccess: () => {
          notifySuccess(ct('customerActions.requests.rejected'));
          onClose();
        },
        onError: (error) => notifyError(error, ct('customerActions.requests.rejectFailed')),
      },
    );
  };
  return (
    <Stack data-testid="erasure-reject-modal">
      <Text size="sm">{ct('customerActions.requests.rejectBody')}</Text>
      <Text size="xs" c="dimmed">
        {ct('customerActions.requests.customer')}: <Code>{request.customer_id}</Code>
      </Text>
      <Select
        label={ct('customerActions.requests.reason')}
        data={ERASURE_REJECTION_REASONS.map((value) => ({
          value,
          label: ct(`customerActions.requests.reasons.${value}`),
        }))}
        value={reason}
        onChange={(value) => setReason(value as ErasureRejectionReason | null)}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
        data-autofocus
        data-testid="erasure-reject-reason"
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          disabled={!reason}
          loading={reject.isPending}
          onClick={submit}
          data-testid="erasure-reject-submit"
        >
          {ct('customerActions.requests.rejectSubmit')}
        </Button>
      </Group>
    </Stack>
  );
}
