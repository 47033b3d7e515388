/**
 * @module "Why this price?": for one variant in one channel, the price a shopper sees as the server computes it
 * (`/v1/prices/compute`) — base price, the sale's compare-at price, the reason in words, and every price list
 * considered with its outcome (applied, outranked, not started, other channel…).
 */
import { Badge, Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useComputedPrices, type Variant } from '../../api/catalog';
import { useChannels } from '../../api/channels';
import { ErrorAlert } from '../../components/error-alert';
import { formatMoney } from '../../lib/format';
import { useCatalogT, type CatalogKey } from './catalog-i18n';

const OUTCOME_COLOR: Record<string, string> = { applied: 'teal', outranked: 'gray', not_lower: 'gray' };

export function PriceExplanation({ variants, currency }: { variants: Variant[]; currency: string }) {
  const { t } = useCatalogT();
  const channels = useChannels();
  const [channelId, setChannelId] = useState<string | null>(null);
  const [variantId, setVariantId] = useState<string | null>(variants[0]?.id ?? null);
  const chosenChannel = channelId ?? channels.items[0]?.id ?? null;
  const chosenVariant = variantId ?? variants[0]?.id ?? null;
  const computed = useComputedPrices(chosenVariant ? [chosenVariant] : [], currency, chosenChannel);
  const result = computed.data?.[0];

  return (
    <Paper withBorder radius="sm" p="sm" bg="var(--mantine-color-gray-light)" data-testid="price-explanation">
      <Stack gap="xs">
        <Group gap="xs" align="flex-end">
          <Text fw={500} size="sm" mr="auto">
            {t('catalog.prices.explainTitle')}
          </Text>
          <Select
            size="xs"
            w={150}
            aria-label={t('catalog.prices.variant')}
            data={variants.map((v) => ({ value: v.id, label: v.sku }))}
            value={chosenVariant}
            onChange={setVariantId}
            allowDeselect={false}
          />
          <Select
            size="xs"
            w={170}
            aria-label={t('catalog.prices.channel')}
            data={channels.items.map((c) => ({ value: c.id, label: c.name }))}
            value={chosenChannel}
            onChange={setChannelId}
            allowDeselect={false}
            data-testid="explain-channel"
          />
        </Group>
        {computed.error && <ErrorAlert error={computed.error} />}
        {result && (
          <>
            <Group gap="md">
              <Text size="xl" fw={700} data-testid="explain-price">
                {result.price ? formatMoney(result.price) : t('catalog.prices.noPrice')}
              </Text>
              {result.compare_at && (
                <Text c="dimmed" td="line-through">
                  {formatMoney(result.compare_at)}
                </Text>
              )}
              {result.tax_inclusive !== null && (
                <Badge variant="outline" color="gray">
                  {result.tax_inclusive ? t('catalog.prices.taxIncluded') : t('catalog.prices.taxExcluded')}
                </Badge>
              )}
              {result.channel_exception && (
                <Badge color="yellow" variant="light">
                  {t('catalog.prices.channelException')}
                </Badge>
              )}
            </Group>
            <Text size="sm" data-testid="explain-reason">
              {result.reason}
            </Text>
            {result.considered.length > 0 && (
              <Table fz="xs" verticalSpacing={2}>
                <Table.Tbody>
                  {result.considered.map((entry) => (
                    <Table.Tr key={entry.price_list_id}>
                      <Table.Td>{entry.name}</Table.Td>
                      <Table.Td>
                        {t(`catalog.priceLists.types.${entry.type === 'sale' ? 'sale' : 'override'}`)}
                      </Table.Td>
                      <Table.Td>{formatMoney(entry.price)}</Table.Td>
                      <Table.Td>
                        <Badge size="xs" variant="light" color={OUTCOME_COLOR[entry.outcome] ?? 'orange'}>
                          {t(`catalog.prices.outcomes.${entry.outcome}` as CatalogKey)}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
