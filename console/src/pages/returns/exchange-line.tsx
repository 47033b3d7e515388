/**
 * @module One returned line in the exchange: whether it is swapped, for what, how many, and how the customer gets
 * the new item — taken now at this store, picked up at a store, or shipped from a location — with the stock of
 * the chosen item at each place, so the associate sees before confirming whether the shelf can hand it over.
 */
import { Checkbox, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useStockOf } from '../../api/pos';
import { EXCHANGE_MODES, type ExchangeMode, type ReturnLine } from '../../api/returns';
import { formatMoney } from '../../lib/format';
import { useLocationIndex } from '../inventory/inventory-display';
import { usePosT, type PosKey } from '../pos/pos-i18n';
import type { LineDraft } from './exchange-draft';
import { ReplacementPicker } from './replacement-picker';

const MODE_LABEL: Record<ExchangeMode, PosKey> = {
  handover: 'pos.exchange.modeHandover',
  pickup: 'pos.exchange.modePickup',
  ship: 'pos.exchange.modeShip',
};

/** Locations that can serve a mode: pick-up stores, or places that ship (warehouses and stores shipping). */
const serves = (mode: ExchangeMode, capabilities: string[]) =>
  mode === 'pickup'
    ? capabilities.includes('pickup')
    : capabilities.some((c) => c === 'ship' || c === 'ship_from_store');

export function ExchangeLine({
  line,
  index,
  draft,
  onChange,
  tillLocationId,
  errors,
}: {
  line: ReturnLine;
  index: number;
  draft: LineDraft;
  onChange: (patch: Partial<LineDraft>) => void;
  tillLocationId: string;
  errors: Record<string, string> | undefined;
}) {
  const { t } = usePosT();
  const locations = useLocationIndex().locations.data ?? [];
  const stock = useStockOf(draft.replacement?.sku ?? null);
  const availableAt = (id: string) => stock.data?.find((s) => s.location_id === id)?.available;
  const here = availableAt(tillLocationId);
  const testId = `exchange-line-${index}`;

  const places = locations
    .filter((l) => l.active && draft.mode !== 'handover' && serves(draft.mode, l.capabilities))
    .map((l) => {
      const where = `${l.code} · ${l.name}`;
      const count = availableAt(l.id);
      return {
        value: l.id,
        label: count === undefined ? where : t('pos.exchange.available', { where, count }),
      };
    });

  const setMode = (mode: ExchangeMode) => {
    // A pick-up defaults to this store when it takes pick-ups; a shipment to the place holding the most.
    const candidates = locations.filter((l) => l.active && serves(mode, l.capabilities));
    const best =
      mode === 'pickup' && candidates.some((l) => l.id === tillLocationId)
        ? tillLocationId
        : ([...candidates].sort((a, b) => (availableAt(b.id) ?? 0) - (availableAt(a.id) ?? 0))[0]?.id ??
          null);
    onChange({ mode, locationId: mode === 'handover' ? null : best });
  };

  return (
    <Paper withBorder radius="sm" p="sm" data-testid={testId}>
      <Group justify="space-between" wrap="nowrap">
        <Checkbox
          checked={draft.selected}
          onChange={(e) => onChange({ selected: e.currentTarget.checked })}
          label={t('pos.exchange.swap', { sku: `${line.quantity} × ${line.sku}` })}
          error={errors?.return_line_id}
          data-testid={`${testId}-pick`}
        />
        <Text size="sm" c="dimmed">
          {formatMoney(line.amount)}
        </Text>
      </Group>
      {draft.selected && (
        <Group align="flex-start" mt="sm" gap="md" wrap="wrap">
          <Stack gap={4} style={{ flex: '1 1 300px', minWidth: 260 }}>
            <ReplacementPicker
              returnedSku={line.sku}
              value={draft.replacement}
              onChange={(replacement) => onChange({ replacement })}
              error={errors?.sku}
              testId={`${testId}-replacement`}
            />
          </Stack>
          <NumberInput
            size="xs"
            w={90}
            label={t('pos.exchange.quantity')}
            min={1}
            max={100_000}
            allowDecimal={false}
            value={draft.quantity}
            onChange={(v) => onChange({ quantity: Math.max(1, Math.floor(Number(v) || 1)) })}
            error={errors?.quantity}
            data-testid={`${testId}-quantity`}
          />
          <Stack gap={4} style={{ flex: '1 1 260px' }}>
            <Text size="xs" fw={500}>
              {t('pos.exchange.delivery')}
            </Text>
            <SegmentedControl
              size="xs"
              value={draft.mode}
              onChange={(v) => setMode(v as ExchangeMode)}
              data={EXCHANGE_MODES.map((m) => ({ value: m, label: t(MODE_LABEL[m]) }))}
              data-testid={`${testId}-mode`}
            />
            {draft.mode === 'handover' ? (
              draft.replacement &&
              here !== undefined && (
                <Text
                  size="xs"
                  c={here >= draft.quantity ? 'dimmed' : 'orange'}
                  data-testid={`${testId}-shelf`}
                >
                  {here === 0 ? t('pos.exchange.noneHere') : t('pos.exchange.shelfHere', { count: here })}
                </Text>
              )
            ) : (
              <Select
                size="xs"
                aria-label={t(draft.mode === 'pickup' ? 'pos.exchange.pickupAt' : 'pos.exchange.shipFrom')}
                placeholder={t(draft.mode === 'pickup' ? 'pos.exchange.pickupAt' : 'pos.exchange.shipFrom')}
                data={places}
                value={draft.locationId}
                onChange={(locationId) => onChange({ locationId })}
                searchable
                error={errors?.['delivery.location_id'] ?? errors?.['delivery.mode']}
                data-testid={`${testId}-location`}
              />
            )}
            {draft.mode === 'handover' && errors?.['delivery.location_id'] && (
              <Text size="xs" c="red">
                {errors['delivery.location_id']}
              </Text>
            )}
          </Stack>
        </Group>
      )}
    </Paper>
  );
}
