/**
 * @module The customer beside the conversation: who they are (profile, identifiers), what they allow (a compact
 * consent matrix), what they are buying (open carts — send a resume link into the conversation —, recent orders
 * with links to open one, start a return at the returns desk or reserve at a store), their other conversations
 * and their timeline (the customers area's component).
 */
import {
  Accordion,
  Anchor,
  Badge,
  Button,
  Group,
  Popover,
  Skeleton,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import {
  IconArrowMerge,
  IconExternalLink,
  IconLink,
  IconReceiptRefund,
  IconBuildingStore,
} from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useConsents } from '../../api/consent';
import {
  useCustomerConversations,
  useMerge,
  useReply,
  type Conversation,
  type ConversationDetail,
} from '../../api/conversations';
import { useCreateResumeLink, useCustomerCommerce } from '../../api/conversations-customer';
import type { Customer } from '../../api/customer-types';
import type { Channel } from '../../api/types';
import { CommunicationIcon, IdentifierIcon } from '../../components/channel-icon';
import { ErrorAlert } from '../../components/error-alert';
import { currentLanguage } from '../../i18n';
import { formatDateTime, formatMoney } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { customerName } from '../customers/customer-display';
import { label as orderLabel } from '../orders/orders-i18n';
import { posLabel } from '../pos/pos-i18n';
import { TimelinePanel } from '../customers/timeline-panel';
import { STATUS_COLORS } from './conversation-list';
import { label, useInboxT } from './inbox-i18n';

const CONSENT_COLORS: Record<string, string> = {
  granted: 'teal',
  denied: 'red',
  withdrawn: 'red',
  pending_confirmation: 'yellow',
};
const MATRIX_CHANNELS = ['email', 'sms', 'whatsapp', 'messenger', 'in_app', 'phone'];
const MATRIX_PURPOSES = ['service', 'marketing'];

function ConsentCompact({ customerId }: { customerId: string }) {
  const { t } = useInboxT();
  const matrix = useConsents(customerId);
  if (matrix.isPending) return <Skeleton height={48} />;
  if (matrix.error) return <ErrorAlert error={matrix.error} />;
  const status = (purpose: string, channel: string) =>
    matrix.data.consents.find((c) => c.purpose === purpose && c.channel === channel)?.status ??
    matrix.data.consents.find((c) => c.purpose === purpose && c.channel === null)?.status;
  return (
    <Stack gap={4} data-testid="sidebar-consent">
      {MATRIX_PURPOSES.map((purpose) => (
        <Group key={purpose} gap={4} wrap="nowrap">
          <Text size="xs" w={80}>
            {t(`inbox.sidebar.purposes.${purpose as 'service' | 'marketing'}`)}
          </Text>
          {MATRIX_CHANNELS.map((channel) => {
            const s = status(purpose, channel);
            return (
              <Tooltip key={channel} label={`${channel}: ${s ?? t('inbox.sidebar.noRecord')}`} withArrow>
                <Badge
                  size="sm"
                  variant={s ? 'light' : 'outline'}
                  color={s ? (CONSENT_COLORS[s] ?? 'gray') : 'gray'}
                  px={4}
                >
                  <CommunicationIcon channel={channel} size={12} />
                </Badge>
              </Tooltip>
            );
          })}
        </Group>
      ))}
    </Stack>
  );
}

function Commerce({ conversation }: { conversation: ConversationDetail }) {
  const { t } = useInboxT();
  const can = useCan();
  const { carts, orders, returns } = useCustomerCommerce(conversation.customer_id, can('orders:read'));
  const resume = useCreateResumeLink();
  const reply = useReply(conversation.id);

  const sendResume = (cartId: string) =>
    resume.mutate(cartId, {
      onSuccess: (link) =>
        reply.mutate(
          { text: t('inbox.sidebar.resumeText', { url: link.url, code: link.code }) },
          { onSuccess: () => notifySuccess(t('inbox.sidebar.resumeSent')), onError: (e) => notifyError(e) },
        ),
      onError: (e) => notifyError(e),
    });

  if (!can('orders:read'))
    return (
      <Text size="xs" c="dimmed">
        {t('inbox.sidebar.noCommerce')}
      </Text>
    );
  return (
    <Stack gap="xs">
      <Text size="xs" fw={600} tt="uppercase" c="dimmed">
        {t('inbox.sidebar.carts')}
      </Text>
      {carts.error ? (
        <ErrorAlert error={carts.error} />
      ) : carts.isPending ? (
        <Skeleton height={24} />
      ) : carts.data.data.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('inbox.sidebar.noCarts')}
        </Text>
      ) : (
        carts.data.data.map((cart) => (
          <Group key={cart.id} justify="space-between" wrap="nowrap" data-testid="sidebar-cart">
            <Text size="sm">
              {t('inbox.sidebar.cartItems', { count: cart.lines.reduce((n, l) => n + l.quantity, 0) })}
            </Text>
            {can('orders:write') && can('conversations:write') && (
              <Button
                size="compact-xs"
                variant="light"
                leftSection={<IconLink size={12} />}
                loading={resume.isPending || reply.isPending}
                onClick={() => sendResume(cart.id)}
                data-testid="sidebar-send-resume"
              >
                {t('inbox.sidebar.sendResume')}
              </Button>
            )}
          </Group>
        ))
      )}
      <Text size="xs" fw={600} tt="uppercase" c="dimmed">
        {t('inbox.sidebar.orders')}
      </Text>
      {orders.error ? (
        <ErrorAlert error={orders.error} />
      ) : orders.isPending ? (
        <Skeleton height={24} />
      ) : orders.data.data.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('inbox.sidebar.noOrders')}
        </Text>
      ) : (
        orders.data.data.map((order) => (
          <Stack key={order.id} gap={2} data-testid="sidebar-order">
            <Group justify="space-between" wrap="nowrap">
              <Anchor component={Link} to={`/orders/${order.id}`} size="sm" fw={600}>
                {order.display_number} <IconExternalLink size={12} />
              </Anchor>
              <Text size="sm">{formatMoney(order.totals.total)}</Text>
            </Group>
            <Group gap={4}>
              <Text size="xs" c="dimmed">
                {formatDateTime(order.placed_at)} · {orderLabel('statuses', order.status)}
              </Text>
              <Anchor component={Link} to="/pos/returns" size="xs">
                <IconReceiptRefund size={12} /> {t('inbox.sidebar.startReturn')}
              </Anchor>
            </Group>
          </Stack>
        ))
      )}
      <Anchor component={Link} to="/inventory/availability" size="xs">
        <IconBuildingStore size={12} /> {t('inbox.sidebar.reserve')}
      </Anchor>
      <Text size="xs" fw={600} tt="uppercase" c="dimmed">
        {t('inbox.sidebar.returns')}
      </Text>
      {returns.error ? (
        <ErrorAlert error={returns.error} />
      ) : returns.isPending ? (
        <Skeleton height={24} />
      ) : returns.data.data.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('inbox.sidebar.noReturns')}
        </Text>
      ) : (
        returns.data.data.map((r) => (
          <Group key={r.id} justify="space-between" data-testid="sidebar-return">
            <Text size="sm">{formatDateTime(r.requested_at)}</Text>
            <Badge size="xs" variant="light">
              {posLabel('returnStatuses', r.status)}
            </Badge>
          </Group>
        ))
      )}
    </Stack>
  );
}

/** Merges another conversation of this customer into the open one, after a confirmation. */
function MergeButton({ conversation, other }: { conversation: ConversationDetail; other: Conversation }) {
  const { t } = useInboxT();
  const [opened, setOpened] = useState(false);
  const merge = useMerge(conversation.id);
  return (
    <Popover opened={opened} onChange={setOpened} width={300} withArrow withinPortal position="left">
      <Popover.Target>
        <Tooltip label={t('inbox.merge.action')} withArrow>
          <Button
            size="compact-xs"
            variant="subtle"
            aria-label={t('inbox.merge.action')}
            onClick={() => setOpened((o) => !o)}
            data-testid="sidebar-merge"
          >
            <IconArrowMerge size={14} />
          </Button>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t('inbox.merge.confirmTitle')}
          </Text>
          <Text size="xs">{t('inbox.merge.confirmBody')}</Text>
          <Button
            size="xs"
            leftSection={<IconArrowMerge size={14} />}
            loading={merge.isPending}
            onClick={() =>
              merge.mutate(other.id, {
                onSuccess: () => {
                  setOpened(false);
                  notifySuccess(t('inbox.merge.done'));
                },
                onError: (error) => notifyError(error),
              })
            }
            data-testid="sidebar-merge-confirm"
          >
            {t('inbox.merge.confirm')}
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

function History({
  conversation,
  onOpen,
}: {
  conversation: ConversationDetail;
  onOpen: (id: string) => void;
}) {
  const { t } = useInboxT();
  const can = useCan();
  const list = useCustomerConversations(conversation.customer_id);
  if (list.isPending) return <Skeleton height={24} />;
  if (list.error) return <ErrorAlert error={list.error} />;
  const others = list.data.data.filter((c) => c.id !== conversation.id);
  if (others.length === 0)
    return (
      <Text size="xs" c="dimmed">
        {t('inbox.sidebar.noHistory')}
      </Text>
    );
  return (
    <Stack gap={4}>
      {others.map((c) => (
        <Group key={c.id} justify="space-between" data-testid="sidebar-history-row">
          <Anchor size="sm" onClick={() => onOpen(c.id)}>
            {formatDateTime(c.created_at)}
          </Anchor>
          <Group gap={4}>
            <Badge size="xs" variant="light" color={STATUS_COLORS[c.status]}>
              {label('statuses', c.status)}
            </Badge>
            {can('conversations:write') && conversation.status !== 'merged' && (
              <MergeButton conversation={conversation} other={c} />
            )}
          </Group>
        </Group>
      ))}
    </Stack>
  );
}

/** The customer's language named in the console's language ("es" → "Spanish", "испанский"); else the tag itself. */
function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames([currentLanguage()], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag; // not a well-formed language tag
  }
}

interface Props {
  conversation: ConversationDetail;
  customer: Customer | undefined;
  customerError: unknown;
  channels: Map<string, Channel>;
  onOpen: (id: string) => void;
}

export function CustomerSidebar({ conversation, customer, customerError, channels, onOpen }: Props) {
  const { t } = useInboxT();
  if (customerError) return <ErrorAlert error={customerError} />;
  if (!customer) return <Skeleton height={200} />;
  return (
    <Stack gap="sm" data-testid="customer-sidebar">
      <Stack gap={2}>
        <Anchor component={Link} to={`/customers/${customer.id}`} fw={700} data-testid="sidebar-name">
          {customerName(customer)}
        </Anchor>
        {customer.locale && (
          <Text size="xs" c="dimmed" data-testid="sidebar-locale">
            {languageName(customer.locale)}
            {customer.timezone ? ` · ${customer.timezone}` : ''}
          </Text>
        )}
      </Stack>
      <Stack gap={2} data-testid="sidebar-identifiers">
        {customer.identifiers.map((i) => (
          <Group key={`${i.type}:${i.value}`} gap={6} wrap="nowrap">
            <IdentifierIcon type={i.type} size={14} />
            <Text size="xs" truncate>
              {i.value}
            </Text>
          </Group>
        ))}
        {conversation.contacts.map((c) => (
          <Text key={`${c.channel_id}:${c.address}`} size="xs" c="dimmed" truncate>
            {t('inbox.sidebar.wroteFrom', {
              channel: channels.get(c.channel_id)?.name ?? c.channel_kind,
              address: c.address,
            })}
          </Text>
        ))}
      </Stack>
      <Accordion
        multiple
        defaultValue={['consent', 'commerce', 'history']}
        variant="contained"
        chevronPosition="right"
      >
        <Accordion.Item value="consent">
          <Accordion.Control>{t('inbox.sidebar.consent')}</Accordion.Control>
          <Accordion.Panel>
            <ConsentCompact customerId={customer.id} />
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="commerce">
          <Accordion.Control>{t('inbox.sidebar.commerce')}</Accordion.Control>
          <Accordion.Panel>
            <Commerce conversation={conversation} />
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="history">
          <Accordion.Control>{t('inbox.sidebar.history')}</Accordion.Control>
          <Accordion.Panel>
            <History conversation={conversation} onOpen={onOpen} />
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="timeline">
          <Accordion.Control>{t('inbox.sidebar.timeline')}</Accordion.Control>
          <Accordion.Panel>
            <TimelinePanel customerId={customer.id} channels={channels} />
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Stack>
  );
}
