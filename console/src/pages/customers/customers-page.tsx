/**
 * @module Customers: search over every profile (email, phone in any format, any identifier or name prefix),
 * a table of who they are and where they have been, and "Add customer", which goes through identity
 * resolution like every channel does. Staff who may erase also find the customers' privacy requests here.
 */
import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconLock, IconSearch, IconShieldLock, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCustomers } from '../../api/customers';
import { ChannelBadge } from '../../components/channel-icon';
import { ListState, LoadMore } from '../../components/list-state';
import { PageHeader } from '../../components/page-header';
import { formatDateTime } from '../../lib/format';
import { useCan } from '../../lib/permissions';
import { useCustomerActionsT } from './customer-actions-i18n';
import { CustomerCreateModal } from './customer-create-modal';
import { customerName, useChannelMap } from './customer-display';

const MAX_CHANNEL_BADGES = 3;

export function CustomersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  const customers = useCustomers(q);
  const channels = useChannelMap();
  const can = useCan();
  const canWrite = can('customers:write');
  const canErase = can('customers:erase');
  const { ct } = useCustomerActionsT();
  const [createOpened, setCreateOpened] = useState(false);

  const onSearch = (value: string) => {
    setSearch(value);
    const next = new URLSearchParams(params);
    if (value.trim()) next.set('q', value.trim());
    else next.delete('q');
    setParams(next, { replace: true });
  };

  const createButton = (testId = 'customer-create-button') =>
    canWrite && (
      <Button
        leftSection={<IconUserPlus size={16} />}
        onClick={() => setCreateOpened(true)}
        data-testid={testId}
      >
        {t('customers.create')}
      </Button>
    );

  const searching = q.length > 0;

  return (
    <>
      <PageHeader
        title={t('customers.title')}
        description={t('customers.subtitle')}
        order={2}
        actions={
          <>
            {canErase && (
              <Button
                variant="default"
                component={Link}
                to="/customers/privacy-requests"
                leftSection={<IconShieldLock size={16} />}
                data-testid="customers-privacy-requests"
              >
                {ct('customerActions.requests.open')}
              </Button>
            )}
            {createButton()}
          </>
        }
      />
      <TextInput
        mb="md"
        leftSection={<IconSearch size={16} />}
        placeholder={t('customers.searchPlaceholder')}
        aria-label={t('customers.searchLabel')}
        value={search}
        onChange={(event) => onSearch(event.currentTarget.value)}
        maxLength={320}
        data-testid="customer-search"
      />
      <ListState
        isPending={customers.isPending}
        error={customers.error}
        onRetry={() => void customers.refetch()}
        isEmpty={customers.items.length === 0}
        emptyIcon={searching ? <IconSearch size={28} /> : <IconUsers size={28} />}
        emptyTitle={searching ? t('customers.emptySearchTitle', { q }) : t('customers.emptyTitle')}
        emptyDescription={searching ? t('customers.emptySearchBody') : t('customers.emptyBody')}
        emptyAction={!searching && createButton('customer-create-button-empty')}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer type="native" minWidth={900}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="customers-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('customers.name')}</Table.Th>
                  <Table.Th>{t('customers.emails')}</Table.Th>
                  <Table.Th>{t('customers.phones')}</Table.Th>
                  <Table.Th>{t('customers.channels')}</Table.Th>
                  <Table.Th>{t('customers.lastSeen')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {customers.items.map((customer) => (
                  <Table.Tr
                    key={customer.id}
                    data-testid="customer-row"
                    data-customer-id={customer.id}
                    style={{ cursor: 'pointer' }}
                    onClick={(event) => {
                      // Let the name link (and middle-clicks on it) do their own thing.
                      if ((event.target as HTMLElement).closest('a')) return;
                      void navigate(`/customers/${customer.id}`);
                    }}
                  >
                    <Table.Td maw={260}>
                      <Group gap={6} wrap="nowrap">
                        <Anchor
                          component={Link}
                          to={`/customers/${customer.id}`}
                          size="sm"
                          fw={500}
                          truncate
                          data-testid="customer-row-link"
                        >
                          {customerName(customer)}
                        </Anchor>
                        {customer.restricted && (
                          <Tooltip label={t('customers.restrictedHint')} multiline w={280} withArrow>
                            <Badge
                              size="xs"
                              color="orange"
                              variant="light"
                              leftSection={<IconLock size={10} />}
                              style={{ flexShrink: 0 }}
                            >
                              {t('customers.restricted')}
                            </Badge>
                          </Tooltip>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td maw={260}>
                      <ValueList values={customer.emails} />
                    </Table.Td>
                    <Table.Td>
                      <ValueList values={customer.phones} />
                    </Table.Td>
                    <Table.Td>
                      {customer.channels.length === 0 ? (
                        <Text size="sm" c="dimmed">
                          {t('customers.noChannelsYet')}
                        </Text>
                      ) : (
                        <Group gap={4}>
                          {customer.channels.slice(0, MAX_CHANNEL_BADGES).map((id) => (
                            <ChannelBadge key={id} id={id} channels={channels} />
                          ))}
                          {customer.channels.length > MAX_CHANNEL_BADGES && (
                            <Badge variant="outline" color="gray" radius="sm">
                              {t('customers.moreCount', {
                                count: customer.channels.length - MAX_CHANNEL_BADGES,
                              })}
                            </Badge>
                          )}
                        </Group>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(customer.last_seen_at)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <LoadMore {...customers} />
      </ListState>
      <CustomerCreateModal opened={createOpened} onClose={() => setCreateOpened(false)} />
    </>
  );
}

/** Up to two values, then "+N". */
function ValueList({ values }: { values: string[] }) {
  const { t } = useTranslation();
  if (values.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Stack gap={0}>
      {values.slice(0, 2).map((value) => (
        <Text key={value} size="sm" truncate>
          {value}
        </Text>
      ))}
      {values.length > 2 && (
        <Text size="xs" c="dimmed">
          {t('customers.moreCount', { count: values.length - 2 })}
        </Text>
      )}
    </Stack>
  );
}
