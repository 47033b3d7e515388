/**
 * @module Erasure behind a typed confirmation: the operator types the customer's email (or, without one, the
 * word shown) before every trace of the person is removed or anonymized in every module.
 */
import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useEraseCustomer } from '../../api/customers';
import type { Customer } from '../../api/customer-types';
import { notifyError, notifySuccess } from '../../lib/notify';
import { customerName } from './customer-display';

interface Props {
  opened: boolean;
  customer: Customer;
  onClose: () => void;
  onErased: () => void;
}

export function EraseModal({ opened, customer, onClose, onErased }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('customers.erase.title')} centered>
      <EraseForm customer={customer} onClose={onClose} onErased={onErased} />
    </Modal>
  );
}

function EraseForm({ customer, onClose, onErased }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const erase = useEraseCustomer();
  const [typed, setTyped] = useState('');
  const expected = customer.emails[0] ?? t('customers.erase.word');
  const matches = typed.trim().toLowerCase() === expected.toLowerCase();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!matches) return;
    erase.mutate(customer.id, {
      onSuccess: () => {
        notifySuccess(t('customers.erase.erased'));
        onClose();
        onErased();
      },
      onError: (error) => notifyError(error, t('customers.erase.eraseFailed')),
    });
  };

  return (
    <form onSubmit={submit} data-testid="erase-modal" noValidate>
      <Stack>
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />}>
          <Text size="sm">{t('customers.erase.body', { name: customerName(customer) })}</Text>
        </Alert>
        <TextInput
          label={
            <>
              {t('customers.erase.typeToConfirm')} <Code data-testid="erase-expected">{expected}</Code>
            </>
          }
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          autoComplete="off"
          data-autofocus
          data-testid="erase-confirm-input"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            color="red"
            disabled={!matches}
            loading={erase.isPending}
            data-testid="erase-submit"
          >
            {t('customers.erase.confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
