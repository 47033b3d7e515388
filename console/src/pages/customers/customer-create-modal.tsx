/**
 * @module "Add customer": identifiers (email, phone, loyalty card…) and a name, sent through identity
 * resolution — when the identifiers already belong to someone, that person's profile opens instead of a
 * duplicate being made.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { useCreateCustomer } from '../../api/customers';
import { errorMessage, formFieldName } from '../../lib/errors';
import { notifyError, notifySuccess } from '../../lib/notify';
import { IDENTIFIER_TYPES, identifierTypeLabel } from './identifier-types';

interface Props {
  opened: boolean;
  onClose: () => void;
}

export function CustomerCreateModal({ opened, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('customers.createTitle')} size="lg" centered>
      <CustomerCreateForm onClose={onClose} />
    </Modal>
  );
}

interface Row {
  key: number;
  type: string;
  value: string;
  verified: boolean;
}

let nextKey = 0;
const newRow = (type: string): Row => ({ key: nextKey++, type, value: '', verified: false });

function CustomerCreateForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateCustomer();
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [rows, setRows] = useState<Row[]>(() => [newRow('email'), newRow('phone')]);
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);

  const update = (key: number, patch: Partial<Row>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const filled = rows.filter((row) => row.value.trim());
    setMissing(filled.length === 0);
    setRowErrors({});
    setFormError(null);
    if (filled.length === 0) return;
    create.mutate(
      {
        identifiers: filled.map((row) => ({
          type: row.type,
          value: row.value.trim(),
          verified: row.verified,
        })),
        first_name: firstName.trim() || undefined,
        last_name: lastName.trim() || undefined,
      },
      {
        onSuccess: (result) => {
          notifySuccess(result.created ? t('customers.createdToast') : t('customers.matchedToast'));
          if (result.conflicts.length > 0)
            notifySuccess(t('customers.conflictsToast', { count: result.conflicts.length }));
          onClose();
          void navigate(`/customers/${result.customer.id}`);
        },
        onError: (error) => {
          // `body.identifiers.1.value` → the second filled row.
          if (error instanceof ApiError) {
            const next: Record<number, string> = {};
            for (const fieldError of error.errors) {
              const match = /^identifiers\.(\d+)/.exec(formFieldName(fieldError.field));
              const row = match ? filled[Number(match[1])] : undefined;
              if (row) next[row.key] = fieldError.message;
            }
            setRowErrors(next);
          }
          setFormError(error);
          notifyError(error, t('customers.createFailed'));
        },
      },
    );
  };

  return (
    <form onSubmit={submit} data-testid="customer-modal" noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('customers.createHint')}
        </Text>
        {formError !== null && (
          <Alert color="red" variant="light" data-testid="customer-form-error">
            {errorMessage(formError)}
          </Alert>
        )}
        <Group grow align="flex-start">
          <TextInput
            label={t('customers.firstName')}
            value={firstName}
            onChange={(event) => setFirstName(event.currentTarget.value)}
            maxLength={200}
            data-testid="customer-first-name"
          />
          <TextInput
            label={t('customers.lastName')}
            value={lastName}
            onChange={(event) => setLastName(event.currentTarget.value)}
            maxLength={200}
            data-testid="customer-last-name"
          />
        </Group>
        <Stack gap="xs">
          <Text size="sm" fw={500}>
            {t('customers.identifiers')}
          </Text>
          {rows.map((row, index) => (
            <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap">
              <NativeSelect
                aria-label={t('customers.identifierType')}
                data={IDENTIFIER_TYPES.map((type) => ({ value: type, label: identifierTypeLabel(type) }))}
                value={row.type}
                onChange={(event) => update(row.key, { type: event.currentTarget.value })}
                w={170}
                style={{ flexShrink: 0 }}
                data-testid={`customer-identifier-type-${index}`}
              />
              <TextInput
                aria-label={t('customers.identifierValue')}
                placeholder={identifierTypeLabel(row.type)}
                value={row.value}
                error={rowErrors[row.key]}
                onChange={(event) => update(row.key, { value: event.currentTarget.value })}
                maxLength={320}
                style={{ flex: 1, minWidth: 0 }}
                data-testid={`customer-identifier-value-${index}`}
              />
              <Checkbox
                mt={8}
                label={t('customers.verified')}
                checked={row.verified}
                onChange={(event) => update(row.key, { verified: event.currentTarget.checked })}
                data-testid={`customer-identifier-verified-${index}`}
              />
              <Tooltip label={t('customers.removeIdentifier')} withArrow>
                <ActionIcon
                  mt={4}
                  variant="subtle"
                  color="gray"
                  aria-label={t('customers.removeIdentifier')}
                  disabled={rows.length === 1}
                  onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          ))}
          {missing && (
            <Text size="sm" c="red" data-testid="customer-identifiers-error">
              {t('customers.identifierRequired')}
            </Text>
          )}
          <Group>
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() => setRows((current) => [...current, newRow('external_id')])}
              disabled={rows.length >= 50}
              data-testid="customer-identifier-add"
            >
              {t('customers.addIdentifier')}
            </Button>
          </Group>
        </Stack>
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="customer-submit">
            {t('customers.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
