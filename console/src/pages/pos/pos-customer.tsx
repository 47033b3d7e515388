/**
 * @module The customer at the till: found by phone, email or loyalty card (one search box, the customers search
 * matches every identifier), shown with her consent and store credit, and her open online cart offered to pull up
 * into the till — or any cart opened by the resume code she shows.
 */
import { Anchor, Badge, Button, CloseButton, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch, IconShoppingCart, IconUser } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useConsents } from '../../api/consent';
import { useCustomerSearch } from '../../api/customers';
import type { Customer } from '../../api/customer-types';
import { useOpenCarts, useStoreCredit } from '../../api/pos';
import { formatDateTime, formatMoney } from '../../lib/format';
import { usePosT } from './pos-i18n';

export const customerName = (c: Customer): string =>
  [c.first_name, c.last_name].filter(Boolean).join(' ') || c.emails[0] || c.phones[0] || c.id;

const loyaltyCard = (c: Customer) => c.identifiers.find((i) => i.type === 'loyalty_card')?.value;

/** Receipts are a service message: may this customer get one by email / SMS? */
export function useReceiptConsent(customerId: string): { email: boolean; sms: boolean; loaded: boolean } {
  const consents = useConsents(customerId);
  const allowed = (channel: 'email' | 'sms') =>
    (consents.data?.consents ?? []).some(
      (c) =>
        c.purpose === 'service' && (c.channel === channel || c.channel === null) && c.status === 'granted',
    );
  return { email: allowed('email'), sms: allowed('sms'), loaded: Boolean(consents.data) };
}

function ConsentBadges({ customerId }: { customerId: string }) {
  const { t } = usePosT();
  const consents = useConsents(customerId);
  if (!consents.data) return null;
  const status = (purpose: string, channel: string) =>
    consents.data.consents.find((c) => c.purpose === purpose && c.channel === channel)?.status ??
    consents.data.consents.find((c) => c.purpose === purpose && c.channel === null)?.status ??
    'unknown';
  const colour = (s: string) => (s === 'granted' ? 'teal' : s === 'unknown' ? 'gray' : 'red');
  return (
    <Group gap={4} data-testid="pos-consent">
      {(['email', 'sms'] as const).map((channel) =>
        (['service', 'marketing'] as const).map((purpose) => {
          const s = status(purpose, channel);
          return (
            <Badge key={`${purpose}-${channel}`} size="sm" variant="light" color={colour(s)}>
              {t(`pos.customer.consent.${purpose}`)} · {channel.toUpperCase()}:{' '}
              {t(`pos.customer.consentStatus.${s === 'granted' || s === 'unknown' ? s : 'denied'}`)}
            </Badge>
          );
        }),
      )}
    </Group>
  );
}

interface CustomerPanelProps {
  customer: Customer | null;
  onSelect: (customer: Customer | null) => void;
  cartId: string | null;
  onPullUp: (cartId: string) => void;
  onResume: (code: string) => void;
  busy: boolean;
}

export function CustomerPanel({ customer, onSelect, cartId, onPullUp, onResume, busy }: CustomerPanelProps) {
  const { t } = usePosT();
  const [q, setQ] = useState('');
  const [code, setCode] = useState('');
  const search = useCustomerSearch(q, !customer && q.trim().length >= 3);
  const carts = useOpenCarts(customer?.id ?? null);
  const credit = useStoreCredit(customer?.id ?? null);
  const online = (carts.data?.data ?? []).filter((c) => c.id !== cartId && c.lines.length > 0);

  return (
    <Paper withBorder radius="md" p="sm" data-testid="pos-customer">
      {customer ? (
        <Stack gap="xs">
          <Group justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <IconUser size={18} />
              <Anchor
                component={Link}
                to={`/customers/${customer.id}`}
                fw={600}
                data-testid="pos-customer-name"
              >
                {customerName(customer)}
              </Anchor>
            </Group>
            <CloseButton
              aria-label={t('pos.customer.clear')}
              onClick={() => onSelect(null)}
              data-testid="pos-customer-clear"
            />
          </Group>
          <Text size="xs" c="dimmed">
            {[customer.emails[0], customer.phones[0], loyaltyCard(customer)].filter(Boolean).join(' · ')}
          </Text>
          <ConsentBadges customerId={customer.id} />
          {credit.data && credit.data.balances.some((b) => b.amount > 0) && (
            <Text size="sm" data-testid="pos-store-credit">
              {t('pos.customer.storeCredit')}: {credit.data.balances.map(formatMoney).join(', ')}
            </Text>
          )}
          {online.map((c) => (
            <Paper
              key={c.id}
              withBorder
              p="xs"
              bg="var(--mantine-color-blue-light)"
              data-testid="pos-open-cart"
            >
              <Group justify="space-between" wrap="nowrap">
                <Stack gap={0}>
                  <Text size="sm" fw={600}>
                    {t('pos.customer.openCart', { count: c.lines.reduce((n, l) => n + l.quantity, 0) })}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('pos.customer.openCartWhen', { when: formatDateTime(c.updated_at) })}
                  </Text>
                </Stack>
                <Button
                  size="xs"
                  leftSection={<IconShoppingCart size={14} />}
                  disabled={busy}
                  onClick={() => onPullUp(c.id)}
                  data-testid="pos-pull-up"
                >
                  {t('pos.customer.pullUp')}
                </Button>
              </Group>
            </Paper>
          ))}
        </Stack>
      ) : (
        <Stack gap="xs">
          <TextInput
            leftSection={<IconSearch size={16} />}
            placeholder={t('pos.customer.searchPlaceholder')}
            aria-label={t('pos.customer.search')}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            data-testid="pos-customer-search"
          />
          {search.data && search.data.data.length === 0 && (
            <Text size="sm" c="dimmed" data-testid="pos-customer-none">
              {t('pos.customer.none')}
            </Text>
          )}
          {(search.data?.data ?? []).slice(0, 5).map((c) => (
            <Button
              key={c.id}
              variant="default"
              justify="space-between"
              onClick={() => {
                onSelect(c);
                setQ('');
              }}
              data-testid={`pos-customer-${c.id}`}
            >
              {customerName(c)}
              <Text span size="xs" c="dimmed" ml="xs">
                {c.emails[0] ?? c.phones[0] ?? ''}
              </Text>
            </Button>
          ))}
        </Stack>
      )}
      <Group gap="xs" mt="sm" wrap="nowrap">
        <TextInput
          size="xs"
          placeholder={t('pos.customer.resumeCode')}
          aria-label={t('pos.customer.resumeCode')}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
          style={{ flex: 1 }}
          data-testid="pos-resume-code"
        />
        <Button
          size="xs"
          variant="light"
          disabled={busy || code.trim().length < 4}
          onClick={() => {
            onResume(code.trim());
            setCode('');
          }}
          data-testid="pos-resume"
        >
          {t('pos.customer.resume')}
        </Button>
      </Group>
    </Paper>
  );
}
