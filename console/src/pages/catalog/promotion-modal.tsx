/**
 * @module Create or edit a promotion: what it gives (by kind, fixed once created), its code or none
 * (automatic), conditions (channels, minimum subtotal), window and limits — and, for an existing one, its
 * redemptions per day as a small chart.
 */
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import {
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMemo, useState } from 'react';
import { useChannels } from '../../api/channels';
import {
  useRedemptions,
  useSavePromotion,
  type Promotion,
  type PromotionInput,
  type PromotionKind,
} from '../../api/promotions';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors } from '../../lib/errors';
import { useCatalogT } from './catalog-i18n';
import { toMajor, toMinor } from './catalog-display';
import { DateTimeField } from './date-time-field';

const KINDS: PromotionKind[] = ['percentage', 'fixed_amount', 'buy_x_get_y', 'free_shipping'];
type Num = number | string;

interface Values {
  name: string;
  kind: PromotionKind;
  code: string;
  status: string;
  percent: Num;
  amount_off: Num;
  currency: string;
  buy_quantity: Num;
  get_quantity: Num;
  channel_ids: string[];
  min_subtotal: Num;
  starts_at: string | null;
  ends_at: string | null;
  usage_limit: Num;
  usage_limit_per_customer: Num;
  priority: Num;
}

const optional = (value: Num) => (value === '' ? null : Number(value));

function toInput(values: Values, isNew: boolean): PromotionInput {
  const money = (major: Num) => ({
    amount: toMinor(Number(major), values.currency),
    currency: values.currency,
  });
  return {
    name: values.name.trim(),
    ...(isNew ? { kind: values.kind } : {}),
    code: values.code.trim() || null,
    status: values.status as Promotion['status'],
    ...(values.kind === 'percentage' ? { percent: optional(values.percent) } : {}),
    ...(values.kind === 'fixed_amount' && values.amount_off !== ''
      ? { amount_off: money(values.amount_off) }
      : {}),
    ...(values.kind === 'buy_x_get_y'
      ? { buy_quantity: optional(values.buy_quantity), get_quantity: optional(values.get_quantity) }
      : {}),
    conditions: {
      channel_ids: values.channel_ids,
      min_subtotal: values.min_subtotal === '' ? null : money(values.min_subtotal),
    },
    starts_at: values.starts_at,
    ends_at: values.ends_at,
    usage_limit: optional(values.usage_limit),
    usage_limit_per_customer: optional(values.usage_limit_per_customer),
    priority: Number(values.priority) || 0,
  };
}

export function PromotionModal({ promotion, onClose }: { promotion: Promotion | null; onClose: () => void }) {
  const { t } = useCatalogT();
  const channels = useChannels();
  const save = useSavePromotion();
  const [failure, setFailure] = useState<unknown>(null);
  const currency = promotion?.amount_off?.currency ?? promotion?.conditions.min_subtotal?.currency ?? 'EUR';
  const form = useForm<Values>({
    initialValues: {
      name: promotion?.name ?? '',
      kind: promotion?.kind ?? 'percentage',
      code: promotion?.code ?? '',
      status: promotion?.status ?? 'active',
      percent: promotion?.percent ?? '',
      amount_off: promotion?.amount_off ? toMajor(promotion.amount_off.amount, currency) : '',
      currency,
      buy_quantity: promotion?.buy_quantity ?? '',
      get_quantity: promotion?.get_quantity ?? '',
      channel_ids: promotion?.conditions.channel_ids ?? [],
      min_subtotal: promotion?.conditions.min_subtotal
        ? toMajor(promotion.conditions.min_subtotal.amount, currency)
        : '',
      starts_at: promotion?.starts_at ?? null,
      ends_at: promotion?.ends_at ?? null,
      usage_limit: promotion?.usage_limit ?? '',
      usage_limit_per_customer: promotion?.usage_limit_per_customer ?? '',
      priority: promotion?.priority ?? 0,
    },
  });
  const kind = form.values.kind;

  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      await save.mutateAsync({ id: promotion?.id, input: toInput(values, promotion === null) });
      onClose();
    } catch (error) {
      const fields = [
        'name',
        'kind',
        'code',
        'status',
        'percent',
        'amount_off',
        'buy_quantity',
        'get_quantity',
        'conditions.channel_ids',
        'conditions.min_subtotal',
        'starts_at',
        'ends_at',
        'usage_limit_per_customer',
        'usage_limit',
        'priority',
      ];
      // The form keeps conditions flat: `conditions.min_subtotal` is the `min_subtotal` field.
      const flat = {
        setFieldError: (path: string, message: string) =>
          form.setFieldError(path.replace(/^conditions\./, ''), message),
      };
      if (!applyFieldErrors(flat, error, fields)) setFailure(error);
    }
  });

  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={promotion ? promotion.name : t('catalog.promotions.create')}
    >
      <form onSubmit={submit} data-testid="promotion-form">
        <Stack gap="sm">
          {failure !== null && <ErrorAlert error={failure} />}
          <SimpleGrid cols={2}>
            <TextInput
              label={t('catalog.promotions.name')}
              required
              {...form.getInputProps('name')}
              data-testid="promotion-name"
            />
            <TextInput
              label={t('catalog.promotions.code')}
              description={t('catalog.promotions.codeHint')}
              {...form.getInputProps('code')}
              data-testid="promotion-code"
            />
            <Select
              label={t('catalog.promotions.kind')}
              description={promotion ? t('catalog.promotions.kindFixed') : undefined}
              data={KINDS.map((value) => ({ value, label: t(`catalog.promotions.kinds.${value}`) }))}
              disabled={promotion !== null}
              allowDeselect={false}
              {...form.getInputProps('kind')}
              data-testid="promotion-kind"
            />
            <Select
              label={t('catalog.priceLists.status')}
              data={(['active', 'draft', 'archived'] as const).map((value) => ({
                value,
                label: t(`catalog.status.${value}`),
              }))}
              allowDeselect={false}
              {...form.getInputProps('status')}
            />
            {kind === 'percentage' && (
              <NumberInput
                label={t('catalog.promotions.percent')}
                min={1}
                max={100}
                suffix=" %"
                {...form.getInputProps('percent')}
                data-testid="promotion-percent"
              />
            )}
            {kind === 'fixed_amount' && (
              <NumberInput
                label={t('catalog.promotions.amountOff')}
                min={0}
                decimalScale={2}
                rightSection={<Text size="xs">{form.values.currency}</Text>}
                {...form.getInputProps('amount_off')}
              />
            )}
            {kind === 'buy_x_get_y' && (
              <Group grow>
                <NumberInput
                  label={t('catalog.promotions.buy')}
                  min={1}
                  {...form.getInputProps('buy_quantity')}
                />
                <NumberInput
                  label={t('catalog.promotions.get')}
                  min={1}
                  {...form.getInputProps('get_quantity')}
                />
              </Group>
            )}
            <NumberInput
              label={t('catalog.promotions.minSubtotal')}
              min={0}
              decimalScale={2}
              rightSection={<Text size="xs">{form.values.currency}</Text>}
              {...form.getInputProps('min_subtotal')}
            />
          </SimpleGrid>
          <MultiSelect
            label={t('catalog.promotions.channels')}
            placeholder={form.values.channel_ids.length ? undefined : t('catalog.promotions.everywhere')}
            data={channels.items.map((c) => ({ value: c.id, label: c.name }))}
            {...form.getInputProps('channel_ids')}
          />
          <SimpleGrid cols={2}>
            <DateTimeField label={t('catalog.priceLists.startsAt')} {...form.getInputProps('starts_at')} />
            <DateTimeField label={t('catalog.priceLists.endsAt')} {...form.getInputProps('ends_at')} />
            <NumberInput
              label={t('catalog.promotions.usageLimit')}
              min={1}
              {...form.getInputProps('usage_limit')}
              data-testid="promotion-usage-limit"
            />
            <NumberInput
              label={t('catalog.promotions.perCustomer')}
              min={1}
              {...form.getInputProps('usage_limit_per_customer')}
            />
          </SimpleGrid>
          {promotion && <RedemptionsChart promotionId={promotion.id} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('catalog.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="promotion-save">
              {t('catalog.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Redemptions per day (UTC day of `redeemed_at`), released ones counted apart. */
function RedemptionsChart({ promotionId }: { promotionId: string }) {
  const { t } = useCatalogT();
  const redemptions = useRedemptions(promotionId);
  const data = useMemo(() => {
    const days = new Map<string, { day: string; redeemed: number; released: number }>();
    for (const r of redemptions.data ?? []) {
      const day = r.redeemed_at.slice(0, 10);
      const entry = days.get(day) ?? { day, redeemed: 0, released: 0 };
      if (r.status === 'released') entry.released += 1;
      else entry.redeemed += 1;
      days.set(day, entry);
    }
    return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  }, [redemptions.data]);

  if (redemptions.error) return <ErrorAlert error={redemptions.error} />;
  return (
    <Stack gap={4} data-testid="redemptions-chart">
      <Text fw={500} size="sm">
        {t('catalog.promotions.redemptions')}
      </Text>
      {data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {redemptions.isPending ? t('catalog.loading') : t('catalog.promotions.noRedemptions')}
        </Text>
      ) : (
        <BarChart
          h={160}
          data={data}
          dataKey="day"
          type="stacked"
          series={[
            { name: 'redeemed', label: t('catalog.promotions.redeemed'), color: 'blue.6' },
            { name: 'released', label: t('catalog.promotions.released'), color: 'gray.5' },
          ]}
        />
      )}
    </Stack>
  );
}
