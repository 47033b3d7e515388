/**
 * @module The 360's left column: the profile (language, time zone, first and last seen, channels used,
 * traits) and every identifier with its type's icon, verified mark and the channel it came from.
 */
import { Badge, Group, Paper, Stack, Table, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerDetail } from '../../api/customer-types';
import type { Channel } from '../../api/types';
import { ChannelBadge, IdentifierIcon } from '../../components/channel-icon';
import { JsonView } from '../../components/json-view';
import { formatDateTime } from '../../lib/format';
import { identifierTypeLabel } from './identifier-types';

interface CardProps {
  customer: CustomerDetail;
  channels: Map<string, Channel>;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td w="40%" style={{ verticalAlign: 'top' }}>
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Table.Td>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>{children}</Table.Td>
    </Table.Tr>
  );
}

export function ProfileCard({ customer, channels }: CardProps) {
  const { t } = useTranslation();
  const notSet = (
    <Text size="sm" c="dimmed">
      {t('customers.notSet')}
    </Text>
  );
  const traits = Object.keys(customer.traits).length > 0;
  return (
    <Paper withBorder radius="md" p="md" data-testid="customer-profile">
      <Title order={4} mb="sm">
        {t('customers.profile')}
      </Title>
      <Table verticalSpacing={6} withRowBorders={false} layout="fixed">
        <Table.Tbody>
          <Field label={t('customers.firstName')}>
            {customer.first_name ? <Text size="sm">{customer.first_name}</Text> : notSet}
          </Field>
          <Field label={t('customers.lastName')}>
            {customer.last_name ? <Text size="sm">{customer.last_name}</Text> : notSet}
          </Field>
          <Field label={t('customers.locale')}>
            {customer.locale ? <Text size="sm">{customer.locale}</Text> : notSet}
          </Field>
          <Field label={t('customers.timezone')}>
            {customer.timezone ? <Text size="sm">{customer.timezone}</Text> : notSet}
          </Field>
          <Field label={t('customers.firstSeen')}>
            <Text size="sm">{formatDateTime(customer.first_seen_at)}</Text>
          </Field>
          <Field label={t('customers.lastSeen')}>
            <Text size="sm">{formatDateTime(customer.last_seen_at)}</Text>
          </Field>
          <Field label={t('customers.channels')}>
            {customer.channels.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('customers.noChannelsYet')}
              </Text>
            ) : (
              <Group gap={4} data-testid="customer-channels">
                {customer.channels.map((id) => (
                  <ChannelBadge key={id} id={id} channels={channels} />
                ))}
              </Group>
            )}
          </Field>
        </Table.Tbody>
      </Table>
      {traits && (
        <Stack gap={4} mt="sm">
          <Text size="sm" c="dimmed">
            {t('customers.traits')}
          </Text>
          <JsonView value={customer.traits} maxHeight={200} testId="customer-traits" />
        </Stack>
      )}
    </Paper>
  );
}

export function IdentifiersCard({ customer, channels }: CardProps) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="md" data-testid="customer-identifiers">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('customers.identifiers')}</Title>
        <Badge variant="light" color="gray">
          {customer.identifiers.length}
        </Badge>
      </Group>
      {customer.identifiers.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('customers.noIdentifiers')}
        </Text>
      ) : (
        <Stack gap="sm">
          {customer.identifiers.map((identifier) => (
            <Group
              key={identifier.id}
              gap="sm"
              wrap="nowrap"
              align="flex-start"
              data-testid="customer-identifier"
              data-type={identifier.type}
              data-verified={identifier.verified}
            >
              <Tooltip label={identifierTypeLabel(identifier.type)} withArrow>
                <ThemeIcon variant="light" color="gray" size="md" radius="md" style={{ flexShrink: 0 }}>
                  <IdentifierIcon type={identifier.type} />
                </ThemeIcon>
              </Tooltip>
              <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
                <Group gap={6} wrap="nowrap">
                  <Text
                    size="sm"
                    fw={500}
                    style={{ overflowWrap: 'anywhere' }}
                    data-testid="customer-identifier-value"
                  >
                    {identifier.value}
                  </Text>
                  <Tooltip
                    label={identifier.verified ? t('customers.verified') : t('customers.unverified')}
                    withArrow
                  >
                    {identifier.verified ? (
                      <IconCircleCheck
                        size={16}
                        color="var(--mantine-color-teal-6)"
                        aria-label={t('customers.verified')}
                        style={{ flexShrink: 0 }}
                      />
                    ) : (
                      <IconCircleDashed
                        size={16}
                        color="var(--mantine-color-gray-5)"
                        aria-label={t('customers.unverified')}
                        style={{ flexShrink: 0 }}
                      />
                    )}
                  </Tooltip>
                </Group>
                <Group gap={6}>
                  <Text size="xs" c="dimmed">
                    {identifierTypeLabel(identifier.type)}
                  </Text>
                  {identifier.source_channel_id && (
                    <ChannelBadge id={identifier.source_channel_id} channels={channels} />
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {t('customers.identifierSeen', {
                    first: formatDateTime(identifier.first_seen_at),
                    last: formatDateTime(identifier.last_seen_at),
                  })}
                </Text>
              </Stack>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
