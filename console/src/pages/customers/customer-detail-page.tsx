/**
 * @module Customer 360: who the person is (profile, identifiers from every channel, channels used), what they
 * allowed (consent matrix and its history), everything they did (the unified timeline), how their profile was
 * assembled (identity log, with unmerge), which segments they are in, and the privacy actions — merge with
 * preview, export, restriction, erasure, a pending erasure request, and a preference-centre link for a message.
 * A merged-away id opens the survivor and says so.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Paper,
  Skeleton,
  Stack,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconArrowLeft,
  IconChartPie,
  IconDownload,
  IconFingerprint,
  IconGitMerge,
  IconInfoCircle,
  IconLink,
  IconLock,
  IconLockOpen,
  IconShieldCheck,
  IconTimeline,
  IconTrash,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useCustomer, useExportCustomer, useRestrictCustomer } from '../../api/customers';
import type { CustomerDetail } from '../../api/customer-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { ErrorAlert } from '../../components/error-alert';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { ConsentPanel } from './consent-panel';
import { useCustomerActionsT } from './customer-actions-i18n';
import { customerName, useChannelMap } from './customer-display';
import { CustomerSegmentsPanel } from './customer-segments-panel';
import { EraseModal } from './erase-modal';
import { IdentifiersCard, ProfileCard } from './profile-cards';
import { IdentityLogPanel } from './identity-log-panel';
import { MergeModal } from './merge-modal';
import { PreferenceLinkModal } from './preference-link-modal';
import { ErasureRequestBanner } from './privacy-requests-banner';
import { TimelinePanel } from './timeline-panel';
import { st } from '../segments/segments-i18n';

export function CustomerDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const customer = useCustomer(id);

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/customers" size="sm" data-testid="customer-back">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {t('customers.back')}
        </Group>
      </Anchor>
      {customer.isPending ? (
        <Stack data-testid="customer-loading" aria-busy="true">
          <Skeleton height={36} width="40%" />
          <Skeleton height={240} />
        </Stack>
      ) : customer.error ? (
        <ErrorAlert
          error={customer.error}
          onRetry={() => void customer.refetch()}
          data-testid="customer-error"
        />
      ) : (
        <Customer360 customer={customer.data} />
      )}
    </Stack>
  );
}

function Customer360({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const { ct } = useCustomerActionsT();
  const navigate = useNavigate();
  const can = useCan();
  const channels = useChannelMap();
  const exporter = useExportCustomer();
  const restrict = useRestrictCustomer();
  const [mergeOpened, setMergeOpened] = useState(false);
  const [eraseOpened, setEraseOpened] = useState(false);
  const [restrictOpened, setRestrictOpened] = useState(false);
  const [linkOpened, setLinkOpened] = useState(false);
  const name = customerName(customer);
  // The open tab lives in the URL, so it survives reloads, links and the move to the survivor after an unmerge.
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'timeline';
  const setTab = (value: string | null) => {
    const next = new URLSearchParams(params);
    if (value && value !== 'timeline') next.set('tab', value);
    else next.delete('tab');
    setParams(next, { replace: true });
  };

  const doExport = () =>
    exporter.mutate(customer.id, {
      onSuccess: () => notifySuccess(t('customers.exported')),
      onError: (error) => notifyError(error, t('customers.exportFailed')),
    });

  const setRestricted = (restricted: boolean) =>
    restrict.mutate(
      { id: customer.id, restricted },
      {
        onSuccess: () => {
          notifySuccess(restricted ? t('customers.restrictedToast') : t('customers.unrestrictedToast'));
          setRestrictOpened(false);
        },
        onError: (error) => notifyError(error, t('customers.restrictFailed')),
      },
    );

  return (
    <>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Group gap="xs" wrap="wrap">
            <Title order={2} data-testid="customer-name" style={{ overflowWrap: 'anywhere' }}>
              {name}
            </Title>
            {customer.restricted && (
              <Tooltip label={t('customers.restrictedHint')} multiline w={300} withArrow>
                <Badge
                  color="orange"
                  variant="light"
                  leftSection={<IconLock size={12} />}
                  data-testid="customer-restricted-badge"
                >
                  {t('customers.restricted')}
                </Badge>
              </Tooltip>
            )}
          </Group>
          <Text size="xs" c="dimmed" ff="monospace" data-testid="customer-id">
            {customer.id}
          </Text>
        </Stack>
        <Group gap="xs">
          {can('customers:write') && (
            <Button
              variant="default"
              leftSection={<IconLink size={16} />}
              onClick={() => setLinkOpened(true)}
              data-testid="customer-preference-link-button"
            >
              {ct('customerActions.link.open')}
            </Button>
          )}
          {can('customers:write') && (
            <Button
              variant="default"
              leftSection={<IconGitMerge size={16} />}
              onClick={() => setMergeOpened(true)}
              data-testid="customer-merge-button"
            >
              {t('customers.merge.open')}
            </Button>
          )}
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            loading={exporter.isPending}
            onClick={doExport}
            data-testid="customer-export-button"
          >
            {t('customers.export')}
          </Button>
          {can('customers:restrict') && (
            <Button
              variant="default"
              leftSection={customer.restricted ? <IconLockOpen size={16} /> : <IconLock size={16} />}
              loading={restrict.isPending && !restrictOpened}
              onClick={() => (customer.restricted ? setRestricted(false) : setRestrictOpened(true))}
              data-testid="customer-restrict-button"
            >
              {customer.restricted ? t('customers.unrestrict') : t('customers.restrict')}
            </Button>
          )}
          {can('customers:erase') && (
            <Button
              color="red"
              variant="light"
              leftSection={<IconTrash size={16} />}
              onClick={() => setEraseOpened(true)}
              data-testid="customer-erase-button"
            >
              {t('customers.erase.open')}
            </Button>
          )}
        </Group>
      </Group>

      <ErasureRequestBanner customer={customer} />

      {customer.merged_from && (
        <Alert
          color="blue"
          variant="light"
          icon={<IconInfoCircle size={18} />}
          title={t('customers.mergedNoticeTitle')}
          data-testid="customer-merged-notice"
        >
          <Text size="sm">{t('customers.mergedNotice')}</Text>
          <Text size="xs" c="dimmed" mt={4}>
            {t('customers.mergedFromId', { id: customer.merged_from })}
          </Text>
        </Alert>
      )}

      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, md: 5, lg: 4 }}>
          <Stack gap="md">
            <ProfileCard customer={customer} channels={channels} />
            <IdentifiersCard customer={customer} channels={channels} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7, lg: 8 }}>
          <Paper withBorder radius="md" p="md">
            <Tabs value={tab} onChange={setTab} keepMounted={false}>
              <Tabs.List mb="md">
                <Tabs.Tab
                  value="timeline"
                  leftSection={<IconTimeline size={16} />}
                  data-testid="customer-tab-timeline"
                >
                  {t('customers.timeline.title')}
                </Tabs.Tab>
                <Tabs.Tab
                  value="consent"
                  leftSection={<IconShieldCheck size={16} />}
                  data-testid="customer-tab-consent"
                >
                  {t('customers.consent.title')}
                </Tabs.Tab>
                <Tabs.Tab
                  value="segments"
                  leftSection={<IconChartPie size={16} />}
                  data-testid="customer-tab-segments"
                >
                  {st('segments.customer.tab')}
                </Tabs.Tab>
                <Tabs.Tab
                  value="identity"
                  leftSection={<IconFingerprint size={16} />}
                  data-testid="customer-tab-identity"
                >
                  {t('customers.identityLog.title')}
                </Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="timeline">
                <TimelinePanel customerId={customer.id} channels={channels} />
              </Tabs.Panel>
              <Tabs.Panel value="consent">
                <ConsentPanel
                  customerId={customer.id}
                  channels={channels}
                  customerTimezone={customer.timezone}
                />
              </Tabs.Panel>
              <Tabs.Panel value="segments">
                <CustomerSegmentsPanel customerId={customer.id} />
              </Tabs.Panel>
              <Tabs.Panel value="identity">
                <IdentityLogPanel customerId={customer.id} />
              </Tabs.Panel>
            </Tabs>
          </Paper>
        </Grid.Col>
      </Grid>

      <MergeModal opened={mergeOpened} survivor={customer} onClose={() => setMergeOpened(false)} />
      <PreferenceLinkModal opened={linkOpened} customer={customer} onClose={() => setLinkOpened(false)} />
      <EraseModal
        opened={eraseOpened}
        customer={customer}
        onClose={() => setEraseOpened(false)}
        onErased={() => void navigate('/customers', { replace: true })}
      />
      <ConfirmModal
        opened={restrictOpened}
        title={t('customers.restrictTitle')}
        message={t('customers.restrictBody', { name })}
        confirmLabel={t('customers.restrict')}
        loading={restrict.isPending}
        onConfirm={() => setRestricted(true)}
        onClose={() => setRestrictOpened(false)}
      />
    </>
  );
}
