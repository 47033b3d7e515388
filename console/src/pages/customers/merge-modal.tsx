/**
 * @module Merge another profile into this one, with a preview: find the duplicate, see both side by side and
 * the profile the merge will produce before confirming. The preview is the server's dry run
 * (`GET /v1/customers/{id}/merge-preview`), built from the same merge plan as the merge itself, so what is shown
 * is what happens. When the identity rules refuse, the preview says why up front (and a 409 from a race says it
 * too), and the merge can be forced by someone sure it is the same person.
 */
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowRight, IconGitMerge, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useCustomerSearch, useMergeCustomer, useMergePreview } from '../../api/customers';
import type { Customer, CustomerIdentifier, MergePreview } from '../../api/customer-types';
import { IdentifierIcon } from '../../components/channel-icon';
import { ErrorAlert } from '../../components/error-alert';
import { errorMessage } from '../../lib/errors';
import { notifyError, notifySuccess } from '../../lib/notify';
import { ct } from './customer-actions-i18n';
import { customerName, useChannelMap } from './customer-display';
import { identifierTypeLabel } from './identifier-types';

interface Props {
  opened: boolean;
  survivor: Customer;
  onClose: () => void;
}

export function MergeModal({ opened, survivor, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('customers.merge.title')} size="xl" centered>
      <MergeForm survivor={survivor} onClose={onClose} />
    </Modal>
  );
}

function MergeForm({ survivor, onClose }: { survivor: Customer; onClose: () => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [other, setOther] = useState<Customer | null>(null);
  const [force, setForce] = useState(false);
  const [refusal, setRefusal] = useState<unknown>(null);
  const results = useCustomerSearch(q, other === null);
  const preview = useMergePreview(survivor.id, other?.id ?? null);
  const merge = useMergeCustomer();
  const candidates = (results.data?.data ?? []).filter((c) => c.id !== survivor.id);

  const choose = (customer: Customer | null) => {
    setOther(customer);
    setRefusal(null);
    setForce(false);
  };

  const confirm = () => {
    if (!other) return;
    merge.mutate(
      { id: survivor.id, mergeId: other.id, force: force || undefined },
      {
        onSuccess: () => {
          notifySuccess(t('customers.merge.merged'));
          onClose();
        },
        onError: (error) => {
          if (error instanceof ApiError && error.status === 409) setRefusal(error);
          else notifyError(error, t('customers.merge.mergeFailed'));
        },
      },
    );
  };

  if (!other) {
    return (
      <Stack data-testid="merge-modal">
        <Text size="sm" c="dimmed">
          {t('customers.merge.searchHint', { name: customerName(survivor) })}
        </Text>
        <TextInput
          leftSection={<IconSearch size={16} />}
          rightSection={results.isFetching ? <Loader size={14} /> : null}
          label={t('customers.merge.searchLabel')}
          placeholder={t('customers.merge.searchPlaceholder')}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          data-autofocus
          data-testid="merge-search"
        />
        {results.error ? (
          <Alert color="red" variant="light">
            {errorMessage(results.error)}
          </Alert>
        ) : q && results.data && candidates.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="merge-no-results">
            {t('customers.merge.noResults')}
          </Text>
        ) : (
          <Stack gap={6}>
            {candidates.map((candidate) => (
              <UnstyledButton
                key={candidate.id}
                onClick={() => choose(candidate)}
                data-testid="merge-candidate"
                data-customer-id={candidate.id}
              >
                <Paper withBorder radius="md" p="sm">
                  <Group justify="space-between" wrap="nowrap">
                    <Stack gap={0} style={{ minWidth: 0 }}>
                      <Text size="sm" fw={500} truncate>
                        {customerName(candidate)}
                      </Text>
                      <Text size="xs" c="dimmed" truncate>
                        {[...candidate.emails, ...candidate.phones].join(' · ') || candidate.id}
                      </Text>
                    </Stack>
                    <IconArrowRight size={16} />
                  </Group>
                </Paper>
              </UnstyledButton>
            ))}
          </Stack>
        )}
      </Stack>
    );
  }

  const outcome = preview.data;
  // The rules' refusal is known before the click when the preview says so; a 409 from a race says it too.
  const refused: string | null =
    refusal !== null ? errorMessage(refusal) : outcome && !outcome.allowed ? (outcome.conflict ?? '') : null;
  return (
    <Stack data-testid="merge-modal">
      <SimpleGrid cols={{ base: 1, sm: 2 }} data-testid="merge-preview">
        <ProfileSummary customer={survivor} caption={t('customers.merge.keeps')} testId="merge-survivor" />
        <ProfileSummary customer={other} caption={t('customers.merge.mergedAway')} testId="merge-other" />
      </SimpleGrid>
      <Divider label={<IconGitMerge size={16} />} />
      {preview.isPending ? (
        <Paper withBorder radius="md" p="md" data-testid="merge-outcome-loading" aria-busy="true">
          <Text size="sm" c="dimmed" mb="xs">
            {ct('customerActions.merge.loading')}
          </Text>
          <Skeleton height={18} width="40%" mb={8} />
          <Skeleton height={14} mb={6} />
          <Skeleton height={14} width="80%" />
        </Paper>
      ) : preview.error ? (
        <ErrorAlert
          error={preview.error}
          onRetry={() => void preview.refetch()}
          data-testid="merge-outcome-error"
        />
      ) : (
        <MergeOutcome preview={preview.data} survivorName={customerName(survivor)} />
      )}
      {refused !== null && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title={t('customers.merge.refusedTitle')}
          data-testid="merge-refused"
        >
          <Text size="sm">{refused}</Text>
          <Checkbox
            mt="sm"
            label={t('customers.merge.force')}
            description={t('customers.merge.forceHint')}
            checked={force}
            onChange={(event) => setForce(event.currentTarget.checked)}
            data-testid="merge-force"
          />
        </Alert>
      )}
      <Group justify="space-between">
        <Button variant="subtle" onClick={() => choose(null)} data-testid="merge-change">
          {t('customers.merge.change')}
        </Button>
        <Group gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            leftSection={<IconGitMerge size={16} />}
            loading={merge.isPending}
            disabled={!outcome || (refused !== null && !force)}
            color={force ? 'orange' : undefined}
            onClick={confirm}
            data-testid="merge-confirm"
          >
            {t('customers.merge.confirm')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

/** The server's answer: the profile the merge leaves, and what it changes on the way. */
function MergeOutcome({ preview, survivorName }: { preview: MergePreview; survivorName: string }) {
  const { t } = useTranslation();
  const channels = useChannelMap();
  const fieldLabels = {
    first_name: t('customers.firstName'),
    last_name: t('customers.lastName'),
    locale: t('customers.locale'),
    timezone: t('customers.timezone'),
  };
  const filled = (Object.keys(preview.fields_filled) as Array<keyof typeof fieldLabels>).map(
    (field) => `${fieldLabels[field]} (${preview.fields_filled[field]})`,
  );
  return (
    <Paper withBorder radius="md" p="md" bg="var(--mantine-color-default-hover)" data-testid="merge-outcome">
      <Group justify="space-between" mb={4} wrap="wrap">
        <Title order={5}>{t('customers.merge.outcome')}</Title>
        <Badge variant="light" data-testid="merge-outcome-count">
          {t('customers.merge.identifiersCount', { count: preview.result.identifiers.length })}
        </Badge>
      </Group>
      <Text size="sm" fw={500} data-testid="merge-outcome-name">
        {customerName(preview.result)}
      </Text>
      <IdentifierList identifiers={preview.result.identifiers} testId="merge-outcome-identifier" />
      <Stack gap={2} mt="sm">
        <Text size="xs" data-testid="merge-outcome-moves">
          {ct('customerActions.merge.moves', { count: preview.identifiers_moved.length })}
        </Text>
        {filled.length > 0 && (
          <Text size="xs" data-testid="merge-outcome-fills">
            {ct('customerActions.merge.fills', { fields: filled.join(', ') })}
          </Text>
        )}
        {preview.channels_added.length > 0 && (
          <Text size="xs" data-testid="merge-outcome-channels">
            {ct('customerActions.merge.addsChannels', {
              channels: preview.channels_added.map((id) => channels.get(id)?.name ?? id).join(', '),
            })}
          </Text>
        )}
        {preview.traits_added.length > 0 && (
          <Text size="xs" data-testid="merge-outcome-traits">
            {ct('customerActions.merge.addsTraits', { traits: preview.traits_added.join(', ') })}
          </Text>
        )}
      </Stack>
      <Text size="xs" c="dimmed" mt="sm">
        {t('customers.merge.outcomeHint', { name: survivorName })}
      </Text>
    </Paper>
  );
}

function ProfileSummary({
  customer,
  caption,
  testId,
}: {
  customer: Customer;
  caption: string;
  testId: string;
}) {
  const channels = useChannelMap();
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId} data-customer-id={customer.id}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {caption}
      </Text>
      <Text size="sm" fw={600} mt={4} style={{ overflowWrap: 'anywhere' }}>
        {customerName(customer)}
      </Text>
      <Text size="xs" c="dimmed" ff="monospace">
        {customer.id}
      </Text>
      <IdentifierList identifiers={customer.identifiers} />
      {customer.channels.length > 0 && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('customers.channels')}: {customer.channels.map((id) => channels.get(id)?.name ?? id).join(', ')}
        </Text>
      )}
    </Paper>
  );
}

function IdentifierList({ identifiers, testId }: { identifiers: CustomerIdentifier[]; testId?: string }) {
  return (
    <Stack gap={4} mt="xs">
      {identifiers.map((identifier) => (
        <Group key={identifier.id} gap={6} wrap="nowrap" data-testid={testId}>
          <ThemeIcon variant="light" color="gray" size="sm" radius="sm" style={{ flexShrink: 0 }}>
            <IdentifierIcon type={identifier.type} size={12} />
          </ThemeIcon>
          <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
            {identifierTypeLabel(identifier.type)}
          </Text>
          <Text size="sm" style={{ overflowWrap: 'anywhere', minWidth: 0 }}>
            {identifier.value}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
