/**
 * @module Split tender: the associate adds payments until they cover the total — cash (tendered → change due),
 * card terminal (approval code, last 4), gift card (code → balance) and store credit (the customer's balance) —
 * then rings the sale up once. The amount fields are in major units; the API gets integer minor units.
 */
import {
  ActionIcon,
  Button,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { findGiftCard, type GiftCard, type Tender, type TenderProvider } from '../../api/pos';
import { formatMoney, type Money } from '../../lib/format';
import { toMajor, toMinor } from '../catalog/catalog-display';
import { posLabel, usePosT } from './pos-i18n';

export const tendered = (tenders: Tender[]) => tenders.reduce((sum, t) => sum + t.amount, 0);

/** Cash handed over beyond its tender's amount comes back as change. */
export const changeDue = (tenders: Tender[]) =>
  tenders.reduce(
    (sum, t) => sum + (t.provider === 'cash' ? Math.max(0, (t.method?.tendered ?? t.amount) - t.amount) : 0),
    0,
  );

interface TenderPanelProps {
  total: Money;
  tenders: Tender[];
  onChange: (tenders: Tender[]) => void;
  storeCredit: number;
  hasCustomer: boolean;
}

export function TenderPanel({ total, tenders, onChange, storeCredit, hasCustomer }: TenderPanelProps) {
  const { t } = usePosT();
  const currency = total.currency;
  const remaining = Math.max(0, total.amount - tendered(tenders));
  const [provider, setProvider] = useState<TenderProvider>('cash');
  const [amount, setAmount] = useState<number | string>('');
  const [given, setGiven] = useState<number | string>('');
  const [approval, setApproval] = useState('');
  const [last4, setLast4] = useState('');
  const [code, setCode] = useState('');
  const [card, setCard] = useState<GiftCard | null | undefined>(undefined);

  const minor = (v: number | string) => (typeof v === 'number' ? toMinor(v, currency) : 0);
  const amountMinor = amount === '' ? remaining : minor(amount);
  const providers: TenderProvider[] = hasCustomer
    ? ['cash', 'card_terminal', 'gift_card', 'store_credit']
    : ['cash', 'card_terminal', 'gift_card'];

  const add = () => {
    if (amountMinor <= 0) return;
    const tender: Tender = { provider, amount: amountMinor };
    if (provider === 'cash')
      tender.method = { tendered: given === '' ? amountMinor : Math.max(amountMinor, minor(given)) };
    if (provider === 'card_terminal') tender.method = { approval_code: approval.trim(), last4: last4.trim() };
    if (provider === 'gift_card') tender.method = { code: code.trim() };
    onChange([...tenders, tender]);
    setAmount('');
    setGiven('');
    setApproval('');
    setLast4('');
    setCode('');
    setCard(undefined);
  };

  const valid =
    amountMinor > 0 &&
    amountMinor <= remaining &&
    (provider !== 'card_terminal' || (approval.trim().length > 0 && /^[0-9]{4}$/.test(last4))) &&
    (provider !== 'gift_card' || code.trim().length >= 4) &&
    (provider !== 'store_credit' || amountMinor <= storeCredit);

  return (
    <Stack gap="sm" data-testid="pos-tender">
      {tenders.length > 0 && (
        <Table data-testid="pos-tenders">
          <Table.Tbody>
            {tenders.map((tender, i) => (
              <Table.Tr key={i} data-testid={`pos-tender-${i}`}>
                <Table.Td>{posLabel('tenders', tender.provider)}</Table.Td>
                <Table.Td c="dimmed" fz="xs">
                  {tender.method?.last4 ? `•••• ${tender.method.last4}` : ''}
                  {tender.provider === 'cash' && tender.method?.tendered
                    ? t('pos.pay.given', {
                        amount: formatMoney({ amount: tender.method.tendered, currency }),
                      })
                    : ''}
                </Table.Td>
                <Table.Td ta="right">{formatMoney({ amount: tender.amount, currency })}</Table.Td>
                <Table.Td w={32}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('pos.pay.removeTender')}
                    onClick={() => onChange(tenders.filter((_, j) => j !== i))}
                  >
                    <IconTrash size={14} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group justify="space-between">
        <Text fw={600} data-testid="pos-remaining">
          {t('pos.pay.remaining')}: {formatMoney({ amount: remaining, currency })}
        </Text>
        {changeDue(tenders) > 0 && (
          <Text fw={700} c="teal" data-testid="pos-change">
            {t('pos.pay.change')}: {formatMoney({ amount: changeDue(tenders), currency })}
          </Text>
        )}
      </Group>
      {remaining > 0 && (
        <Paper withBorder p="sm">
          <Stack gap="xs">
            <SegmentedControl
              fullWidth
              value={provider}
              onChange={(v) => setProvider(v as TenderProvider)}
              data={providers.map((p) => ({ value: p, label: posLabel('tenders', p) }))}
              data-testid="pos-tender-provider"
            />
            <NumberInput
              label={t('pos.pay.amount')}
              placeholder={String(toMajor(remaining, currency))}
              value={amount}
              onChange={setAmount}
              decimalScale={2}
              min={0}
              data-testid="pos-tender-amount"
            />
            {provider === 'cash' && (
              <NumberInput
                label={t('pos.pay.tendered')}
                value={given}
                onChange={setGiven}
                decimalScale={2}
                min={0}
                data-testid="pos-cash-given"
              />
            )}
            {provider === 'card_terminal' && (
              <Group grow>
                <TextInput
                  label={t('pos.pay.approval')}
                  value={approval}
                  onChange={(e) => setApproval(e.currentTarget.value)}
                  data-testid="pos-card-approval"
                />
                <TextInput
                  label={t('pos.pay.last4')}
                  value={last4}
                  maxLength={4}
                  onChange={(e) => setLast4(e.currentTarget.value.replace(/\D/g, ''))}
                  data-testid="pos-card-last4"
                />
              </Group>
            )}
            {provider === 'gift_card' && (
              <Group align="flex-end" wrap="nowrap">
                <TextInput
                  label={t('pos.pay.giftCode')}
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
                  style={{ flex: 1 }}
                  data-testid="pos-gift-code"
                />
                <Button
                  variant="light"
                  disabled={code.trim().length < 4}
                  onClick={() => void findGiftCard(code).then(setCard, () => setCard(null))}
                  data-testid="pos-gift-check"
                >
                  {t('pos.pay.checkBalance')}
                </Button>
              </Group>
            )}
            {provider === 'gift_card' && card !== undefined && (
              <Text size="sm" c={card ? undefined : 'red'} data-testid="pos-gift-balance">
                {card
                  ? t('pos.pay.giftBalance', { amount: formatMoney(card.balance) })
                  : t('pos.pay.giftUnknown')}
              </Text>
            )}
            {provider === 'store_credit' && (
              <Text size="sm" data-testid="pos-credit-balance">
                {t('pos.pay.creditBalance', { amount: formatMoney({ amount: storeCredit, currency }) })}
              </Text>
            )}
            <Button onClick={add} disabled={!valid} variant="light" data-testid="pos-tender-add">
              {t('pos.pay.addTender')}
            </Button>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
