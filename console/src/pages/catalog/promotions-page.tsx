/**
 * @module Catalog → Promotions: codes and automatic offers with what they give, their conditions, window and
 * limits, and how often they have been used (against the limit). Opening one edits it and shows its
 * redemptions per day.
 */
import { Badge, Button, Paper, Progress, Stack, Table, Text } from '@mantine/core';
import { IconDiscount2, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useChannels } from '../../api/channels';
import { usePromotions, type Promotion } from '../../api/promotions';
import { ListState, LoadMore } from '../../components/list-state';
import { formatMoney, formatNumber } from '../../lib/format';
import { useCan } from '../../lib/permissions';
import { ct, useCatalogT } from './catalog-i18n';
import { CatalogNav } from './catalog-nav';
import { windowText } from './price-lists-page';
import { PromotionModal } from './promotion-modal';

const STATUS_COLOR = { active: 'teal', draft: 'gray', archived: 'red' } as const;

/** "20 % off", "€5.00 off", "buy 2 get 1 free", "free shipping". */
export function offerText(promotion: Promotion): string {
  switch (promotion.kind) {
    case 'percentage':
      return ct('catalog.promotions.offer.percentage', { percent: promotion.percent ?? 0 });
    case 'fixed_amount':
      return ct('catalog.promotions.offer.fixed', {
        amount: promotion.amount_off ? formatMoney(promotion.amount_off) : '—',
      });
    case 'buy_x_get_y':
      return ct('catalog.promotions.offer.buyGet', {
        buy: promotion.buy_quantity ?? 0,
        get: promotion.get_quantity ?? 0,
        percent: promotion.get_percent ?? 100,
      });
    case 'free_shipping':
      return ct('catalog.promotions.offer.freeShipping');
  }
}

export function PromotionsPage() {
  const { t } = useCatalogT();
  const promotions = usePromotions();
  const channels = useChannels();
  const channelName = (id: string) => channels.items.find((c) => c.id === id)?.name ?? id;
  const canWrite = useCan()('catalog:write');
  const [open, setOpen] = useState<Promotion | 'new' | null>(null);

  const createButton = canWrite && (
    <Button
      leftSection={<IconPlus size={16} />}
      onClick={() => setOpen('new')}
      data-testid="promotion-create"
    >
      {t('catalog.promotions.create')}
    </Button>
  );

  return (
    <>
      <CatalogNav active="promotions" actions={createButton} />
      <ListState
        isPending={promotions.isPending}
        error={promotions.error}
        onRetry={() => void promotions.refetch()}
        isEmpty={promotions.items.length === 0}
        emptyIcon={<IconDiscount2 size={28} />}
        emptyTitle={t('catalog.promotions.emptyTitle')}
        emptyDescription={t('catalog.promotions.emptyBody')}
        emptyAction={createButton}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer type="native" minWidth={900}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="promotions-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('catalog.promotions.name')}</Table.Th>
                  <Table.Th>{t('catalog.promotions.offerLabel')}</Table.Th>
                  <Table.Th>{t('catalog.promotions.conditions')}</Table.Th>
                  <Table.Th>{t('catalog.priceLists.window')}</Table.Th>
                  <Table.Th>{t('catalog.promotions.usage')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {promotions.items.map((promotion) => (
                  <Table.Tr
                    key={promotion.id}
                    style={{ cursor: 'pointer' }}
                    onClick={() => setOpen(promotion)}
                    data-testid="promotion-row"
                  >
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {promotion.name}
                      </Text>
                      <Stack gap={2} align="flex-start">
                        {promotion.code ? (
                          <Badge variant="outline" radius="sm" ff="monospace" tt="none">
                            {promotion.code}
                          </Badge>
                        ) : (
                          <Badge variant="light" color="cyan" radius="sm">
                            {t('catalog.promotions.automatic')}
                          </Badge>
                        )}
                        <Badge size="xs" variant="light" color={STATUS_COLOR[promotion.status]}>
                          {t(`catalog.status.${promotion.status}`)}
                        </Badge>
                      </Stack>
                    </Table.Td>
                    <Table.Td>{offerText(promotion)}</Table.Td>
                    <Table.Td>
                      <ConditionsText promotion={promotion} channelName={channelName} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{windowText(promotion.starts_at, promotion.ends_at)}</Text>
                    </Table.Td>
                    <Table.Td miw={150}>
                      <Usage promotion={promotion} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <LoadMore {...promotions} />
      </ListState>
      {open !== null && (
        <PromotionModal promotion={open === 'new' ? null : open} onClose={() => setOpen(null)} />
      )}
    </>
  );
}

function ConditionsText(props: { promotion: Promotion; channelName: (id: string) => string }) {
  const { t } = useCatalogT();
  const c = props.promotion.conditions;
  const parts = [
    c.channel_ids.length
      ? c.channel_ids.map(props.channelName).join(', ')
      : t('catalog.promotions.everywhere'),
    c.min_subtotal && t('catalog.promotions.minSubtotalText', { amount: formatMoney(c.min_subtotal) }),
    c.segment_ids.length > 0 && t('catalog.priceLists.segmentCount', { count: c.segment_ids.length }),
    c.product_ids.length > 0 && t('catalog.promotions.productCount', { count: c.product_ids.length }),
    c.category_ids.length > 0 && t('catalog.promotions.categoryCount', { count: c.category_ids.length }),
  ].filter(Boolean);
  return (
    <Stack gap={0}>
      {parts.map((part) => (
        <Text key={String(part)} size="sm">
          {part}
        </Text>
      ))}
    </Stack>
  );
}

function Usage({ promotion }: { promotion: Promotion }) {
  const { t } = useCatalogT();
  const limit = promotion.usage_limit;
  return (
    <Stack gap={4} data-testid="promotion-usage">
      <Text size="sm">
        {limit
          ? t('catalog.promotions.usedOf', {
              used: formatNumber(promotion.times_used),
              limit: formatNumber(limit),
            })
          : t('catalog.promotions.used', { used: formatNumber(promotion.times_used) })}
      </Text>
      {limit !== null && (
        <Progress
          value={Math.min(100, (promotion.times_used / limit) * 100)}
          color={promotion.times_used >= limit ? 'red' : 'blue'}
          size="sm"
        />
      )}
    </Stack>
  );
}
