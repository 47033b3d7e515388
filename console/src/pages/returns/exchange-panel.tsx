/**
 * @module The exchange at the returns desk: the returned lines to swap (exchange-line.tsx), then the server's
 * preview of the exchange — the replacement priced as the exchange will price it, the returned value, and the
 * difference to pay or to refund — then the tenders for what the customer adds, then one confirm. The confirm
 * sends each line's unit price from the preview, so a price that moved meanwhile is refused naming that line (the
 * preview is asked again) rather than charged, and an Idempotency-Key made once per body, so a retried click
 * after a lost answer is the same exchange.
 */
import { Alert, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useRef, useState } from 'react';
import { newSaleKey, useStoreCredit, type Tender } from '../../api/pos';
import { useExchangePreview, useExchangeReturn, type ExchangePreview, type Return } from '../../api/returns';
import { ErrorAlert } from '../../components/error-alert';
import { formatMoney } from '../../lib/format';
import { usePosT } from '../pos/pos-i18n';
import { TenderPanel, tendered } from '../pos/pos-tender';
import { emptyDraft, exchangeLines, splitErrors, type LineDraft } from './exchange-draft';
import { ExchangeLine } from './exchange-line';

function Difference({ preview }: { preview: ExchangePreview }) {
  const { t } = usePosT();
  const [text, color] =
    preview.to_pay.amount > 0
      ? [t('pos.exchange.toPay', { amount: formatMoney(preview.to_pay) }), 'orange']
      : preview.to_refund.amount > 0
        ? [t('pos.exchange.toRefund', { amount: formatMoney(preview.to_refund) }), 'teal']
        : [t('pos.exchange.even'), 'teal'];
  return (
    <Text fw={700} c={color} data-testid="exchange-difference">
      {text}
    </Text>
  );
}

function PreviewTable({
  preview,
  priceErrors,
}: {
  preview: ExchangePreview;
  priceErrors: Record<string, string | undefined>;
}) {
  const { t } = usePosT();
  return (
    <Table data-testid="exchange-preview">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('pos.exchange.returned')}</Table.Th>
          <Table.Th>{t('pos.exchange.replacement')}</Table.Th>
          <Table.Th ta="right">{t('pos.exchange.unitPrice')}</Table.Th>
          <Table.Th ta="right">{t('pos.exchange.total')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {preview.lines.map((l, i) => (
          <Table.Tr key={l.return_line_id} data-testid={`exchange-preview-line-${i}`}>
            <Table.Td>
              {l.returned_sku}{' '}
              <Text span size="xs" c="dimmed">
                {formatMoney(l.returned_value)}
              </Text>
            </Table.Td>
            <Table.Td>
              {l.quantity} × {l.sku}
            </Table.Td>
            <Table.Td ta="right">
              <Text size="sm" data-testid={`exchange-preview-price-${i}`}>
                {formatMoney(l.unit_price)}
              </Text>
              {priceErrors[l.return_line_id] && (
                <Text size="xs" c="red" data-testid={`exchange-price-error-${i}`}>
                  {priceErrors[l.return_line_id]}
                </Text>
              )}
            </Table.Td>
            <Table.Td ta="right">{formatMoney(l.total)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr>
          <Table.Td colSpan={3}>{t('pos.exchange.replacementTotal')}</Table.Td>
          <Table.Td ta="right" data-testid="exchange-replacement-total">
            {formatMoney(preview.replacement_total)}
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Td colSpan={3}>{t('pos.exchange.returnedValue')}</Table.Td>
          <Table.Td ta="right" data-testid="exchange-returned-value">
            −{formatMoney(preview.returned_value)}
          </Table.Td>
        </Table.Tr>
      </Table.Tfoot>
    </Table>
  );
}

export function ExchangePanel({
  ret,
  tillLocationId,
  onClose,
}: {
  ret: Return;
  tillLocationId: string;
  onClose: () => void;
}) {
  const { t } = usePosT();
  const open = (ret.lines ?? []).filter((l) => !l.exchanged);
  const order = open.map((l) => l.id);
  // One line to swap: it is the one, chosen already.
  const [drafts, setDrafts] = useState<Record<string, LineDraft>>(() =>
    Object.fromEntries(open.map((l) => [l.id, { ...emptyDraft(l.quantity), selected: open.length === 1 }])),
  );
  const [tenders, setTenders] = useState<Tender[]>([]);
  const exchange = useExchangeReturn();
  const key = useRef<{ body: string; key: string } | null>(null);
  const credit = useStoreCredit(ret.customer_id);
  const currency = ret.refund_total.currency;
  const storeCredit = credit.data?.balances.find((b) => b.currency === currency)?.amount ?? 0;

  // Typing a quantity asks once it settles, not on every keystroke.
  const asked = exchangeLines(order, drafts, tillLocationId);
  const [askedKey] = useDebouncedValue(JSON.stringify(asked), 300);
  const settled = JSON.parse(askedKey) as typeof asked;
  const preview = useExchangePreview(ret.id, settled);
  const current =
    asked && askedKey === JSON.stringify(asked) && !preview.isPlaceholderData && !preview.isFetching
      ? (preview.data ?? null)
      : null;

  const fromPreview = splitErrors(preview.error, settled);
  const fromConfirm = splitErrors(exchange.error, exchange.variables?.lines ?? null);
  const lineErrors = (id: string) => ({ ...fromPreview.byLine[id], ...fromConfirm.byLine[id] });
  const priceErrors = Object.fromEntries(order.map((id) => [id, lineErrors(id).unit_price]));

  const setDraft = (id: string, patch: Partial<LineDraft>) => {
    exchange.reset();
    setDrafts((all) => ({ ...all, [id]: { ...all[id]!, ...patch } }));
  };

  const toPay = current?.to_pay.amount ?? 0;
  const ready =
    current !== null &&
    (toPay === 0 ? tenders.length === 0 : tendered(tenders) === toPay) &&
    !exchange.isPending;

  const confirm = () => {
    const lines = exchangeLines(order, drafts, tillLocationId, current ?? undefined);
    if (!lines || !current) return;
    const body = JSON.stringify([lines, tenders]);
    if (key.current?.body !== body) key.current = { body, key: newSaleKey() };
    exchange.mutate(
      { id: ret.id, lines, tenders: toPay > 0 ? tenders : [], idempotencyKey: key.current.key },
      {
        onSuccess: () => {
          key.current = null;
          onClose();
        },
        // A price moved since the preview: ask again, so the desk shows what it costs now.
        onError: () => void preview.refetch(),
      },
    );
  };

  if (open.length === 0)
    return (
      <Text c="dimmed" data-testid="exchange-nothing-left">
        {t('pos.exchange.nothingLeft')}
      </Text>
    );

  // Refusals naming no line (tenders, the return itself) or naming nothing at all show above the confirm.
  const failure = exchange.error ?? (preview.isError ? preview.error : null);
  const failureRest = exchange.error ? fromConfirm.rest : fromPreview.rest;
  const namedALine = exchange.error
    ? Object.keys(fromConfirm.byLine).length > 0
    : Object.keys(fromPreview.byLine).length > 0;

  return (
    <Paper withBorder radius="md" p="md" data-testid="exchange-panel">
      <Text fw={600}>{t('pos.exchange.title')}</Text>
      <Text size="sm" c="dimmed" mb="sm">
        {t('pos.exchange.intro')}
      </Text>
      <Stack gap="xs">
        {open.map((line, i) => (
          <ExchangeLine
            key={line.id}
            line={line}
            index={i}
            draft={drafts[line.id]!}
            onChange={(patch) => setDraft(line.id, patch)}
            tillLocationId={tillLocationId}
            errors={lineErrors(line.id)}
          />
        ))}
      </Stack>
      <Stack gap="sm" mt="md">
        {!asked ? (
          <Text size="sm" c="dimmed" data-testid="exchange-choose">
            {t('pos.exchange.chooseLines')}
          </Text>
        ) : current ? (
          <>
            <PreviewTable preview={current} priceErrors={priceErrors} />
            <Difference preview={current} />
          </>
        ) : (
          !preview.isError && (
            <Text size="sm" c="dimmed" data-testid="exchange-pricing">
              {t('pos.exchange.pricing')}
            </Text>
          )
        )}
        {failure &&
          (failureRest.length > 0 ? (
            <Alert color="red" variant="light" data-testid="exchange-error">
              {failureRest.map((m) => (
                <Text key={m} size="sm">
                  {m}
                </Text>
              ))}
            </Alert>
          ) : (
            !namedALine && <ErrorAlert error={failure} data-testid="exchange-error" />
          ))}
        {current && toPay > 0 && (
          <TenderPanel
            total={current.to_pay}
            tenders={tenders}
            onChange={(next) => {
              exchange.reset();
              setTenders(next);
            }}
            storeCredit={storeCredit}
            hasCustomer
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-testid="exchange-cancel">
            {t('pos.exchange.cancel')}
          </Button>
          <Button
            color="teal"
            disabled={!ready}
            loading={exchange.isPending}
            onClick={confirm}
            data-testid="exchange-confirm"
          >
            {toPay > 0 && current
              ? t('pos.exchange.confirmPay', { amount: formatMoney(current.to_pay) })
              : t('pos.exchange.confirm')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
